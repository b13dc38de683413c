//! The record store on both backends: who is expected comes from the registry on the record's
//! date (member_span, the committee then, the 党小组), who may vote on that date (转正, 留党察看),
//! 流入党员 taking part at the destination, and the life cycle's guards.

#include "modules/orglife/meeting_store.h"

#include <gtest/gtest.h>

#include "modules/org/subtree_scope.h"
#include "modules/orglife/rules.h"
#include "platform/db/migrations.h"
#include "platform/db/scratch_database.h"
#include "platform/module/manifest.h"

namespace zhibu::orglife {
namespace {

using Backend = db::ScratchDatabase::Backend;

//! A small tree written straight into the tables: a town with branches A and B, a 党小组 G in A,
//! and members whose history the tests rely on.
class MeetingStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!db::ScratchDatabase::Available(GetParam())) GTEST_SKIP() << "no PostgreSQL test cluster";
    scratch_ = std::make_unique<db::ScratchDatabase>(GetParam(), "zhibu_orglife_store");
    ASSERT_TRUE(db::ApplyMigrations(db(), AllMigrations()).has_value());
    auto built = db().Write([&](db::Connection& c) -> Result<void> {
      town_ = Org(c, std::nullopt, "/", "T", "committee");
      a_ = Org(c, town_, "/" + std::to_string(town_) + "/", "A", "branch");
      b_ = Org(c, town_, "/" + std::to_string(town_) + "/", "B", "branch");
      group_ = Org(c, a_, Path(c, a_), "G", "group");
      // A: four full members (the first in the 党小组), one admitted on 2026-03-01 and confirmed
      // 2027-03-01 (probationary in 2026), one under 留党察看 from 2026-01-10, one who moved to B
      // on 2026-05-01, one who joined A on 2026-07-01.
      for (int i = 0; i < 4; ++i)
        full_.push_back(Member(c, a_, "正式" + std::to_string(i), "2000-01-01", "2001-01-01"));
      Exec(c, "UPDATE member SET group_id = $1 WHERE id = $2", {group_, full_[0]});
      probationary_ = Member(c, a_, "预备", "2026-03-01", "2027-03-01");
      disciplined_ = Member(c, a_, "察看", "2000-01-01", "2001-01-01");
      Exec(c,
           "INSERT INTO member_event (member_id, kind, happened_on, org_id, org_path, reason, "
           "created_at) VALUES ($1, 'party_probation', '2026-01-10', $2, $3, '处分决定', 'x')",
           {disciplined_, a_, Path(c, a_)});
      moved_ = Member(c, a_, "调出", "2000-01-01", "2001-01-01");
      Exec(c, "UPDATE member_span SET valid_to = '2026-05-01' WHERE member_id = $1", {moved_});
      Exec(c,
           "INSERT INTO member_span (member_id, org_id, status, valid_from) VALUES ($1, $2, "
           "'full', '2026-05-01')",
           {moved_, b_});
      Exec(c, "UPDATE member SET org_id = $1, org_path = $2 WHERE id = $3",
           {b_, Path(c, b_), moved_});
      late_ = Member(c, a_, "新来", "2000-01-01", "2001-01-01");
      Exec(c, "UPDATE member_span SET valid_from = '2026-07-01' WHERE member_id = $1", {late_});
      // B's member, away and attached to A for organisational life (双重组织生活).
      mobile_ = Member(c, b_, "流动", "2000-01-01", "2001-01-01");
      Exec(c, "UPDATE member SET away_since = '2025-10-01', attached_org_id = $1 WHERE id = $2",
           {a_, mobile_});
      // A's committee of three, elected 2026-02-01; none before.
      auto committee = c.Query(
          "INSERT INTO committee (org_id, elected_on, term_years, term_ends_on, created_at) VALUES "
          "($1, '2026-02-01', 3, '2029-02-01', 'x') RETURNING id",
          {a_});
      if (!committee) return Fail(committee.error());
      for (int i = 0; i < 3; ++i) {
        Exec(
            c,
            "INSERT INTO committee_position (committee_id, position, member_id, member_name) "
            "VALUES ($1, 'member', $2, $3)",
            {committee->Int(0, 0), full_[static_cast<std::size_t>(i)], "正式" + std::to_string(i)});
      }
      return {};
    });
    ASSERT_TRUE(built.has_value()) << built.error().message;
  }

  db::Database& db() { return scratch_->db(); }

  static void Exec(db::Connection& c, const std::string& sql, std::initializer_list<db::Value> p) {
    auto done = c.Execute(sql, p);
    ASSERT_TRUE(done.has_value()) << sql << ": " << done.error().message;
  }
  static std::string Path(db::Connection& c, std::int64_t id) {
    return c.Query("SELECT path FROM organisation WHERE id = $1", {id})->Text(0, 0);
  }
  static std::int64_t Org(db::Connection& c, std::optional<std::int64_t> parent,
                          const std::string& parent_path, const std::string& code,
                          const std::string& kind) {
    auto id = c.Query(
        "INSERT INTO organisation (code, name, kind, domain, parent_id, path, depth, created_at, "
        "updated_at) VALUES ($1, $2, $3, 'rural', $4, '', 0, 'x', 'x') RETURNING id",
        {code, "组织" + code, kind, parent ? db::Value(*parent) : db::Value(nullptr)});
    std::int64_t out = id->Int(0, 0);
    Exec(c, "UPDATE organisation SET path = $1 WHERE id = $2",
         {parent_path + std::to_string(out) + "/", out});
    return out;
  }
  static std::int64_t Member(db::Connection& c, std::int64_t org, const std::string& name,
                             const std::string& joined, const std::string& confirmed) {
    static int serial = 0;
    ++serial;
    auto id = c.Query(
        "INSERT INTO member (org_id, org_path, name, initials, sex, ethnicity, birth_date, "
        "id_number_cipher, id_number_index, id_number_masked, education, joined_on, confirmed_on, "
        "category, status, status_on, created_at, updated_at) VALUES ($1, $2, $3, 'x', 'male', "
        "'汉族', '1970-01-01', $4, $5, 'x', 'bachelor', $6, $7, 'rural', $8, $6, 'x', 'x') "
        "RETURNING id",
        {org, Path(c, org), name, db::Blob{"x"}, "idx" + std::to_string(serial), joined, confirmed,
         std::string(confirmed <= "2026-12-31" ? "full" : "probationary")});
    std::int64_t out = id->Int(0, 0);
    Exec(c,
         "INSERT INTO member_span (member_id, org_id, status, valid_from) VALUES ($1, $2, $3, $4)",
         {out, org, std::string(confirmed <= "2026-06-15" ? "full" : "probationary"), joined});
    return out;
  }

  static MeetingInput Input(std::int64_t org, std::string kind, std::string day) {
    MeetingInput in;
    in.org_id = org;
    in.kind = std::move(kind);
    in.topic = "学习";
    in.planned_start = day + "T09:00";
    in.planned_end = day + "T10:00";
    return in;
  }

  Result<std::int64_t> Create(const MeetingInput& in) {
    return db().Write([&](db::Connection& c) {
      return CreateMeeting(c, org::SubtreeScope::Everything(), change_, in);
    });
  }
  boost::json::object Get(std::int64_t id) {
    auto got = db().Read(
        [&](db::Connection& c) { return GetMeeting(c, org::SubtreeScope::Everything(), id); });
    EXPECT_TRUE(got.has_value()) << got.error().message;
    return got.value_or(boost::json::object{});
  }
  //! The attendance row of `member` in `record`, or null.
  static const boost::json::object* RowOf(const boost::json::object& record, std::int64_t member) {
    for (const auto& item : record.at("attendance").at("items").as_array()) {
      const auto& o = item.as_object();
      if (!o.at("member_id").is_null() && o.at("member_id").as_int64() == member) return &o;
    }
    return nullptr;
  }

  std::unique_ptr<db::ScratchDatabase> scratch_;
  org::Change change_{{std::nullopt, "test", "", std::nullopt, "local"}, std::nullopt, "", ""};
  std::int64_t town_ = 0, a_ = 0, b_ = 0, group_ = 0;
  std::vector<std::int64_t> full_;
  std::int64_t probationary_ = 0, disciplined_ = 0, moved_ = 0, late_ = 0, mobile_ = 0;
};

