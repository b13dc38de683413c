//! The subtree counters against the reference scan on the demo county, on SQLite and (when
//! ZHIBU_TEST_POSTGRES_URL names a cluster) on PostgreSQL: identical statistics for several
//! subtrees and dates, before and after every kind of write that keeps them (transfers, status
//! changes, a member created, corrected and departed, a branch and a whole town moved, a merge, a
//! new branch, a committee elected, a dissolution), and counters kept incrementally identical to
//! counters rebuilt from scratch.

#include "modules/member/statistics.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <random>

#include "modules/member/demo.h"
#include "modules/member/demo_for_tests.h"
#include "modules/member/member_store.h"
#include "modules/member/statistics_counters.h"
#include "modules/org/committee.h"
#include "modules/org/org_store.h"
#include "platform/db/migrations.h"
#include "platform/identity/id_number.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"

namespace zhibu::member {
namespace {

struct SqliteBackend {
  static constexpr bool kPostgres = false;
};
struct PostgresBackend {
  static constexpr bool kPostgres = true;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

bool Admin(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
  }
  PQfinish(c);
  return ok;
}

//! Who makes the test's changes.
org::Change At(const std::string& date, const std::string& reason) {
  return {{std::nullopt, "test", "", std::nullopt, "local"}, std::nullopt, date, reason};
}

template <class Backend>
class StatisticsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::mt19937_64 rng{std::random_device{}()};
    std::string suffix = std::to_string(rng() % 1'000'000'000ULL);
    std::string url;
    if constexpr (Backend::kPostgres) {
      admin_ = new std::string(Env("ZHIBU_TEST_POSTGRES_URL"));
      if (admin_->empty()) return;
      name_ = new std::string("zhibu_statistics_" + suffix);
      ASSERT_TRUE(Admin(*admin_, "CREATE DATABASE " + *name_));
      url = admin_->substr(0, admin_->rfind('/') + 1) + *name_;
    } else {
      dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                       ("zhibu-statistics-" + suffix));
      std::filesystem::create_directories(*dir_);
      url = "sqlite:" + (*dir_ / "z.db").string();
    }
    cipher_ = new crypto::FieldCipher({{1, std::string(32, 'k')}});
    InstallTreeHooks();
    if constexpr (!Backend::kPostgres) {
      // SQLite: a copy of the demo generated once for the test binary (demo_for_tests.h).
      auto copy = OpenDemoCopy(*dir_ / "z.db", *cipher_, "1:" + std::string(32, 'k'), CountyScale(),
                               "county", 7, "2026-11-23");
      ASSERT_TRUE(copy.has_value()) << copy.error().message;
      db_ = copy->db.release();
      root_ = copy->report.root_id;
      return;
    }
    auto db = db::Database::Open(url);
    ASSERT_TRUE(db.has_value()) << db.error().message;
    db_ = db->release();
    ASSERT_TRUE(db::ApplyMigrations(*db_, AllMigrations()).has_value());
    auto report = GenerateDemo(*db_, *cipher_, CountyScale(), 7, "2026-11-23");
    ASSERT_TRUE(report.has_value()) << report.error().message;
    root_ = report->root_id;
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
    delete cipher_;
    if (name_ != nullptr) Admin(*admin_, "DROP DATABASE IF EXISTS " + *name_ + " WITH (FORCE)");
    delete name_;
    delete admin_;
    if (dir_ != nullptr) std::filesystem::remove_all(*dir_);
    delete dir_;
    name_ = admin_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (db_ == nullptr) GTEST_SKIP() << "set ZHIBU_TEST_POSTGRES_URL to test PostgreSQL";
  }

  //! The answer of `method`, serialised (or the error code).
  static std::string Answer(std::int64_t org, const std::string& date, StatisticsMethod method) {
    auto out = db_->Read([&](db::Connection& c) {
      return SubtreeStatistics(c, org::SubtreeScope::Everything(), org, date, method);
    });
    return out ? boost::json::serialize(*out) : "error " + out.error().code;
  }

  //! The counters (when the organisation holds them) and the automatic choice agree with the scan.
  static void ExpectSame(std::int64_t org, const std::string& date) {
    std::string scan = Answer(org, date, StatisticsMethod::kScan);
    ASSERT_FALSE(scan.starts_with("error")) << scan << " org " << org << " on " << date;
    std::string counted = Answer(org, date, StatisticsMethod::kCounters);
    if (counted == "error stats.counters_unavailable") {
      // A branch-level organisation: the automatic choice is the scan.
      EXPECT_EQ(Answer(org, date, StatisticsMethod::kAuto), scan)
          << "org " << org << " on " << date;
    } else {
      EXPECT_EQ(counted, scan) << "org " << org << " on " << date;
    }
  }

