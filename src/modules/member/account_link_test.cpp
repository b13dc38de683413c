//! Accounts linked to members, on both backends: an administrator links an account to a member of
//! their subtree (audited), the account then knows its member at login; a member outside the
//! subtree, one who has left, a member already linked elsewhere and an account of the 三员 are
//! refused; an account linked to someone else's member is not the administrator's to change.

#include "modules/member/account_link.h"

#include <gtest/gtest.h>

#include "platform/audit/audit_trail.h"
#include "platform/auth/identity.h"
#include "platform/db/migrations.h"
#include "platform/db/scratch_database.h"
#include "platform/module/manifest.h"

namespace zhibu::member {
namespace {

using Backend = db::ScratchDatabase::Backend;

class AccountLinkTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!db::ScratchDatabase::Available(GetParam())) GTEST_SKIP() << "no PostgreSQL test cluster";
    scratch_ = std::make_unique<db::ScratchDatabase>(GetParam(), "zhibu_account_link");
    ASSERT_TRUE(db::ApplyMigrations(db(), AllMigrations()).has_value());
    identity_ = std::make_unique<auth::IdentityService>(db(), auth::AuthSettings{});
    auto built = db().Write([&](db::Connection& c) -> Result<void> {
      std::int64_t town = Org(c, std::nullopt, "/", "T", "committee");
      a_ = Org(c, town, "/" + std::to_string(town) + "/", "A", "branch");
      b_ = Org(c, town, "/" + std::to_string(town) + "/", "B", "branch");
      in_a_ = Member(c, a_, "甲", "full");
      other_in_a_ = Member(c, a_, "丙", "full");
      in_b_ = Member(c, b_, "乙", "full");
      exited_ = Member(c, a_, "丁", "exited");
      return {};
    });
    ASSERT_TRUE(built.has_value()) << built.error().message;
    auto created = identity_->CreateAccount(actor_, "dangyuan", "党员甲", "Dang#Yuan2026", false);
    ASSERT_TRUE(created.has_value()) << created.error().message;
    account_ = created->account.id;
    auto second = identity_->CreateAccount(actor_, "dangyuan2", "党员丙", "", true);
    ASSERT_TRUE(second.has_value());
    second_ = second->account.id;
    auto admin = identity_->CreateAccount(actor_, "sysadmin", "系统管理员", "", true);
    ASSERT_TRUE(admin.has_value());
    admin_ = admin->account.id;
    ASSERT_TRUE(identity_->GrantRole(actor_, admin_, "system_admin", std::nullopt).has_value());
  }

  db::Database& db() { return scratch_->db(); }

  static std::int64_t Org(db::Connection& c, std::optional<std::int64_t> parent,
                          const std::string& parent_path, const std::string& code,
                          const std::string& kind) {
    auto id = c.Query(
        "INSERT INTO organisation (code, name, kind, domain, parent_id, path, depth, created_at, "
        "updated_at) VALUES ($1, $2, $3, 'rural', $4, '', 0, 'x', 'x') RETURNING id",
        {code, "组织" + code, kind, parent ? db::Value(*parent) : db::Value(nullptr)});
    std::int64_t out = id->Int(0, 0);
    EXPECT_TRUE(c.Execute("UPDATE organisation SET path = $1 WHERE id = $2",
                          {parent_path + std::to_string(out) + "/", out})
                    .has_value());
    return out;
  }
  static std::int64_t Member(db::Connection& c, std::int64_t org, const std::string& name,
                             const std::string& status) {
    static int serial = 0;
    ++serial;
    auto path = c.Query("SELECT path FROM organisation WHERE id = $1", {org})->Text(0, 0);
    auto id = c.Query(
        "INSERT INTO member (org_id, org_path, name, initials, sex, ethnicity, birth_date, "
        "id_number_cipher, id_number_index, id_number_masked, education, joined_on, confirmed_on, "
        "category, status, status_on, created_at, updated_at) VALUES ($1, $2, $3, 'x', 'male', "
        "'汉族', '1970-01-01', $4, $5, 'x', 'bachelor', '2000-01-01', '2001-01-01', 'rural', $6, "
        "'2001-01-01', 'x', 'x') RETURNING id",
        {org, path, name, db::Blob{"x"}, "link" + std::to_string(serial), status});
    return id->Int(0, 0);
  }
  org::SubtreeScope ScopeOf(std::int64_t org) {
    auto path = db().Read([&](db::Connection& c) -> Result<std::string> {
      return c.Query("SELECT path FROM organisation WHERE id = $1", {org})->Text(0, 0);
    });
    return org::SubtreeScope::Of({path.value()});
  }
  Result<boost::json::object> Link(const org::SubtreeScope& scope, std::int64_t account,
                                   std::optional<std::int64_t> member) {
    return db().Write([&](db::Connection& c) {
      return LinkAccountToMember(c, *identity_, scope, actor_, account, member);
    });
  }

  std::unique_ptr<db::ScratchDatabase> scratch_;
  std::unique_ptr<auth::IdentityService> identity_;
  audit::Actor actor_{std::nullopt, "zuzhibu", "org_department_admin", std::nullopt, "local"};
  std::int64_t a_ = 0, b_ = 0, in_a_ = 0, other_in_a_ = 0, in_b_ = 0, exited_ = 0;
  std::int64_t account_ = 0, second_ = 0, admin_ = 0;
};

