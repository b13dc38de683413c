// 发展党员 (spec 06) through the API, on both backends, against `zhibu serve --demo`: a branch of
// known members made for the test, then one person walked from application to full member with
// every gate refused at its edge and passed just past it — the day before vs on the 18th
// birthday, the activist named before vs after 6 months (local setting), cultivation ending the
// day before vs on the first anniversary of the activist date, 2 vs 3 days of training, the
// quorum and the majority of the 支部大会, the 3-month approval limit, the end of the probation,
// an extension of 5 vs 6 and 12 vs 13 months, extended only once. Also: the member record made on
// approval, documents, closing a case, ids outside the caller's subtree answering 404, and the
// pipeline of the demo county equal to the counts of its cases by current step.

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "demo_accounts.h"
#include "harness.h"
#include "platform/identity/id_number.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

std::string Num(std::int64_t n) { return std::to_string(n); }

//! A valid ID number of someone born on `birth` (YYYY-MM-DD), serial `serial`.
std::string BornOn(const std::string& birth, int serial) {
  char body[32];
  std::snprintf(body, sizeof body, "110105%s%s%s%03d", birth.substr(0, 4).c_str(),
                birth.substr(5, 2).c_str(), birth.substr(8, 2).c_str(), serial % 1000);
  return std::string(body, 17) + identity::CheckCode(std::string_view(body, 17));
}

class DevelopmentApiTest : public DemoSuite<DevelopmentApiTest> {
 protected:
  //! A new branch under a town of the demo county with `full` full members (confirmed 2011) and
  //! one probationary member; answers {branch, members...}.
  struct Branch {
    std::int64_t id = 0;
    std::vector<std::int64_t> full;
    std::int64_t probationary = 0;
  };
  static Branch MakeBranch(int full) {
    static int serial = 0;
    ++serial;
    json::value roots = admin_->Get("/api/v1/orgs/roots").Json();
    std::int64_t root = roots.at("items").as_array()[0].at("id").as_int64();
    std::int64_t town = 0;
    json::value children = admin_->Get("/api/v1/orgs/" + Num(root) + "/children").Json();
    for (const auto& k : children.at("items").as_array()) {
      if (k.at("kind").as_string() == "committee") {
        town = k.at("id").as_int64();
        break;
      }
    }
    Branch b;
    auto org = Post(*admin_, "/api/v1/orgs",
                    {{"parent_id", town},
                     {"code", "DEV-TEST-" + Num(serial)},
                     {"name", "中共发展测试第" + Num(serial) + "支部委员会"},
                     {"kind", "branch"},
                     {"domain", "rural"},
                     {"founded_on", "2009-07-01"}});
    EXPECT_EQ(org.status, 201) << org.body;
    b.id = org.Json().at("id").as_int64();
    for (int i = 0; i <= full; ++i) {
      bool is_full = i < full;
      json::object member{
          {"org_id", b.id},
          {"name", std::string(is_full ? "正式" : "预备") + Num(i + 1)},
          {"id_number", BornOn("1970-03-0" + Num(1 + i % 9), 300 + serial * 20 + i)},
          {"ethnicity", "汉族"},
          {"education", "bachelor"},
          {"category", "rural"},
          {"joined_on", is_full ? "2010-07-01" : "2025-06-01"}};
      if (is_full) member["confirmed_on"] = "2011-07-01";
      auto made = Post(*admin_, "/api/v1/members", member);
      EXPECT_EQ(made.status, 201) << made.body;
      if (is_full) {
        b.full.push_back(made.Json().at("id").as_int64());
      } else {
        b.probationary = made.Json().at("id").as_int64();
      }
    }
    return b;
  }

