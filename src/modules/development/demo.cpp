#include "modules/development/demo.h"

#include <array>

#include "modules/development/case_store.h"
#include "modules/org/demo_town.h"
#include "platform/identity/id_number.h"
#include "platform/util/date.h"

namespace zhibu::development {
namespace {

constexpr std::string_view kTownBranches =
    "SELECT id, path, domain FROM organisation WHERE path >= $1 AND path < $2 AND kind IN "
    "('branch', "
    "'joint_branch') AND status = 'active' ORDER BY path";
//! Full members confirmed years ago and never under 留党察看: the demo's contacts and sponsors.
constexpr std::string_view kSeniorMembers =
    "SELECT m.id FROM member m WHERE m.org_id = $1 AND m.status = 'full' AND m.confirmed_on <= $2 "
    "AND m.departed_on IS NULL AND NOT EXISTS (SELECT 1 FROM member_event e WHERE e.member_id = "
    "m.id AND e.kind = 'party_probation') ORDER BY m.id LIMIT 2";
constexpr std::string_view kGroups =
    "SELECT id FROM organisation WHERE parent_id = $1 AND kind = 'group' AND status = 'active' "
    "ORDER BY id LIMIT 1";
constexpr std::string_view kCommitteeBefore =
    "SELECT 1 FROM committee WHERE org_id = $1 AND elected_on <= $2";
constexpr std::string_view kProbationary =
    "SELECT m.id, m.org_id, m.org_path, m.name, m.id_number_cipher, m.ethnicity, m.education, "
    "m.occupation, m.work_unit, m.joined_on, m.sex, m.birth_date, m.category FROM member m WHERE "
    "m.org_path >= "
    "$1 AND m.org_path < $2 AND m.status = 'probationary' AND m.departed_on IS NULL AND "
    "m.joined_on >= $3 AND m.joined_on <= $4 ORDER BY m.id LIMIT 6";

std::string Shift(const std::string& date, int months, int days) {
  auto d = ParseIsoDate(date);
  if (!d) return date;
  auto shifted = AddMonths(*d, months);
  return FormatIsoDate(
      std::chrono::year_month_day(std::chrono::sys_days(shifted) + std::chrono::days(days)));
}

//! One step of the plan: its number, months and days after the application, its data.
struct Planned {
  int number;
  int months;
  int days;
};

//! The standard timeline from the application (month, day offsets), meeting every limit: the
//! activist 7 months after (≥ 6), reviews every 5 months, the target 12 months and 5 days after
//! the activist, the 支部大会 19 months 5 days + 117 days after, approval 2 months later, the
//! conversion meeting 12 months and 3 days after the 支部大会.
constexpr std::array kPlan = {
    Planned{1, 0, 0},     Planned{2, 0, 20},    Planned{3, 7, 0},     Planned{4, 7, 7},
    Planned{5, 7, 10},    Planned{6, 12, 0},    Planned{6, 17, 0},    Planned{7, 19, 5},
    Planned{8, 19, 12},   Planned{9, 19, 22},   Planned{10, 19, 52},  Planned{11, 19, 72},
    Planned{12, 19, 82},  Planned{13, 19, 92},  Planned{14, 19, 99},  Planned{15, 19, 113},
    Planned{16, 19, 133}, Planned{17, 21, 113}, Planned{18, 21, 123}, Planned{19, 21, 128},
    Planned{20, 21, 133}, Planned{21, 24, 113}, Planned{22, 31, 103}, Planned{23, 31, 116},
};

//! Offset of the 支部大会 (step 15) from the application.
constexpr Planned kMeetingOffset{15, 19, 113};

constexpr std::array kSurnames = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴",
                                  "徐", "孙", "马", "胡", "朱", "郭", "何", "罗", "高", "林"};
constexpr std::array kGiven = {"晓燕", "建华", "思远", "雨涵", "志强", "丽娟", "浩然", "欣怡",
                               "国庆", "春梅", "子轩", "明辉", "婷婷", "永刚", "佳琪", "海波"};
constexpr std::array kOccupations = {"农民",   "个体工商户", "教师",       "乡村医生",
                                     "快递员", "企业职工",   "村务工作者", "返乡创业青年"};
constexpr std::array kEducations = {"bachelor", "college", "high_school", "secondary", "junior"};

struct Pools {
  std::vector<std::int64_t> seniors;
  std::optional<std::int64_t> group;
  std::int64_t org_id = 0;
  std::string org_path;
  std::string category;
};

//! The data of planned step `n` on `date` in branch `pools`.
Result<boost::json::object> DataFor(db::Connection& c, int n, const std::string& date,
                                    const Pools& pools) {
  boost::json::object data;
  boost::json::array two;
  for (auto id : pools.seniors) two.push_back(id);
  switch (n) {
    case 2:
      data = {{"interviewer", "支部组织委员"}, {"summary", "了解入党动机，讲明党员条件"}};
      break;
    case 3: {
      auto committee = c.Query(kCommitteeBefore, {pools.org_id, date});
      if (!committee) return Fail(committee.error());
      data = {{"decided_by", committee->empty() ? "general_meeting" : "branch_committee"},
              {"recommended_by", "party_members"}};
      break;
    }
    case 5:
      data = {{"contact_ids", two}};
      break;
    case 6:
    case 21:
      data = {{"assessment", "思想汇报按时，表现良好"}};
      break;
    case 9:
      data = {{"sponsor_ids", two}};
      break;
    case 10:
      data = {{"result", "passed"},
              {"conclusion", "本人政治立场坚定，遵纪守法；直系亲属和主要社会关系无影响入党的问题"}};
      break;
    case 11:
      data = {{"started_on", Shift(date, 0, -2)}, {"days", 3}, {"organiser", "县委党校"}};
      break;
    case 15:
    case 23: {
      auto eligible = EligibleVoters(c, pools.org_id, date);
      if (!eligible) return Fail(eligible.error());
      std::int64_t attending = *eligible > 4 ? *eligible - 1 : *eligible;
      data = {{"attending_voters", attending}, {"votes_for", attending}};
      if (n == 23) data["outcome"] = "on_time";
      break;
    }
    case 16:
      data = {{"interviewer", "镇党委组织委员"}};
      break;
    case 19:
      if (pools.group) data = {{"group_id", *pools.group}};
      break;
    default:
      break;
  }
  return data;
}

//! The planned records from `applied_on` up to and including the `count`-th entry of the plan,
//! and only those on or before `today`.
Result<std::vector<workflow::StepRecord>> History(db::Connection& c, const std::string& applied_on,
                                                  std::size_t count, const Pools& pools,
                                                  const std::string& today,
                                                  const std::string& meeting_on = {}) {
  std::vector<workflow::StepRecord> history;
  for (std::size_t i = 0; i < count && i < kPlan.size(); ++i) {
    std::string date = Shift(applied_on, kPlan[i].months, kPlan[i].days);
    if (kPlan[i].number == kAdmissionMeeting && !meeting_on.empty()) date = meeting_on;
    if (date > today) break;
    auto data = DataFor(c, kPlan[i].number, date, pools);
    if (!data) return Fail(data.error());
    history.push_back({kPlan[i].number, date, std::move(*data)});
  }
  return history;
}

}  // namespace

