#pragma once
//! Demo and benchmark data (spec 03 "Demo and benchmark data"): a 涪陵-like county or a 黄冈-like
//! city with exactly the organisation and member counts of the spec, plausible names, valid ID
//! numbers from the region's area codes, the national bulletin's distributions (women ~31%,
//! ≥ 61 years ~29%, college-educated ~58%), a year of membership events, and a few percent of
//! deliberate faults (branches under 3 full members, overdue terms, lost contact). The same seed
//! gives the same data.

#include <cstdint>
#include <string>
#include <vector>

#include "platform/module/manifest.h"

namespace zhibu::member {

//! The size of a demo deployment.
struct DemoScale {
  std::string name;  //!< county | city
  int counties = 1;
  std::int64_t organisations = 0;  //!< exact
  std::int64_t members = 0;        //!< exact
};
DemoScale CountyScale();
DemoScale CityScale();

//! What the generator made.
struct DemoReport {
  std::int64_t organisations = 0;
  std::int64_t members = 0;
  std::int64_t events = 0;
  std::int64_t root_id = 0;
  std::int64_t sample_branch_id = 0;
};

//! Generates `scale` into an empty registry (refuses a database that already has organisations:
//! 409 `demo.not_empty`), in one transaction, audited as one `demo.load` event; the statistics'
//! subtree counters are rebuilt once at the end.
Result<DemoReport> GenerateDemo(db::Database& db, const crypto::FieldCipher& cipher,
                                const DemoScale& scale, std::uint64_t seed,
                                const std::string& today);

//! The demo's 组织部 account (org_department_admin on the root) and 支部书记 account (on a
//! sample branch), and a 党员 account `dangyuan` (party_member on the sample branch) linked to the
//! branch's first current member, so that check-in and leave can be tried as a member; each with a
//! must-change one-time password. Answers one printable line per login.
Result<std::vector<std::string>> CreateDemoAccounts(db::Database& db,
                                                    auth::IdentityService& identity,
                                                    const DemoReport& report);

//! `zhibu serve --demo`: the county, plus a 组织部 account on the root and a 支部书记 account
//! on one branch (one-time passwords printed), unless organisations exist already.
Result<std::string> LoadDemoCounty(DemoContext& context);

//! `zhibu demo --scale county|city [--seed N] [--accounts]`.
void RegisterDemoCommand(CommandRegistry& registry);

}  // namespace zhibu::member
