//! The member registry on the demo county: exact counts, the annual balance identity of spec 03,
//! subtree scoping (out of scope is not found), search, and no clear personal numbers on disk.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "modules/member/demo.h"
#include "modules/member/demo_for_tests.h"
#include "modules/member/member_store.h"
#include "modules/member/pinyin.h"
#include "modules/member/statistics.h"
#include "platform/db/migrations.h"
#include "platform/module/manifest.h"

namespace zhibu::member {
namespace {

class RegistryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("zhibu-registry-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    cipher_ = new crypto::FieldCipher({{1, std::string(32, 'k')}});
    InstallTreeHooks();
    auto copy = OpenDemoCopy(*dir_ / "z.db", *cipher_, "1:" + std::string(32, 'k'), CountyScale(),
                             "county", 7, "2026-11-23");
    ASSERT_TRUE(copy.has_value()) << copy.error().message;
    db_ = copy->db.release();
    report_ = copy->report;
  }
  static void TearDownTestSuite() {
    delete db_;
    delete cipher_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::filesystem::path* dir_;
  static db::Database* db_;
  static crypto::FieldCipher* cipher_;
  static DemoReport report_;
};
std::filesystem::path* RegistryTest::dir_ = nullptr;
db::Database* RegistryTest::db_ = nullptr;
crypto::FieldCipher* RegistryTest::cipher_ = nullptr;
DemoReport RegistryTest::report_;

TEST(PinyinTest, InitialsOfNames) {
  EXPECT_EQ(PinyinInitials("张三"), "zs");
  EXPECT_EQ(PinyinInitials("欧阳修"), "oyx");
  EXPECT_EQ(PinyinInitials("李A"), "la");
  EXPECT_TRUE(LooksLikeInitials("zs"));
  EXPECT_FALSE(LooksLikeInitials("张"));
  EXPECT_FALSE(LooksLikeInitials("z1"));
}

TEST_F(RegistryTest, CountyHasTheSpecifiedCounts) {
  EXPECT_EQ(report_.organisations, 2600);
  EXPECT_EQ(report_.members, 63000);
  auto counts = db_->Read([](db::Connection& c) -> Result<std::pair<std::int64_t, std::int64_t>> {
    auto orgs = c.Query("SELECT COUNT(*) FROM organisation");
    auto members = c.Query("SELECT COUNT(*) FROM member");
    if (!orgs || !members) return Fail(Error::Internal("test", "query"));
    return std::pair{orgs->Int(0, 0), members->Int(0, 0)};
  });
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->first, 2600);
  EXPECT_EQ(counts->second, 63000);
}

//! 本年底应有数 = 上年底总数 + 本年增加 − 本年减少 (党内统计年报 表1), for the whole county and
//! for one town, whose members also transfer to and from other towns during the year.
TEST_F(RegistryTest, AnnualBalanceHolds) {
  auto check = db_->Read([](db::Connection& c) -> Result<std::vector<std::int64_t>> {
    auto towns =
        c.Query("SELECT path FROM organisation WHERE depth IN (0, 1) ORDER BY depth, id LIMIT 5");
    if (!towns) return Fail(towns.error());
    std::vector<std::int64_t> mismatches;
    for (std::size_t i = 0; i < towns->size(); ++i) {
      std::string path = towns->Text(i, 0);
      auto before = MemberCountOn(c, path, "2024-12-31");
      auto after = MemberCountOn(c, path, "2025-12-31");
      auto flow = NetFlow(c, path, "2025-01-01", "2025-12-31");
      if (!before || !after || !flow) return Fail(Error::Internal("test", "query"));
      if (i == 0) {
        EXPECT_GT(*before, 50000);
        EXPECT_NE(*flow, 0);
      }
      mismatches.push_back(*after - (*before + *flow));
    }
    return mismatches;
  });
  ASSERT_TRUE(check.has_value());
  for (std::int64_t m : *check) EXPECT_EQ(m, 0);
}

TEST_F(RegistryTest, ScopeHidesOtherSubtrees) {
  auto result = db_->Read([](db::Connection& c) -> Result<void> {
    auto towns =
        c.Query("SELECT path FROM organisation WHERE kind = 'committee' ORDER BY id LIMIT 2");
    if (!towns || towns->size() < 2) return Fail(Error::Internal("test", "towns"));
    auto mine = org::SubtreeScope::Of({towns->Text(0, 0)});
    auto theirs = c.Query("SELECT id FROM member WHERE org_path >= $1 AND org_path < $2 LIMIT 1",
                          {towns->Text(1, 0), org::SubtreeEnd(towns->Text(1, 0))});
    if (!theirs || theirs->empty()) return Fail(Error::Internal("test", "member"));
    auto got = GetMember(c, mine, theirs->Int(0, 0));
    EXPECT_FALSE(got.has_value());
    if (!got) {
      EXPECT_EQ(got.error().code, "member.not_found");
    }
    auto listed = ListMembers(c, mine, *cipher_, MemberQuery{{}, "", "all", 1, 200});
    if (!listed) return Fail(listed.error());
    auto page = boost::json::parse(listed->text).as_object();
    EXPECT_FALSE(page.at("items").as_array().empty());
    for (const auto& item : page.at("items").as_array()) {
      auto id = item.as_object().at("id").as_int64();
      auto row = c.Query("SELECT org_path FROM member WHERE id = $1", {id});
      EXPECT_TRUE(row->Text(0, 0).starts_with(towns->Text(0, 0)));
      // The list's row, written as text, says what the member page's tree says.
      auto member = GetMember(c, mine, id);
      if (!member) return Fail(member.error());
      for (const auto& [key, value] : item.as_object()) {
        EXPECT_EQ(member->at(key), value) << "member " << id << " field " << key;
      }
    }
    auto statistics = SubtreeStatistics(c, mine, 1, "2026-01-01");
    EXPECT_FALSE(statistics.has_value());  // the county root is above the scope
    return {};
  });
  ASSERT_TRUE(result.has_value()) << result.error().message;
}

//! A branch's current members, page by page, against the registry itself: the ids in id order
//! and the exact total. A branch of up to 100 is read in one statement (no count); a branch of
//! more (here 150 members moved into one inside a transaction that is rolled back) falls back to
//! the count and the general plans; a caller whose scope is the branch itself gets the same
//! pages.
TEST_F(RegistryTest, BranchPagesHoldExactlyTheBranchsMembers) {
  auto check_pages = [](db::Connection& c, const org::SubtreeScope& scope, std::int64_t branch,
                        std::int64_t page_size) -> Result<std::int64_t> {
    auto path = c.Query("SELECT path FROM organisation WHERE id = $1", {branch});
    if (!path || path->empty()) return Fail(Error::Internal("test", "branch"));
    std::string p = path->Text(0, 0);
    auto ids = c.Query(
        "SELECT id FROM member WHERE org_path >= $1 AND org_path < $2 AND status IN ('full', "
        "'probationary') AND departed_on IS NULL ORDER BY id",
        {p, org::SubtreeEnd(p)});
    if (!ids) return Fail(ids.error());
    const auto total = static_cast<std::int64_t>(ids->size());
    const std::int64_t pages = total / page_size + 2;  // one past the last, which is empty
    for (std::int64_t page = 1; page <= pages; ++page) {
      auto listed = ListMembers(c, scope, *cipher_, MemberQuery{branch, "", "", page, page_size});
      if (!listed) return Fail(listed.error());
      auto json = boost::json::parse(listed->text).as_object();
      EXPECT_EQ(json.at("total").as_int64(), total) << "branch " << branch << " page " << page;
      EXPECT_EQ(json.at("page").as_int64(), page);
      const auto& items = json.at("items").as_array();
      const std::int64_t first = (page - 1) * page_size;
      const std::int64_t expected = std::clamp<std::int64_t>(total - first, 0, page_size);
      EXPECT_EQ(static_cast<std::int64_t>(items.size()), expected) << "page " << page;
      for (std::size_t i = 0; i < items.size() && first + i < ids->size(); ++i) {
        EXPECT_EQ(items[i].as_object().at("id").as_int64(), ids->Int(first + i, 0));
        EXPECT_EQ(items[i].as_object().at("org_id").as_int64(), branch);
      }
    }
    return total;
  };
  auto everything = org::SubtreeScope::Everything();
  auto read = db_->Read([&](db::Connection& c) -> Result<void> {
    auto branches = c.Query(
        "SELECT o.id FROM organisation o JOIN member m ON m.org_id = o.id WHERE o.kind = 'branch' "
        "AND m.status IN ('full', 'probationary') AND m.departed_on IS NULL GROUP BY o.id "
        "HAVING COUNT(*) >= 20 ORDER BY o.id LIMIT 3");
    if (!branches || branches->size() < 3) return Fail(Error::Internal("test", "branches"));
    for (std::size_t i = 0; i < branches->size(); ++i) {
      auto total = check_pages(c, everything, branches->Int(i, 0), 7);
      if (!total) return Fail(total.error());
      EXPECT_GE(*total, 20);
    }
    // A scope that holds the branch but not its parent: the same pages.
    auto path = c.Query("SELECT path FROM organisation WHERE id = $1", {branches->Int(0, 0)});
    if (!path) return Fail(path.error());
    auto total = check_pages(c, org::SubtreeScope::Of({path->Text(0, 0)}), branches->Int(0, 0), 20);
    if (!total) return Fail(total.error());
    return {};
  });
  ASSERT_TRUE(read.has_value()) << read.error().message;

  const Error rolled_back = Error::Internal("test.rollback", "rolled back on purpose");
  auto large = db_->Write([&](db::Connection& c) -> Result<void> {
    auto branch =
        c.Query("SELECT id, path FROM organisation WHERE kind = 'branch' ORDER BY id LIMIT 1");
    if (!branch || branch->empty()) return Fail(Error::Internal("test", "branch"));
    auto moved = c.Execute(
        "UPDATE member SET org_id = $1, org_path = $2 WHERE id IN (SELECT id FROM member WHERE "
        "status IN ('full', 'probationary') AND departed_on IS NULL AND org_id <> $1 ORDER BY id "
        "LIMIT 150)",
        {branch->Int(0, 0), branch->Text(0, 1)});
    if (!moved) return Fail(moved.error());
    EXPECT_EQ(*moved, 150);
    auto total = check_pages(c, everything, branch->Int(0, 0), 20);
    if (!total) return Fail(total.error());
    EXPECT_GT(*total, 150);
    return Fail(rolled_back);
  });
  ASSERT_FALSE(large.has_value());
  EXPECT_EQ(large.error().code, "test.rollback");
}

TEST_F(RegistryTest, SearchFindsByIdNumberPhoneAndInitials) {
  auto result = db_->Read([](db::Connection& c) -> Result<void> {
    auto row = c.Query(
        "SELECT id, id_number_cipher, phone_cipher, initials FROM member WHERE phone_cipher IS "
        "NOT NULL AND status = 'full' ORDER BY id LIMIT 1");
    if (!row || row->empty()) return Fail(Error::Internal("test", "member"));
    std::int64_t id = row->Int(0, 0);
    auto number = cipher_->Decrypt(row->Bytes(0, 1).bytes);
    auto phone = cipher_->Decrypt(row->Bytes(0, 2).bytes);
    auto everything = org::SubtreeScope::Everything();
    for (const std::string& q : {*number, *phone, row->Text(0, 3)}) {
      auto found = ListMembers(c, everything, *cipher_, MemberQuery{{}, q, "", 1, 200});
      if (!found) return Fail(found.error());
      bool seen = false;
      auto page = boost::json::parse(found->text);
      for (const auto& item : page.at("items").as_array()) {
        seen = seen || item.as_object().at("id").as_int64() == id;
      }
      EXPECT_TRUE(seen) << "query " << q;
    }
    return {};
  });
  ASSERT_TRUE(result.has_value()) << result.error().message;
}

//! spec 02: raw database files contain no ID-card or phone number in clear text.
TEST_F(RegistryTest, DatabaseFileHoldsNoClearNumbers) {
  auto sample = db_->Read([](db::Connection& c) -> Result<std::vector<std::string>> {
    auto rows = c.Query(
        "SELECT id_number_cipher, phone_cipher FROM member WHERE phone_cipher IS NOT NULL ORDER "
        "BY id LIMIT 50");
    if (!rows) return Fail(rows.error());
    std::vector<std::string> clear;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      clear.push_back(*cipher_->Decrypt(rows->Bytes(i, 0).bytes));
      clear.push_back(*cipher_->Decrypt(rows->Bytes(i, 1).bytes));
    }
    return clear;
  });
  ASSERT_TRUE(sample.has_value());
  ASSERT_EQ(sample->size(), 100u);
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(*dir_)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    bytes += all.str();
  }
  ASSERT_GT(bytes.size(), 1'000'000u);
  for (const auto& clear : *sample) EXPECT_EQ(bytes.find(clear), std::string::npos) << clear;
}

TEST(PrepareMemberTest, RefusesAdmissionBeforeTheEighteenthBirthday) {
  MemberInput in;
  in.org_id = 1;
  in.name = "张三";
  in.id_number = "11010519491231002X";
  in.ethnicity = "汉族";
  in.education = "bachelor";
  in.category = "government";
  in.joined_on = "1967-12-30";  // the day before the 18th birthday
  auto refused = PrepareMember(in, "2026-11-23");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "member.joined_under_18");
  in.joined_on = "1967-12-31";  // the 18th birthday
  auto accepted = PrepareMember(in, "2026-11-23");
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message;
  EXPECT_EQ(accepted->sex, "female");
  EXPECT_EQ(accepted->status, "probationary");
  in.confirmed_on = "1967-12-31";
  EXPECT_EQ(PrepareMember(in, "2026-11-23").error().code, "member.confirmed_before_joined");
  in.confirmed_on = "";
  in.id_number = "110105194912310021";
  EXPECT_EQ(PrepareMember(in, "2026-11-23").error().field, "id_number");
}

}  // namespace
}  // namespace zhibu::member