Result<std::string> LoadDemoDevelopment(db::Database& db, const crypto::FieldCipher& cipher,
                                        const std::string& today) {
  return db.Write([&](db::Connection& c) -> Result<std::string> {
    auto existing = c.Query("SELECT COUNT(*) FROM development_case");
    if (!existing) return Fail(existing.error());
    if (existing->Int(0, 0) > 0) return std::string();
    auto town = org::DemoTownPath(c);
    if (!town) return Fail(town.error());
    if (!*town) return std::string();
    std::string path = **town;
    auto settings = LoadSettings(c);
    if (!settings) return Fail(settings.error());
    org::Change change{audit::Actor{std::nullopt, "demo", "", std::nullopt, ""}, std::nullopt,
                       today, "演示数据"};
    auto branches = c.Query(kTownBranches, {path, org::SubtreeEnd(path)});
    if (!branches) return Fail(branches.error());
    std::string senior_before = Shift(today, -36 * 2, 0);

    // Applicants, activists and targets: in each branch with two senior members, three cases at
    // staggered points of the plan, the last record 3 to 80 days ago (some deadlines near or past).
    int made = 0;
    int serial = 0;
    for (std::size_t b = 0; b < branches->size() && made < 36; ++b) {
      Pools pools;
      pools.org_id = branches->Int(b, 0);
      pools.org_path = branches->Text(b, 1);
      pools.category = DefaultCategory(branches->Text(b, 2));
      if (pools.category.empty()) pools.category = "government";
      auto seniors = c.Query(kSeniorMembers, {pools.org_id, senior_before});
      if (!seniors) return Fail(seniors.error());
      if (seniors->size() < 2) continue;
      for (std::size_t i = 0; i < seniors->size(); ++i) pools.seniors.push_back(seniors->Int(i, 0));
      auto group = c.Query(kGroups, {pools.org_id});
      if (!group) return Fail(group.error());
      if (!group->empty()) pools.group = group->Int(0, 0);
      for (int j = 0; j < 3; ++j, ++serial) {
        // Plan entries 1..16 (up to the 上级党委 interview), spread over the branches.
        std::size_t count = 1 + static_cast<std::size_t>((serial * 7 + j * 3) % 16);
        int ago = 3 + (serial * 13) % 78;
        // A few deliberately late: the talk (1 month), the half-yearly review, the approval (3).
        if (count == 1) ago = 45;
        if (count == 6) ago = 200;
        if (count == 16 && serial % 2 == 0) ago = 100;
        const Planned& last = kPlan[count - 1];
        std::string applied_on = Shift(Shift(today, 0, -ago), -last.months, -last.days);
        // An applicant of 19 to 38 on the application date, born in the county (500102).
        int age = 19 + (serial * 5) % 20;
        std::string birth = Shift(applied_on, -age * 12, -((serial * 37) % 300));
        char body[18];
        std::snprintf(body, sizeof body, "500102%s%03d",
                      (birth.substr(0, 4) + birth.substr(5, 2) + birth.substr(8, 2)).c_str(),
                      (serial * 17) % 1000);
        std::string number =
            std::string(body, 17) + identity::CheckCode(std::string_view(body, 17));
        auto parsed = identity::ParseIdNumber(number, today);
        if (!parsed) return Fail(parsed.error());
        auto history = History(c, applied_on, count, pools, today);
        if (!history) return Fail(history.error());
        StoredCase stored;
        stored.person.org_id = pools.org_id;
        stored.person.name = std::string(kSurnames[serial % kSurnames.size()]) +
                             kGiven[(serial * 3) % kGiven.size()];
        stored.person.ethnicity = "汉族";
        stored.person.education = kEducations[serial % kEducations.size()];
        stored.person.occupation = kOccupations[serial % kOccupations.size()];
        stored.person.work_unit = "";
        stored.person.category = pools.category;
        stored.person.applied_on = applied_on;
        stored.id_number = parsed->number;
        stored.sex = std::string(identity::SexName(parsed->sex));
        stored.birth_date = parsed->birth_date;
        stored.org_path = pools.org_path;
        stored.history = std::move(*history);
        auto id = StoreCase(c, cipher, change, stored, *settings, today);
        if (!id) return Fail(id.error());
        ++made;
      }
    }

    // The development records of the town's probationary members: their 支部大会 is their 入党时间.
    int probationary = 0;
    auto members = c.Query(
        kProbationary, {path, org::SubtreeEnd(path), Shift(today, -12, 1), Shift(today, -3, 0)});
    if (!members) return Fail(members.error());
    for (std::size_t i = 0; i < members->size(); ++i) {
      Pools pools;
      pools.org_id = members->Int(i, 1);
      pools.org_path = members->Text(i, 2);
      auto seniors = c.Query(kSeniorMembers, {pools.org_id, senior_before});
      if (!seniors) return Fail(seniors.error());
      if (seniors->size() < 2) continue;
      for (std::size_t k = 0; k < seniors->size(); ++k) pools.seniors.push_back(seniors->Int(k, 0));
      auto group = c.Query(kGroups, {pools.org_id});
      if (!group) return Fail(group.error());
      if (!group->empty()) pools.group = group->Int(0, 0);
      std::string joined_on = members->Text(i, 9);
      std::string applied_on = Shift(joined_on, -kMeetingOffset.months, -kMeetingOffset.days);
      // Step 15 falls exactly on 入党时间 (the plan's offsets may miss it by a day or two at the
      // end of a month; the steps around it are far enough to keep their order and limits).
      auto history = History(c, applied_on, kPlan.size() - 2, pools, today, joined_on);
      if (!history) return Fail(history.error());
      // The registry says the 党委 approved: a record that has not reached step 17 yet is not made.
      if (history->empty() || history->back().number < kApproval) continue;
      auto number = cipher.Decrypt(members->Bytes(i, 4).bytes);
      if (!number) return Fail(number.error());
      StoredCase stored;
      stored.person.org_id = pools.org_id;
      stored.person.name = members->Text(i, 3);
      stored.person.ethnicity = members->Text(i, 5);
      stored.person.education = members->Text(i, 6);
      stored.person.occupation = members->Text(i, 7);
      stored.person.work_unit = members->Text(i, 8);
      stored.person.category = members->Text(i, 12);
      stored.person.applied_on = applied_on;
      stored.id_number = *number;
      stored.sex = members->Text(i, 10);
      stored.birth_date = members->Text(i, 11);
      stored.org_path = pools.org_path;
      stored.history = std::move(*history);
      stored.member_id = members->Int(i, 0);
      auto id = StoreCase(c, cipher, change, stored, *settings, today);
      if (!id) return Fail(id.error());
      ++probationary;
    }
    return std::to_string(made) + " 名申请人、积极分子和发展对象，" + std::to_string(probationary) +
           " 名预备党员的发展档案";
  });
}

}  // namespace zhibu::development