  //! Opens a case in `branch` for someone born on `birth`, applying on `applied_on`.
  static HttpResult Apply(std::int64_t branch, const std::string& birth,
                          const std::string& applied_on, int serial) {
    return Post(*admin_, "/api/v1/development/cases",
                {{"org_id", branch},
                 {"name", "申请人" + Num(serial)},
                 {"id_number", BornOn(birth, 600 + serial)},
                 {"phone", "13900000" + std::to_string(100 + serial)},
                 {"ethnicity", "汉族"},
                 {"education", "college"},
                 {"occupation", "农民"},
                 {"applied_on", applied_on}});
  }

  //! Records step `step` on `done_on` with `fields`.
  static HttpResult Step(std::int64_t id, int step, const std::string& done_on,
                         json::object fields = {}) {
    fields["step"] = step;
    fields["done_on"] = done_on;
    return Post(*admin_, "/api/v1/development/cases/" + Num(id) + "/steps", fields);
  }

  //! Expects `r` to be the refusal `code` naming `field`.
  static void ExpectRefused(const HttpResult& r, int status, const std::string& code,
                            const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    if (!code.empty()) {
      EXPECT_EQ(r.ErrorCode(), code) << r.body;
    }
    if (r.status >= 400 && !field.empty()) {
      EXPECT_EQ(std::string(r.Json().at("error").at("field").as_string()), field) << r.body;
    }
  }

  //! Walks case `id` (applied 2022-01-10 in `b`) with valid dates up to and including step
  //! `last` (≤ 22), the 支部大会 on 2023-12-01.
  static void WalkTo(std::int64_t id, const Branch& b, int last) {
    const std::vector<std::pair<int, std::pair<std::string, json::object>>> plan = {
        {2, {"2022-01-20", {{"interviewer", "组织委员"}}}},
        {3, {"2022-07-10", {{"decided_by", "general_meeting"}, {"recommended_by", "both"}}}},
        {4, {"2022-07-15", {}}},
        {5, {"2022-07-20", {{"contact_ids", json::array{b.full[0]}}}}},
        {6, {"2022-12-01", {{"assessment", "表现良好"}}}},
        {7, {"2023-07-10", {}}},
        {8, {"2023-07-15", {}}},
        {9, {"2023-07-20", {{"sponsor_ids", json::array{b.full[0], b.full[1]}}}}},
        {10, {"2023-08-20", {{"result", "passed"}, {"conclusion", "政治合格"}}}},
        {11, {"2023-09-03", {{"started_on", "2023-09-01"}, {"days", 3}}}},
        {12, {"2023-09-10", {}}},
        {13, {"2023-09-20", {}}},
        {14, {"2023-09-25", {{"form_number", "2023-017"}}}},
        {15, {"2023-12-01", {{"attending_voters", 5}, {"votes_for", 5}}}},
        {16, {"2023-12-10", {{"interviewer", "党委组织委员"}}}},
        {17, {"2024-01-20", {{"approved_by", "测试镇党委"}}}},
        {18, {"2024-01-25", {}}},
        {19, {"2024-01-26", {}}},
        {20, {"2024-01-27", {}}},
        {21, {"2024-06-01", {{"assessment", "表现良好"}}}},
        {22, {"2024-11-20", {}}},
    };
    for (const auto& [step, what] : plan) {
      if (step > last) break;
      auto r = Step(id, step, what.first, what.second);
      ASSERT_EQ(r.status, 201) << "step " << step << ": " << r.body;
    }
  }
};

