// The compliance engine through the API (spec 07) on both backends, on the demo county: the rules
// catalogue, a scan, findings and the board limited to the caller's subtree, acknowledgement
// with a note, and the 三员 kept out.
#include <gtest/gtest.h>

#include <memory>

#include "demo_accounts.h"
#include "harness.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

class ComplianceApiTest : public DemoSuite<ComplianceApiTest> {};

TEST_F(ComplianceApiTest, ScanBoardAndAcknowledgeWithinTheCallersSubtree) {
  auto rules = admin_->Get("/api/v1/rules").Json().at("items").as_array();
  ASSERT_GE(rules.size(), 10u);
  for (const auto& r : rules) EXPECT_FALSE(r.at("source").as_string().empty());

  json::value roots = admin_->Get("/api/v1/orgs/roots").Json();
  std::int64_t root = roots.at("items").as_array()[0].at("id").as_int64();
  auto scan =
      admin_->Post("/api/v1/findings/scan", json::serialize(json::object{{"org_id", root}}));
  ASSERT_EQ(scan.status, 200) << scan.body;
  EXPECT_GT(scan.Json().at("found").as_int64(), 0);

  auto red = admin_->Get("/api/v1/findings?severity=red&page_size=5").Json();
  ASSERT_GT(red.at("total").as_int64(), 0);
  for (const auto& f : red.at("items").as_array()) EXPECT_EQ(f.at("severity").as_string(), "red");
  EXPECT_EQ(admin_->Get("/api/v1/findings?severity=purple").status, 400);
  EXPECT_EQ(admin_->Get("/api/v1/findings?period=2026-13").status, 400);

  auto board = admin_->Get("/api/v1/findings/board?org=" + std::to_string(root)).Json();
  EXPECT_GT(board.at("totals").at("red").as_int64(), 0);
  const auto& totals = board.at("totals");
  const auto& by_status = board.at("by_status");
  EXPECT_EQ(
      by_status.at("open").as_int64() + by_status.at("acknowledged").as_int64(),
      totals.at("red").as_int64() + totals.at("yellow").as_int64() + totals.at("info").as_int64());
  // The daily scan (from the hour of compliance.daily_scan_hour, checked every 5 minutes): the
  // board says when it last ran — never on a young server, else today.
  const auto& last_scan = board.at("last_scan");
  if (!last_scan.is_null()) {
    EXPECT_EQ(last_scan.at("run_on").as_string(), TodayInShanghai());
  }
  ASSERT_FALSE(board.at("children").as_array().empty());
  for (const auto& child : board.at("children").as_array()) {
    std::string light(child.at("light").as_string());
    EXPECT_TRUE(light == "red" || light == "yellow" || light == "green") << light;
  }

  // The 支部书记 sees only their branch's findings; others' are not found.
  json::value mine = secretary_->Get("/api/v1/orgs/roots").Json();
  std::int64_t own = mine.at("items").as_array()[0].at("id").as_int64();
  auto theirs = secretary_->Get("/api/v1/findings?status=all&page_size=200").Json();
  for (const auto& f : theirs.at("items").as_array()) {
    EXPECT_EQ(f.at("org_id").as_int64(), own) << json::serialize(f);
  }
  std::int64_t foreign = 0;
  for (const auto& f : red.at("items").as_array()) {
    if (f.at("org_id").as_int64() != own) foreign = f.at("id").as_int64();
  }
  ASSERT_NE(foreign, 0);
  std::string path = "/api/v1/findings/" + std::to_string(foreign) + "/acknowledge";
  EXPECT_EQ(secretary_->Post(path, R"({"note":"x"})").status, 404);
  EXPECT_EQ(secretary_->Get("/api/v1/findings/board?org=" + std::to_string(root)).status, 404);

  // Acknowledged with a note; a second time is a conflict.
  auto bare = admin_->Post(path, R"({"note":""})");
  EXPECT_EQ(bare.status, 400);
  auto ack = admin_->Post(path, R"({"note":"已约谈，限期整改"})");
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.Json().at("status").as_string(), "acknowledged");
  EXPECT_EQ(admin_->Post(path, R"({"note":"again"})").status, 409);
}

}  // namespace
}  // namespace zhibu::apitest