TEST_P(MeetingStoreTest, TheExpectedAreTheMembersOnTheRecordsDate) {
  auto june = Create(Input(a_, "branch_general_meeting", "2026-06-15"));
  ASSERT_TRUE(june.has_value()) << june.error().message;
  auto record = Get(*june);
  for (auto m : full_) EXPECT_NE(RowOf(record, m), nullptr);
  EXPECT_NE(RowOf(record, probationary_), nullptr);
  EXPECT_NE(RowOf(record, disciplined_), nullptr);
  EXPECT_EQ(RowOf(record, moved_), nullptr) << "moved to B on 2026-05-01";
  EXPECT_EQ(RowOf(record, late_), nullptr) << "joined A on 2026-07-01";
  ASSERT_NE(RowOf(record, mobile_), nullptr) << "流入党员 may take part at A";
  EXPECT_EQ(RowOf(record, mobile_)->at("role").as_string(), "attached");
  // Who may vote on 2026-06-15.
  EXPECT_TRUE(RowOf(record, full_[0])->at("voting").as_bool());
  EXPECT_FALSE(RowOf(record, probationary_)->at("voting").as_bool());
  EXPECT_EQ(RowOf(record, probationary_)->at("no_vote_reason").as_string(), "预备党员");
  EXPECT_FALSE(RowOf(record, disciplined_)->at("voting").as_bool());
  EXPECT_EQ(RowOf(record, disciplined_)->at("no_vote_reason").as_string(), "留党察看期间");
  const auto& counts = record.at("attendance").at("counts");
  EXPECT_EQ(counts.at("expected").as_int64(), 6);
  EXPECT_EQ(counts.at("voting_expected").as_int64(), 4);

  // In April the member who later moved was still in A, and before 2026-01-10 the disciplined
  // member could vote.
  auto april = Create(Input(a_, "branch_general_meeting", "2026-04-15"));
  ASSERT_TRUE(april.has_value());
  EXPECT_NE(RowOf(Get(*april), moved_), nullptr);
  auto january = Create(Input(a_, "branch_general_meeting", "2026-01-09"));
  ASSERT_TRUE(january.has_value());
  auto jan = Get(*january);
  EXPECT_TRUE(RowOf(jan, disciplined_)->at("voting").as_bool());
  EXPECT_EQ(RowOf(jan, probationary_), nullptr) << "admitted on 2026-03-01";

  // Moving the date of a draft recomputes who is expected, keeping what was recorded.
  MeetingInput mark;
  mark.attendance = std::vector<AttendanceInput>{{full_[1], "", "present", ""}};
  auto marked = db().Write([&](db::Connection& c) {
    return UpdateMeeting(c, org::SubtreeScope::Everything(), change_, *june, mark);
  });
  ASSERT_TRUE(marked.has_value()) << marked.error().message;
  MeetingInput later;
  later.planned_start = "2026-07-20T09:00";
  later.planned_end = "2026-07-20T10:00";
  auto moved = db().Write([&](db::Connection& c) {
    return UpdateMeeting(c, org::SubtreeScope::Everything(), change_, *june, later);
  });
  ASSERT_TRUE(moved.has_value()) << moved.error().message;
  auto july = Get(*june);
  EXPECT_NE(RowOf(july, late_), nullptr);
  EXPECT_EQ(RowOf(july, full_[1])->at("status").as_string(), "present");
}