  static std::int64_t One(const std::string& sql, std::initializer_list<db::Value> params = {}) {
    auto rows = db_->Read([&](db::Connection& c) { return c.Query(sql, params); });
    EXPECT_TRUE(rows.has_value() && !rows->empty()) << sql;
    return rows && !rows->empty() ? rows->Int(0, 0) : 0;
  }

  //! Every derived row, in a fixed order.
  static std::vector<std::string> Derived() {
    std::vector<std::string> out;
    auto dumped = db_->Read([&](db::Connection& c) -> Result<void> {
      for (std::string_view sql :
           {"SELECT org_id, measure, bucket, tally FROM statistics_counter ORDER BY org_id, "
            "measure, bucket",
            "SELECT member_id, seq, valid_from, valid_to, org_id, status, attributes, birth_date, "
            "confirmed_on FROM statistics_span ORDER BY member_id, seq",
            "SELECT org_id, path, placed, kind, domain, enterprises, with_own, full_members, "
            "first_committee FROM statistics_org ORDER BY org_id"}) {
        auto rows = c.Query(sql);
        if (!rows) return Fail(rows.error());
        for (const auto& row : rows->rows()) {
          std::string line;
          for (const auto& v : row) {
            if (const auto* i = std::get_if<std::int64_t>(&v)) line += std::to_string(*i);
            if (const auto* s = std::get_if<std::string>(&v)) line += *s;
            line += '|';
          }
          out.push_back(std::move(line));
        }
      }
      return {};
    });
    EXPECT_TRUE(dumped.has_value());
    return out;
  }

  static std::string* admin_;
  static std::string* name_;
  static std::filesystem::path* dir_;
  static db::Database* db_;
  static crypto::FieldCipher* cipher_;
  static std::int64_t root_;
};
template <class B>
std::string* StatisticsTest<B>::admin_ = nullptr;
template <class B>
std::string* StatisticsTest<B>::name_ = nullptr;
template <class B>
std::filesystem::path* StatisticsTest<B>::dir_ = nullptr;
template <class B>
db::Database* StatisticsTest<B>::db_ = nullptr;
template <class B>
crypto::FieldCipher* StatisticsTest<B>::cipher_ = nullptr;
template <class B>
std::int64_t StatisticsTest<B>::root_ = 0;

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;
TYPED_TEST_SUITE(StatisticsTest, Backends);

