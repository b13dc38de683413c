#pragma once
//! For the orglife unit tests (header-only, included by *_test.cpp only): a scratch database on
//! either backend with every migration applied, and a small registry written straight into its
//! tables — a town with branches A and B, full members of A, and a member of B away and attached
//! to A (流入党员).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "modules/org/org_store.h"
#include "platform/db/migrations.h"
#include "platform/db/scratch_database.h"
#include "platform/module/manifest.h"

namespace zhibu::orglife::test {

using Backend = db::ScratchDatabase::Backend;

class RegistryTest : public ::testing::TestWithParam<Backend> {
 protected:
  //! Builds the registry in a database named after `prefix`; skips without PostgreSQL.
  void Build(const std::string& prefix, int members_of_a) {
    if (!db::ScratchDatabase::Available(GetParam())) GTEST_SKIP() << "no PostgreSQL test cluster";
    scratch_ = std::make_unique<db::ScratchDatabase>(GetParam(), prefix);
    ASSERT_TRUE(db::ApplyMigrations(db(), AllMigrations()).has_value());
    auto built = db().Write([&](db::Connection& c) -> Result<void> {
      town_ = Org(c, std::nullopt, "/", "T", "committee");
      a_ = Org(c, town_, "/" + std::to_string(town_) + "/", "A", "branch");
      b_ = Org(c, town_, "/" + std::to_string(town_) + "/", "B", "branch");
      for (int i = 0; i < members_of_a; ++i) {
        full_.push_back(Member(c, a_, "正式" + std::to_string(i), "2000-01-01", "2001-01-01"));
      }
      outsider_ = Member(c, b_, "乙支部党员", "2000-01-01", "2001-01-01");
      mobile_ = Member(c, b_, "流动", "2000-01-01", "2001-01-01");
      Exec(c, "UPDATE member SET away_since = '2025-10-01', attached_org_id = $1 WHERE id = $2",
           {a_, mobile_});
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
        "'汉族', '1970-01-01', $4, $5, 'x', 'bachelor', $6, $7, 'rural', 'full', $6, 'x', 'x') "
        "RETURNING id",
        {org, Path(c, org), name, db::Blob{"x"}, "idx" + std::to_string(serial), joined,
         confirmed});
    std::int64_t out = id->Int(0, 0);
    Exec(c,
         "INSERT INTO member_span (member_id, org_id, status, valid_from) VALUES ($1, $2, 'full', "
         "$3)",
         {out, org, joined});
    return out;
  }

  std::unique_ptr<db::ScratchDatabase> scratch_;
  org::Change change_{{std::nullopt, "test", "", std::nullopt, "local"}, std::nullopt, "", ""};
  std::int64_t town_ = 0, a_ = 0, b_ = 0, outsider_ = 0, mobile_ = 0;
  std::vector<std::int64_t> full_;
};

}  // namespace zhibu::orglife::test