TEST_P(MeetingStoreTest, CommitteeAndGroupMeetingsExpectTheirOwnPeople) {
  auto before = Create(Input(a_, "committee_meeting", "2026-01-20"));
  ASSERT_FALSE(before.has_value()) << "no committee before 2026-02-01";
  EXPECT_EQ(before.error().code, "orglife.no_committee");
  auto committee = Create(Input(a_, "committee_meeting", "2026-03-20"));
  ASSERT_TRUE(committee.has_value()) << committee.error().message;
  EXPECT_EQ(Get(*committee).at("attendance").at("counts").at("expected").as_int64(), 3);

  auto group = Create(Input(group_, "group_meeting", "2026-03-20"));
  ASSERT_TRUE(group.has_value()) << group.error().message;
  auto g = Get(*group);
  EXPECT_EQ(g.at("attendance").at("counts").at("expected").as_int64(), 1);
  EXPECT_NE(RowOf(g, full_[0]), nullptr);
  auto wrong = Create(Input(a_, "group_meeting", "2026-03-20"));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().field, "kind");
}

TEST_P(MeetingStoreTest, SubmissionFixesTheRecordAndCountsAttendanceForTheMember) {
  MeetingInput in = Input(a_, "theme_day", "2026-06-10");
  in.actual_start = "2026-06-10T09:00";
  in.actual_end = "2026-06-10T10:00";
  in.place = "会议室";
  in.host_name = "正式0";
  in.recorder_name = "正式1";
  in.minutes = "记录";
  in.attendance = std::vector<AttendanceInput>{
      {full_[0], "", "present", ""}, {mobile_, "", "present", ""}, {full_[1], "", "leave", "出差"}};
  auto id = Create(in);
  ASSERT_TRUE(id.has_value()) << id.error().message;
  auto counted = [&] {
    return db().Read([&](db::Connection& c) -> Result<std::int64_t> {
      auto rows = c.Query(
          "SELECT COUNT(*) FROM meeting_attendance WHERE counted_on = '2026-06-10' AND status <> "
          "'absent'");
      if (!rows) return Fail(rows.error());
      return rows->Int(0, 0);
    });
  };
  EXPECT_EQ(*counted(), 0) << "a draft does not count";
  auto submitted = db().Write([&](db::Connection& c) {
    return SubmitMeeting(c, org::SubtreeScope::Everything(), change_, *id);
  });
  ASSERT_TRUE(submitted.has_value()) << submitted.error().message;
  EXPECT_EQ(*counted(), 3) << "present at A, the 流入党员 present at A, one on leave";
  auto again = db().Write([&](db::Connection& c) {
    return UpdateMeeting(c, org::SubtreeScope::Everything(), change_, *id, MeetingInput{});
  });
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, "orglife.not_editable");
  // A's town reviews; A does not review itself.
  auto own = db().Write([&](db::Connection& c) {
    return ReviewMeeting(
        c, org::SubtreeScope::Of({"/" + std::to_string(town_) + "/" + std::to_string(a_) + "/"}),
        change_, *id, "accept", {});
  });
  ASSERT_FALSE(own.has_value());
  EXPECT_EQ(own.error().code, "orglife.review_own");
  auto accepted = db().Write([&](db::Connection& c) {
    return ReviewMeeting(c, org::SubtreeScope::Of({"/" + std::to_string(town_) + "/"}), change_,
                         *id, "accept", {});
  });
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message;
}