TEST_F(DevelopmentApiTest, EveryGateRefusesAtItsEdgeAndPassesJustPastIt) {
  Branch b = MakeBranch(6);
  // Under 18 the day before the 18th birthday; 18 on it.
  ExpectRefused(Apply(b.id, "2004-01-10", "2022-01-09", 1), 422, "development.under_eighteen",
                "applied_on");
  auto made = Apply(b.id, "2004-01-10", "2022-01-10", 1);
  ASSERT_EQ(made.status, 201) << made.body;
  std::int64_t id = made.Json().at("id").as_int64();
  EXPECT_EQ(made.Json().at("stage").as_string(), "application");
  EXPECT_EQ(made.Json().at("id_number").as_string().size(), 18u);
  EXPECT_NE(std::string(made.Json().at("id_number").as_string()).find("********"),
            std::string::npos);
  ExpectRefused(Apply(b.id, "2004-01-10", "2022-01-10", 1), 409, "development.duplicate_case",
                "id_number");

  // Order: the target cannot come before the talk.
  ExpectRefused(Step(id, 7, "2022-01-20"), 409, "workflow.step_out_of_order", "step");
  ASSERT_EQ(Step(id, 2, "2022-01-20", {{"interviewer", "组织委员"}}).status, 201);
  // Activist: the application 6 months old (local setting), on 2022-07-10, not a day earlier.
  ExpectRefused(Step(id, 3, "2022-07-09", {{"decided_by", "general_meeting"}}), 422,
                "development.application_too_recent", "done_on");
  // No committee on that date: the 支部大会 decides, not a 支委会.
  ExpectRefused(Step(id, 3, "2022-07-10", {{"decided_by", "branch_committee"}}), 422,
                "development.decided_by", "decided_by");
  ASSERT_EQ(Step(id, 3, "2022-07-10", {{"decided_by", "general_meeting"}}).status, 201);
  ASSERT_EQ(Step(id, 4, "2022-07-15").status, 201);
  // Contacts: full members only.
  ExpectRefused(Step(id, 5, "2022-07-20", {{"contact_ids", json::array{b.probationary}}}), 422,
                "development.contacts", "contact_ids");
  ExpectRefused(
      Step(id, 5, "2022-07-20", {{"contact_ids", json::array{b.full[0], b.full[1], b.full[2]}}}),
      400, "workflow.field_invalid", "contact_ids");
  ASSERT_EQ(Step(id, 5, "2022-07-20", {{"contact_ids", json::array{b.full[0]}}}).status, 201);
  ASSERT_EQ(Step(id, 6, "2022-12-01", {{"assessment", "表现良好"}}).status, 201);
  ASSERT_EQ(Step(id, 6, "2023-05-20", {{"assessment", "表现良好"}}).status, 201);
  // Target: cultivation ends the day before the first anniversary of 2022-07-10 — refused; on it.
  ExpectRefused(Step(id, 7, "2023-07-09"), 422, "development.cultivation_one_year", "done_on");
  ASSERT_EQ(Step(id, 7, "2023-07-10").status, 201);
  ASSERT_EQ(Step(id, 8, "2023-07-15").status, 201);
  // Sponsors: two full members, neither under 留党察看 on the date.
  auto probation = Post(*admin_, "/api/v1/members/" + Num(b.full[5]) + "/party-probation",
                        {{"since", "2023-01-01"}, {"reason", "党纪处分决定（测试）"}});
  ASSERT_EQ(probation.status, 200) << probation.body;
  ExpectRefused(Step(id, 9, "2023-07-20", {{"sponsor_ids", json::array{b.full[0], b.full[5]}}}),
                422, "development.sponsors", "sponsor_ids");
  ExpectRefused(Step(id, 9, "2023-07-20", {{"sponsor_ids", json::array{b.full[0]}}}), 400,
                "workflow.field_invalid", "sponsor_ids");
  ASSERT_EQ(Step(id, 9, "2023-07-20", {{"sponsor_ids", json::array{b.full[0], b.full[1]}}}).status,
            201);
  ExpectRefused(Step(id, 10, "2023-08-20", {{"result", "passed"}}), 400, "workflow.field_missing",
                "conclusion");
  ASSERT_EQ(Step(id, 10, "2023-08-20", {{"result", "passed"}, {"conclusion", "政治合格"}}).status,
            201);
  // Training: 2 days refused, 3 days (or 24 hours) pass.
  ExpectRefused(Step(id, 11, "2023-09-02", {{"started_on", "2023-09-01"}, {"days", 2}}), 422,
                "development.training_too_short", "days");
  ExpectRefused(Step(id, 11, "2023-09-02", {{"started_on", "2023-09-01"}, {"hours", 23}}), 422,
                "development.training_too_short", "hours");
  ASSERT_EQ(Step(id, 11, "2023-09-03", {{"started_on", "2023-09-01"}, {"days", 3}}).status, 201);
  ASSERT_EQ(Step(id, 12, "2023-09-10").status, 201);
  // Pre-review: leaving within 3 months is not processed; leaving later is.
  ExpectRefused(Step(id, 13, "2023-09-20", {{"leaving_on", "2023-12-20"}}), 422,
                "development.leaving_within_three_months", "leaving_on");
  ASSERT_EQ(Step(id, 13, "2023-09-20", {{"leaving_on", "2023-12-21"}}).status, 201);
  ASSERT_EQ(Step(id, 14, "2023-09-25").status, 201);
  // 支部大会: 5 of the 6 full members vote (one under 留党察看, the probationary member none):
  // 2 present of 5 is no quorum, 3 is; 2 yes of 5 does not pass, 3 does.
  ExpectRefused(Step(id, 15, "2023-12-01",
                     {{"expected_voters", 6}, {"attending_voters", 5}, {"votes_for", 5}}),
                422, "development.expected_voters", "expected_voters");
  ExpectRefused(Step(id, 15, "2023-12-01", {{"attending_voters", 2}, {"votes_for", 2}}), 422,
                "development.quorum_not_met", "attending_voters");
  ExpectRefused(Step(id, 15, "2023-12-01", {{"attending_voters", 3}, {"votes_for", 2}}), 422,
                "development.vote_not_passed", "votes_for");
  ASSERT_EQ(Step(id, 15, "2023-12-01", {{"attending_voters", 3}, {"votes_for", 3}}).status, 201);
  ASSERT_EQ(Step(id, 16, "2023-12-10", {{"interviewer", "党委组织委员"}}).status, 201);
  // Approval within 3 months (by 2024-03-01); up to 6 with the special reason.
  ExpectRefused(Step(id, 17, "2024-03-02"), 422, "development.approval_late", "special_reason");
  ExpectRefused(Step(id, 17, "2024-06-02", {{"special_reason", "党委换届"}}), 422,
                "development.approval_late", "done_on");
  auto approved = Step(id, 17, "2024-03-01", {{"approved_by", "测试镇党委"}});
  ASSERT_EQ(approved.status, 201) << approved.body;
  // The member record: probationary from the 支部大会 date, in the branch.
  std::int64_t member = approved.Json().at("member_id").as_int64();
  auto m = admin_->Get("/api/v1/members/" + Num(member)).Json();
  EXPECT_EQ(m.at("status").as_string(), "probationary");
  EXPECT_EQ(m.at("joined_on").as_string(), "2023-12-01");
  EXPECT_EQ(m.at("org_id").as_int64(), b.id);
  EXPECT_EQ(approved.Json().at("stage").as_string(), "probationary");
  // Dues are due from the month of the 支部大会 (中组发〔2008〕3号 第八条), not before.
  auto base = Post(*admin_, "/api/v1/members/" + Num(member) + "/dues/bases",
                   {{"category", "farmer"}, {"amount", "0.50"}, {"effective_month", "2023-11"}});
  ASSERT_EQ(base.status, 201) << base.body;
  auto card = admin_->Get("/api/v1/members/" + Num(member) + "/dues?year=2023").Json();
  const auto& months = card.at("months").as_array();
  ASSERT_EQ(months.size(), 12u);
  EXPECT_TRUE(months[10].at("due").is_null()) << json::serialize(months[10]);
  EXPECT_EQ(months[11].at("due").as_string(), "0.50") << json::serialize(months[11]);
  EXPECT_EQ(approved.Json().at("probation_ends_on").as_string(), "2024-12-01");

  ASSERT_EQ(Step(id, 18, "2024-03-05").status, 201);
  ExpectRefused(Step(id, 19, "2024-03-06", {{"group_id", b.id}}), 400, "development.group_invalid",
                "group_id");
  ASSERT_EQ(Step(id, 19, "2024-03-06").status, 201);
  ASSERT_EQ(Step(id, 20, "2024-03-07").status, 201);
  ASSERT_EQ(Step(id, 21, "2024-06-01", {{"assessment", "表现良好"}}).status, 201);
  ASSERT_EQ(Step(id, 22, "2024-11-20").status, 201);
  // Conversion: not before the end of the probation; an extension of 6–12 months.
  json::object vote{{"attending_voters", 4}, {"votes_for", 4}};
  json::object extend = vote;
  extend["outcome"] = "extend";
  extend["extension_months"] = 12;
  ExpectRefused(Step(id, 23, "2024-11-30", extend), 422, "development.probation_not_ended",
                "done_on");
  extend["extension_months"] = 13;
  ExpectRefused(Step(id, 23, "2024-12-01", extend), 422, "development.extension_months",
                "extension_months");
  extend["extension_months"] = 12;
  ASSERT_EQ(Step(id, 23, "2024-12-01", extend).status, 201);
  // Its approval within 3 months.
  ExpectRefused(Step(id, 24, "2025-03-02"), 422, "development.approval_late", "done_on");
  auto extended = Step(id, 24, "2025-03-01");
  ASSERT_EQ(extended.status, 201) << extended.body;
  EXPECT_EQ(extended.Json().at("probation_ends_on").as_string(), "2025-12-01");
  EXPECT_EQ(extended.Json().at("stage").as_string(), "probationary");
  ASSERT_EQ(Step(id, 22, "2025-11-20").status, 201);
  extend["extension_months"] = 6;
  ExpectRefused(Step(id, 23, "2025-11-30", vote), 400, "workflow.field_missing", "outcome");
  ExpectRefused(Step(id, 23, "2025-12-01", extend), 422, "development.extended_once", "outcome");
  json::object on_time = vote;
  on_time["outcome"] = "on_time";
  ExpectRefused(Step(id, 23, "2025-11-30", on_time), 422, "development.probation_not_ended",
                "done_on");
  ASSERT_EQ(Step(id, 23, "2025-12-01", on_time).status, 201);
  auto converted = Step(id, 24, "2026-01-15");
  ASSERT_EQ(converted.status, 201) << converted.body;
  EXPECT_EQ(converted.Json().at("stage").as_string(), "converted");
  EXPECT_EQ(converted.Json().at("confirmed_on").as_string(), "2025-12-01");
  m = admin_->Get("/api/v1/members/" + Num(member)).Json();
  EXPECT_EQ(m.at("status").as_string(), "full");
  EXPECT_EQ(m.at("confirmed_on").as_string(), "2025-12-01");
  auto archived = Step(id, 25, "2026-01-20", {{"archive_place", "personnel_file"}});
  ASSERT_EQ(archived.status, 201) << archived.body;
  EXPECT_EQ(archived.Json().at("status").as_string(), "completed");
  EXPECT_TRUE(archived.Json().at("next_steps").as_array().empty());
  ExpectRefused(Step(id, 25, "2026-01-21", {{"archive_place", "personnel_file"}}), 409,
                "development.case_ended", "");
  // The annual statistics count the person in 2023, the year of the 支部大会, aged 19 then.
  auto stats = admin_->Get("/api/v1/development/statistics?org=" + Num(b.id) + "&year=2023");
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(stats.Json().at("developed").as_int64(), 1);
  EXPECT_EQ(stats.Json().at("aged_35_and_under").as_int64(), 1);
  EXPECT_EQ(admin_->Get("/api/v1/development/statistics?org=" + Num(b.id) + "&year=2024")
                .Json()
                .at("developed")
                .as_int64(),
            0);
  EXPECT_EQ(admin_->Get("/api/v1/development/statistics?year=20x4").status, 400);
  // The timeline holds every record, refusals changed nothing.
  auto whole = admin_->Get("/api/v1/development/cases/" + Num(id)).Json();
  EXPECT_EQ(whole.at("steps").as_array().size(), 29u);
}