TEST_P(AccountLinkTest, AnAdministratorLinksAnAccountToAMemberOfTheirSubtree) {
  auto linked = Link(ScopeOf(a_), account_, in_a_);
  ASSERT_TRUE(linked.has_value()) << linked.error().message;
  EXPECT_EQ(linked->at("member").at("id").as_int64(), in_a_);
  EXPECT_EQ(linked->at("member").at("name").as_string(), "甲");
  EXPECT_EQ(linked->at("member").at("org_id").as_int64(), a_);
  EXPECT_EQ(identity_->GetAccount(account_)->member_id, in_a_);

  // The account knows its member from login on, and says so.
  auto login = identity_->LogIn("dangyuan", "Dang#Yuan2026", "", "local");
  ASSERT_TRUE(login.has_value()) << login.error().message;
  EXPECT_EQ(login->principal.member_id, in_a_);
  EXPECT_EQ(login->principal.ToJson().at("member_id").as_int64(), in_a_);
  EXPECT_EQ(identity_->GetAccount(account_)->ToJson().at("member_id").as_int64(), in_a_);

  auto trail = audit::List(db(), {.page = 1,
                                  .size = 10,
                                  .action_prefix = "account.link_member",
                                  .actor = "",
                                  .target = "account:" + std::to_string(account_),
                                  .result = "",
                                  .from = "",
                                  .to = ""});
  ASSERT_TRUE(trail.has_value());
  ASSERT_EQ(trail->total, 1);
  EXPECT_NE(trail->events[0].detail.find("\"after\":{\"member_id\":" + std::to_string(in_a_)),
            std::string::npos)
      << trail->events[0].detail;

  // Unlinked: the account acts as nobody again.
  auto unlinked = Link(ScopeOf(a_), account_, std::nullopt);
  ASSERT_TRUE(unlinked.has_value()) << unlinked.error().message;
  EXPECT_TRUE(unlinked->at("member").is_null());
  EXPECT_FALSE(identity_->GetAccount(account_)->member_id.has_value());
}

TEST_P(AccountLinkTest, OutsideTheSubtreeLeftTakenOrAdministratorsAreRefused) {
  auto outside = Link(ScopeOf(a_), account_, in_b_);
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(outside.error().field, "member_id");
  auto left = Link(ScopeOf(a_), account_, exited_);
  ASSERT_FALSE(left.has_value());
  EXPECT_EQ(left.error().field, "member_id");
  auto missing = Link(ScopeOf(a_), account_, 99'999'999);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().field, "member_id");

  auto administrator = Link(ScopeOf(a_), admin_, in_a_);
  ASSERT_FALSE(administrator.has_value());
  EXPECT_EQ(administrator.error().code, "account.separated_admin");
  EXPECT_EQ(administrator.error().kind, ErrorKind::kUnprocessable);

  ASSERT_TRUE(Link(ScopeOf(a_), account_, in_a_).has_value());
  auto taken = Link(ScopeOf(a_), second_, in_a_);
  ASSERT_FALSE(taken.has_value());
  EXPECT_EQ(taken.error().code, "account.member_taken");
  EXPECT_EQ(taken.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(taken.error().field, "member_id");
  EXPECT_TRUE(Link(ScopeOf(a_), second_, other_in_a_).has_value());

  // B's administrator may not move A's member's account, nor see that it exists.
  auto foreign = Link(ScopeOf(b_), account_, in_b_);
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(foreign.error().code, Link(ScopeOf(b_), 99'999'999, in_b_).error().code);
  EXPECT_EQ(identity_->GetAccount(account_)->member_id, in_a_) << "nothing changed";
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountLinkTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == Backend::kSqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace zhibu::member