//! The organisational-life rules over the town on 2026-11-23: the findings of `rule` as
//! (subject id, severity).
std::vector<std::pair<std::int64_t, std::string>> Findings(db::Database& db, std::int64_t town,
                                                           std::string_view rule) {
  auto found = db.Read([&](db::Connection& c) -> Result<std::vector<compliance::Finding>> {
    std::string path = "/" + std::to_string(town) + "/";
    compliance::ScanContext ctx{
        c, path, org::SubtreeEnd(path), *compliance::ParsePeriod("2026-11"), "2026-11-23", {}};
    for (const auto& spec : OrgLifeRules()) {
      if (spec.id == rule) return spec.scan(ctx);
    }
    return Fail(Error::Internal("test.rule", std::string(rule)));
  });
  EXPECT_TRUE(found.has_value()) << found.error().message;
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& f : found.value_or(std::vector<compliance::Finding>{})) {
    out.emplace_back(f.subject_id, f.severity);
  }
  return out;
}

TEST_P(MeetingStoreTest, AMobileMembersLifeAtTheDestinationCountsForTheirHome) {
  auto held = [&](std::int64_t org, std::string kind, std::string day,
                  std::vector<AttendanceInput> attendance) {
    MeetingInput in = Input(org, std::move(kind), day);
    in.actual_start = day + "T09:00";
    in.actual_end = day + "T10:00";
    in.place = "会议室";
    in.host_name = "主持人";
    in.recorder_name = "记录人";
    in.minutes = "记录";
    in.attendance = std::move(attendance);
    auto id = Create(in);
    EXPECT_TRUE(id.has_value()) << id.error().message;
    auto done = db().Write([&](db::Connection& c) {
      return SubmitMeeting(c, org::SubtreeScope::Everything(), change_, id.value_or(0));
    });
    EXPECT_TRUE(done.has_value()) << done.error().message;
    return id.value_or(0);
  };
  const std::string_view rule = "orglife.member.six_months_without_life";
  // B holds its 主题党日 without the member away; nothing of theirs anywhere yet.
  held(b_, "theme_day", "2026-11-10", {{moved_, "", "present", ""}, {mobile_, "", "absent", ""}});
  auto before = Findings(db(), town_, rule);
  EXPECT_NE(std::find(before.begin(), before.end(), std::pair{mobile_, std::string("red")}),
            before.end());
  EXPECT_EQ(
      std::count_if(before.begin(), before.end(), [&](const auto& f) { return f.first == moved_; }),
      0);
  // At A, where the member is attached, they take part: that counts for B too.
  held(a_, "theme_day", "2026-11-05",
       {{mobile_, "", "present", ""}, {full_[0], "", "present", ""}});
  auto after = Findings(db(), town_, rule);
  EXPECT_EQ(
      std::count_if(after.begin(), after.end(), [&](const auto& f) { return f.first == mobile_; }),
      0);
  // A's members absent from it are flagged (A now offers organisational life); the member on
  // leave with a reason is not.
  held(a_, "party_lecture", "2026-11-06",
       {{full_[1], "", "leave", "住院"}, {full_[3], "", "present", ""}});
  auto members = Findings(db(), town_, rule);
  auto flagged = [&](std::int64_t id) {
    return std::count_if(members.begin(), members.end(),
                         [&](const auto& f) { return f.first == id; }) > 0;
  };
  EXPECT_TRUE(flagged(full_[2]));
  EXPECT_FALSE(flagged(full_[0]));
  EXPECT_FALSE(flagged(full_[1]));

  // A, with a committee since February, held no 支委会 in October nor yet in November: red.
  auto committee = Findings(db(), town_, "orglife.committee_meeting.monthly");
  EXPECT_NE(std::find(committee.begin(), committee.end(), std::pair{a_, std::string("red")}),
            committee.end());
  EXPECT_EQ(std::count_if(committee.begin(), committee.end(),
                          [&](const auto& f) { return f.first == b_; }),
            0)
      << "B has no committee";
  // B held its 主题党日; A too.
  auto theme = Findings(db(), town_, "orglife.theme_day.monthly");
  EXPECT_TRUE(theme.empty());

  // A 党员大会 that votes with two of its six voting members present.
  MeetingInput general = Input(a_, "branch_general_meeting", "2026-11-12");
  general.actual_start = "2026-11-12T09:00";
  general.actual_end = "2026-11-12T10:00";
  general.place = "会议室";
  general.host_name = "主持人";
  general.recorder_name = "记录人";
  general.minutes = "记录";
  general.attendance =
      std::vector<AttendanceInput>{{full_[0], "", "present", ""}, {full_[1], "", "present", ""}};
  VoteInput vote;
  vote.resolution = "表决";
  vote.ballots = {{full_[0], "yes"}, {full_[1], "yes"}};
  general.votes = std::vector<VoteInput>{vote};
  auto id = Create(general);
  ASSERT_TRUE(id.has_value()) << id.error().message;
  ASSERT_TRUE(db().Write([&](db::Connection& c) {
                    return SubmitMeeting(c, org::SubtreeScope::Everything(), change_, *id);
                  })
                  .has_value());
  auto votes = Findings(db(), town_, "orglife.general_meeting.vote_without_quorum");
  ASSERT_EQ(votes.size(), 1u);
  EXPECT_EQ(votes[0].first, *id);
}

INSTANTIATE_TEST_SUITE_P(Backends, MeetingStoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace zhibu::orglife