TYPED_TEST(StatisticsTest, CountersMatchTheScanThroughEveryKindOfChange) {
  using T = TestFixture;
  const auto everything = org::SubtreeScope::Everything();
  // The county root, the 机关工委, two towns, a branch and a 党总支 of the first town.
  const std::int64_t root = T::root_;
  const std::int64_t organ = T::One(
      "SELECT id FROM organisation WHERE parent_id = $1 AND kind = 'committee_higher' AND code "
      "LIKE '%-JG'",
      {root});
  const std::int64_t town_a =
      T::One("SELECT id FROM organisation WHERE parent_id = $1 AND kind = 'committee' ORDER BY id",
             {root});
  const std::int64_t town_b = T::One(
      "SELECT id FROM organisation WHERE parent_id = $1 AND kind = 'committee' AND id > $2 ORDER "
      "BY id",
      {root, town_a});
  const std::int64_t general = T::One(
      "SELECT o.id FROM organisation o JOIN organisation t ON t.id = o.parent_id WHERE o.kind = "
      "'general_branch' AND t.kind = 'committee' ORDER BY o.id");
  const std::int64_t town_c = T::One("SELECT parent_id FROM organisation WHERE id = $1", {general});
  auto branch_of = [&](std::int64_t town, std::int64_t after) {
    return T::One(
        "SELECT o.id FROM organisation o WHERE o.parent_id = $1 AND o.kind = 'branch' AND o.id > "
        "$2 AND (SELECT COUNT(*) FROM member m WHERE m.org_id = o.id AND m.status = 'full') >= 8 "
        "ORDER BY o.id",
        {town, after});
  };
  const std::int64_t branch_a1 = branch_of(town_a, 0);
  const std::int64_t branch_a2 = branch_of(town_a, branch_a1);
  const std::int64_t branch_a3 = branch_of(town_a, branch_a2);
  const std::int64_t branch_b1 = branch_of(town_b, 0);
  const std::int64_t branch_c1 = branch_of(town_c, 0);
  ASSERT_NE(
      organ * town_a * town_b * general * branch_a1 * branch_a2 * branch_a3 * branch_b1 * branch_c1,
      0);
  const std::string today = TodayShanghai();
  std::vector<std::int64_t> subtrees{root, organ, town_a, town_b, town_c, general, branch_a1};
  std::vector<std::string> dates{today, "2025-12-31", "2025-06-30", "2024-12-31", "2010-01-01"};
  for (std::int64_t org : subtrees) {
    for (const auto& date : dates) T::ExpectSame(org, date);
  }
  EXPECT_EQ(T::Answer(root, today, StatisticsMethod::kAuto),
            T::Answer(root, today, StatisticsMethod::kCounters));

  auto member_in = [&](std::int64_t branch, const std::string& status, std::int64_t skip) {
    return T::One(
        "SELECT id FROM member WHERE org_id = $1 AND status = $2 AND joined_on < '2024-01-01' "
        "ORDER BY id LIMIT 1 OFFSET $3",
        {branch, status, skip});
  };
  auto write = [&](auto&& fn) {
    auto done = T::db_->Write([&](db::Connection& c) -> Result<void> { return fn(c); });
    ASSERT_TRUE(done.has_value()) << done.error().code << " " << done.error().message;
  };
  auto ok = [](const auto& result) -> Result<void> {
    if (!result) return Fail(result.error());
    return {};
  };

  // Transfers between branches of different towns, and back-dated ones.
  std::vector<std::string> changed{"2025-03-10", "2025-03-09"};
  for (int k = 0; k < 3; ++k) {
    std::int64_t member = member_in(branch_a1, "full", k);
    write([&](db::Connection& c) {
      return MoveMember(c, At("2025-03-10", "工作调动"), member, branch_b1, "transfer_out",
                        "transfer_in");
    });
  }
  write([&](db::Connection& c) {
    return MoveMember(c, At("2024-06-01", "补录转接"), member_in(branch_c1, "full", 0), branch_a2,
                      "transfer_out", "transfer_in");
  });
  // Status changes: 转正, 停止党籍 then 恢复党籍, 出党, 死亡 (one back-dated before the event
  // year).
  std::int64_t probationary = T::One(
      "SELECT id FROM member WHERE status = 'probationary' AND joined_on < '2026-01-01' AND "
      "org_path >= (SELECT path FROM organisation WHERE id = $1) ORDER BY id",
      {town_a});
  if (probationary != 0) {
    write([&](db::Connection& c) {
      return ok(
          ChangeStatus(c, everything, At("2026-06-01", "按期转正"), probationary, "full", ""));
    });
    changed.insert(changed.end(), {"2026-06-01", "2026-05-31"});
  }
  std::int64_t suspended = member_in(branch_b1, "full", 3);
  write([&](db::Connection& c) {
    return ok(ChangeStatus(c, everything, At("2025-05-20", "失联"), suspended, "suspended", ""));
  });
  write([&](db::Connection& c) {
    return ok(ChangeStatus(c, everything, At("2025-09-01", "恢复联系"), suspended, "full", ""));
  });
  write([&](db::Connection& c) {
    return ok(ChangeStatus(c, everything, At("2025-07-01", "除名"), member_in(branch_a2, "full", 1),
                           "exited", "self_lapsed"));
  });
  write([&](db::Connection& c) {
    return ok(ChangeStatus(c, everything, At("2024-08-01", "病故"), member_in(branch_c1, "full", 2),
                           "deceased", ""));
  });
  changed.insert(changed.end(),
                 {"2025-05-20", "2025-05-19", "2025-09-01", "2025-07-01", "2024-08-01"});

  // A branch moves to another town (a branch-level subtree), then a whole town moves under the
  // 机关工委 (a subtree holding counters), then a branch merges into another.
  write([&](db::Connection& c) {
    return ok(org::MoveOrg(c, everything, At("2025-09-15", "区划调整"), branch_a3, town_b));
  });
  write([&](db::Connection& c) {
    return ok(org::MoveOrg(c, everything, At("2025-10-10", "隶属关系调整"), town_b, organ));
  });
  write([&](db::Connection& c) {
    return ok(org::MergeOrg(c, everything, At("2025-11-01", "合并支部"), branch_a2, branch_a1));
  });
  changed.insert(changed.end(), {"2025-09-15", "2025-09-14", "2025-10-10", "2025-10-09",
                                 "2025-11-01", "2025-10-31"});

  // A new branch with a new member, a committee for a branch that needs one, a registry
  // correction, a departure, and a 党小组 dissolved.
  std::int64_t fresh = 0;
  write([&](db::Connection& c) -> Result<void> {
    org::OrgInput input;
    input.parent_id = town_a;
    input.code = "TEST-NEW-BRANCH";
    input.name = "中共测试新建支部委员会";
    input.kind = "branch";
    input.domain = "private";
    input.founded_on = "2026-02-01";
    input.units = boost::json::array{boost::json::object{{"name", "测试有限公司"}}};
    auto created = org::CreateOrg(c, everything, At("2026-02-01", "新建"), input);
    if (!created) return Fail(created.error());
    fresh = created->id;
    std::string body = "50010219900101123";
    MemberInput in;
    in.org_id = fresh;
    in.name = "测试新党员";
    in.id_number = body + identity::CheckCode(body);
    in.ethnicity = "汉族";
    in.education = "bachelor";
    in.occupation = "";
    in.category = "private";
    in.joined_on = "2026-02-15";
    auto prepared = PrepareMember(in, "2026-11-23");
    if (!prepared) return Fail(prepared.error());
    auto id = CreateMember(c, everything, *T::cipher_, At(prepared->event_date, ""), *prepared);
    return ok(id);
  });
  // A branch that needs a committee and first elected one in the event year records an earlier
  // election: whether it lacked one moves for the dates in between.
  std::int64_t needing = T::One(
      "SELECT o.id FROM organisation o WHERE o.kind = 'branch' AND o.status = 'active' AND (SELECT "
      "MIN(k.elected_on) FROM committee k WHERE k.org_id = o.id) > '2025-01-01' AND (SELECT "
      "COUNT(*) FROM member m WHERE m.org_id = o.id AND m.status = 'full') >= 7 ORDER BY o.id");
  write([&](db::Connection& c) {
    boost::json::object body{
        {"elected_on", "2024-10-01"},
        {"positions", boost::json::array{boost::json::object{{"position", "secretary"},
                                                             {"member_name", "测试书记"}}}}};
    return ok(org::ElectCommittee(c, everything, At("2024-10-01", "补录换届"), needing, body));
  });
  subtrees.push_back(needing);
  changed.insert(changed.end(), {"2024-10-01", "2024-09-30"});
  write([&](db::Connection& c) {
    return ok(UpdateMember(c, everything, *T::cipher_, At("", "学历更正"),
                           member_in(branch_b1, "full", 4),
                           boost::json::object{{"education", "postgraduate"}, {"occupation", ""}}));
  });
  write([&](db::Connection& c) {
    return DepartMember(c, At("2026-05-01", "转往外省"), member_in(branch_c1, "full", 3),
                        "广东省深圳市某党组织");
  });
  std::int64_t group = T::One("SELECT id FROM organisation WHERE kind = 'group' ORDER BY id");
  write([&](db::Connection& c) {
    return ok(org::DissolveOrg(c, everything, At("2026-04-01", "撤销党小组"), group));
  });
  changed.insert(changed.end(), {"2026-02-01", "2026-01-31", "2026-02-15", "2026-03-01",
                                 "2026-02-28", "2026-05-01", "2026-04-01", "2026-03-31"});

  // Every subtree a change touched, on the day of each change and the day before; the whole
  // county (the costliest scan) on a few of them.
  subtrees = {organ, town_a, town_b, town_c, branch_a1, branch_a3, branch_b1, fresh, needing};
  dates = changed;
  dates.insert(dates.end(), {today, "2025-06-30", "2025-01-01"});
  for (std::int64_t org : subtrees) {
    for (const auto& date : dates) {
      auto existed = T::db_->Read([&](db::Connection& c) { return org::PathOn(c, org, date); });
      ASSERT_TRUE(existed.has_value());
      if (*existed) T::ExpectSame(org, date);
    }
  }
  for (const std::string& date : std::vector<std::string>{
           today, "2026-03-01", "2025-11-01", "2025-10-09", "2025-06-30", "2024-12-31"}) {
    T::ExpectSame(root, date);
  }
  // The merged branch, for the days it still existed.
  T::ExpectSame(branch_a2, "2025-10-31");

  // What the stores kept up write by write is what a rebuild computes from scratch.
  auto kept = T::Derived();
  write([&](db::Connection& c) { return ok(RebuildStatistics(c)); });
  auto rebuilt = T::Derived();
  ASSERT_EQ(kept.size(), rebuilt.size());
  for (std::size_t i = 0; i < kept.size(); ++i) ASSERT_EQ(kept[i], rebuilt[i]) << "row " << i;
}

}  // namespace
}  // namespace zhibu::member