TEST_F(DevelopmentApiTest, AnExtensionOfSixMonthsPassesAndFiveIsRefused) {
  Branch b = MakeBranch(5);
  auto made = Apply(b.id, "1990-05-05", "2022-01-10", 2);
  ASSERT_EQ(made.status, 201) << made.body;
  std::int64_t id = made.Json().at("id").as_int64();
  WalkTo(id, b, 22);
  json::object extend{
      {"attending_voters", 4}, {"votes_for", 3}, {"outcome", "extend"}, {"extension_months", 5}};
  ExpectRefused(Step(id, 23, "2024-12-01", extend), 422, "development.extension_months",
                "extension_months");
  extend["extension_months"] = 6;
  ASSERT_EQ(Step(id, 23, "2024-12-01", extend).status, 201);
  auto approved = Step(id, 24, "2025-01-10");
  ASSERT_EQ(approved.status, 201) << approved.body;
  EXPECT_EQ(approved.Json().at("probation_ends_on").as_string(), "2025-06-01");
  EXPECT_EQ(approved.Json().at("extended_months").as_int64(), 6);
}

TEST_F(DevelopmentApiTest, DocumentsClosingScopeAndBadInput) {
  Branch b = MakeBranch(5);
  auto made = Apply(b.id, "1995-02-28", "2022-01-10", 3);
  ASSERT_EQ(made.status, 201) << made.body;
  std::int64_t id = made.Json().at("id").as_int64();
  std::string base = "/api/v1/development/cases/" + Num(id);
  auto early = admin_->Get(base + "/documents/public_notice");
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.ErrorCode(), "development.document_not_ready");
  EXPECT_EQ(admin_->Get(base + "/documents/nonsense").status, 404);
  WalkTo(id, b, 17);
  for (std::string kind : {"public_notice", "political_review", "approval_letter"}) {
    auto doc = admin_->Get(base + "/documents/" + kind);
    ASSERT_EQ(doc.status, 200) << kind << ": " << doc.body.substr(0, 200);
    EXPECT_EQ(doc.body.substr(0, 2), "PK") << kind;
    EXPECT_NE(doc.headers["content-type"].find("wordprocessingml"), std::string::npos);
    EXPECT_NE(doc.headers["content-disposition"].find(".docx"), std::string::npos);
  }
  // An admitted case is not closed: its probation is decided by the 支部大会.
  auto refused = Post(*admin_, base + "/close",
                      {{"closed_on", "2024-02-01"}, {"outcome", "withdrawn"}, {"reason", "测试"}});
  ExpectRefused(refused, 409, "development.case_admitted", "");

  auto other = Apply(b.id, "1996-03-03", "2024-01-10", 4);
  ASSERT_EQ(other.status, 201) << other.body;
  std::string other_base = "/api/v1/development/cases/" + Num(other.Json().at("id").as_int64());
  ExpectRefused(Post(*admin_, other_base + "/close",
                     {{"closed_on", "2024-02-01"}, {"outcome", "gone"}, {"reason", "测试"}}),
                400, "development.outcome_invalid", "outcome");
  ExpectRefused(Post(*admin_, other_base + "/close",
                     {{"closed_on", "2024-01-09"}, {"outcome", "withdrawn"}, {"reason", "测试"}}),
                400, "development.closed_on_before_last", "closed_on");
  auto closed =
      Post(*admin_, other_base + "/close",
           {{"closed_on", "2024-02-01"}, {"outcome", "withdrawn"}, {"reason", "本人撤回申请"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json().at("status").as_string(), "closed");
  // Bad input names the field and changes nothing.
  ExpectRefused(Step(id, 18, "2024-13-01"), 400, "", "done_on");
  ExpectRefused(Step(id, 18, "2099-01-01"), 400, "", "done_on");
  ExpectRefused(Apply(b.id, "1990-01-01", "2024-02-30", 5), 400, "", "applied_on");
  auto bad_id = Post(*admin_, "/api/v1/development/cases",
                     {{"org_id", b.id},
                      {"name", "某人"},
                      {"id_number", "110105199001011235"},
                      {"applied_on", "2024-01-01"}});
  EXPECT_EQ(bad_id.status, 400) << bad_id.body;
  EXPECT_EQ(std::string(bad_id.Json().at("error").at("field").as_string()), "id_number");
  // The branch secretary of another town sees none of this: 404, as for a missing id.
  EXPECT_EQ(secretary_->Get(base).status, 404);
  EXPECT_EQ(secretary_->Get(base + "/documents/approval_letter").status, 404);
  auto step = server_->Send("POST", base + "/steps",
                            json::serialize(json::object{{"step", 18}, {"done_on", "2024-01-25"}}),
                            secretary_->Headers());
  EXPECT_EQ(step.status, 404) << step.body;
  auto listed = secretary_->Get("/api/v1/development/cases?status=all&page_size=200").Json();
  for (const auto& item : listed.at("items").as_array()) {
    EXPECT_NE(item.at("org_id").as_int64(), b.id);
  }
}

TEST_F(DevelopmentApiTest, ThePipelineOfTheDemoCountyEqualsItsCasesByCurrentStep) {
  auto steps = admin_->Get("/api/v1/development/steps");
  ASSERT_EQ(steps.status, 200);
  EXPECT_EQ(steps.Json().at("steps").as_array().size(), 25u);
  auto pipeline = admin_->Get("/api/v1/development/pipeline");
  ASSERT_EQ(pipeline.status, 200) << pipeline.body;
  auto p = pipeline.Json();
  // Every open case of the county, page by page, counted by current step and stage.
  std::map<std::int64_t, std::int64_t> by_step;
  std::map<std::string, std::int64_t> by_stage;
  std::int64_t overdue = 0;
  std::int64_t total = 0;
  for (int page = 1;; ++page) {
    auto list = admin_->Get("/api/v1/development/cases?page_size=200&page=" + Num(page)).Json();
    const auto& items = list.at("items").as_array();
    for (const auto& item : items) {
      ++by_step[item.at("current_step").as_int64()];
      ++by_stage[std::string(item.at("stage").as_string())];
      if (!item.at("due").is_null() && item.at("due").at("state").as_string() == "overdue") {
        ++overdue;
      }
      ++total;
    }
    if (items.size() < 200) break;
  }
  EXPECT_GT(total, 20);  // the demo has cases at many steps
  EXPECT_EQ(p.at("open_cases").as_int64(), total);
  std::int64_t pipeline_overdue = 0;
  for (const auto& s : p.at("steps").as_array()) {
    EXPECT_EQ(s.at("count").as_int64(), by_step[s.at("number").as_int64()])
        << "step " << s.at("number").as_int64();
    pipeline_overdue += s.at("overdue").as_int64();
  }
  for (const auto& s : p.at("stages").as_array()) {
    EXPECT_EQ(s.at("count").as_int64(), by_stage[std::string(s.at("id").as_string())])
        << s.at("id").as_string();
  }
  EXPECT_EQ(pipeline_overdue, overdue);
  auto overdue_list = admin_->Get("/api/v1/development/cases?due=overdue&page_size=200").Json();
  EXPECT_EQ(overdue_list.at("total").as_int64(), overdue);
  // The children's counts add up to the whole.
  std::int64_t children = 0;
  for (const auto& c : p.at("children").as_array()) children += c.at("open_cases").as_int64();
  EXPECT_EQ(children, total);
}

}  // namespace
}  // namespace zhibu::apitest
