#pragma once
//! The organisation tree's store (组织树): every read and write of organisations, limited to a
//! SubtreeScope, audited, never deleting. Moves, merges and dissolutions keep history
//! (organisation_change, organisation_placement), so the tree of any past date can be rebuilt.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "modules/org/subtree_scope.h"
#include "platform/audit/audit_trail.h"
#include "platform/db/database.h"
#include "platform/util/embedded.h"

namespace zhibu::embedded {
//! The module's SQL, embedded by cmake/Modules.cmake.
const std::vector<EmbeddedFile>& org_migrations();
}  // namespace zhibu::embedded

namespace zhibu::org {

//! One organisation as stored.
struct OrgRecord {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::string kind;
  std::string domain;
  std::optional<std::int64_t> parent_id;
  std::string path;
  int depth = 0;
  std::string status;
  std::optional<std::string> status_on;
  std::optional<std::int64_t> merged_into;
  std::optional<std::string> founded_on;
  std::string approval_document;
  std::string address;
  std::string units;  //!< JSON array text: [{"name","employees"}]
  std::int64_t child_count = 0;
  std::int64_t member_count = 0;  //!< active members in the whole subtree

  //! The OrgSummary of docs/api-org-member.md.
  boost::json::object Summary() const;
};

//! A new organisation.
struct OrgInput {
  std::optional<std::int64_t> parent_id;  //!< none: a root (command line only)
  std::string code;
  std::string name;
  std::string kind;
  std::string domain;
  std::optional<std::string> founded_on;
  std::string approval_document;
  std::string address;
  boost::json::array units;
};

//! Who changes the tree, when (the date the change takes effect) and why.
struct Change {
  audit::Actor actor;
  std::optional<std::int64_t> account_id;
  std::string date;
  std::string reason;
};

//! Appends one successful audit event `action` on `target` (`member:42`, `meeting:7`) for
//! `change`: its reason goes into `detail` when given, and its date too when `with_date` (the
//! tree's and the registry's changes, which take effect on a date of their own).
Result<void> AuditChange(db::Connection& c, const Change& change, std::string action,
                         std::string target, boost::json::object detail, bool with_date = false);

//! `AuditChange`, then `compliance::Touch` of `org_path`: the end of a change that the compliance
//! rules read (a dues payment, a step of a 发展党员 or 处置 case), so that the subtree's findings
//! are recomputed by the incremental scan.
Result<void> AuditChangeAndTouch(db::Connection& c, const Change& change, std::string action,
                                 std::string target, boost::json::object detail,
                                 std::string_view org_path);

//! What the member registry lets the tree ask of it (set by the members module at start-up; the
//! tree works without it, with zero counts).
struct MembershipHooks {
  //! Active members in the subtree under each path.
  std::function<Result<std::map<std::string, std::int64_t>>(db::Connection&,
                                                            const std::vector<std::string>&)>
      subtree_member_counts;
  //! The subtree under `old_prefix` now lies under `new_prefix` from `date` (a move: its members
  //! leave one subtree and join another, 整建制).
  std::function<Result<void>(db::Connection&, const std::string& old_prefix,
                             const std::string& new_prefix, const std::string& date)>
      on_path_change;
  //! Every active member of `from` becomes a member of `into` (a merge) on `change.date`.
  std::function<Result<void>(db::Connection&, const Change& change, std::int64_t from,
                             std::int64_t into)>
      on_merge;
  //! Organisations `ids` were created, updated, merged, dissolved or elected a committee (the
  //! statistics' subtree counters follow, in the same transaction).
  std::function<Result<void>(db::Connection&, std::span<const std::int64_t> ids)> after_org_change;
};
MembershipHooks& Hooks();

//! Reads (every one limited to `scope`; an id outside is `org.not_found`, 404).
Result<OrgRecord> GetOrg(db::Connection& c, const SubtreeScope& scope, std::int64_t id);
Result<OrgRecord> GetOrgByCode(db::Connection& c, const SubtreeScope& scope, std::string_view code);
Result<std::vector<OrgRecord>> ChildrenOf(db::Connection& c, const SubtreeScope& scope,
                                          std::int64_t id);
//! The scope's own roots (the organisations the caller's grants are on).
Result<std::vector<OrgRecord>> ScopeRoots(db::Connection& c, const SubtreeScope& scope);
//! id and name of every ancestor inside the scope, top first.
Result<boost::json::array> AncestorsOf(db::Connection& c, const SubtreeScope& scope,
                                       const OrgRecord& org);
//! The history of changes, oldest first.
Result<boost::json::array> HistoryOf(db::Connection& c, const SubtreeScope& scope, std::int64_t id);
//! The path of organisation `id` on `date` (from its placements), or nothing when it did not
//! exist then.
Result<std::optional<std::string>> PathOn(db::Connection& c, std::int64_t id,
                                          const std::string& date);

//! Writes (audited in the same transaction).
//! Validates and creates; the parent must be active and in scope; a root needs Everything().
Result<OrgRecord> CreateOrg(db::Connection& c, const SubtreeScope& scope, const Change& change,
                            const OrgInput& input);
//! Applies `{name, domain, address, approval_document, units}` when present.
Result<OrgRecord> UpdateOrg(db::Connection& c, const SubtreeScope& scope, const Change& change,
                            std::int64_t id, const boost::json::object& patch);
//! Re-parents `id` (with its subtree) under `new_parent`; refuses a move into its own subtree.
Result<OrgRecord> MoveOrg(db::Connection& c, const SubtreeScope& scope, const Change& change,
                          std::int64_t id, std::int64_t new_parent);
//! Merges `id` into `into`: its members and children move there, it becomes `merged`.
Result<OrgRecord> MergeOrg(db::Connection& c, const SubtreeScope& scope, const Change& change,
                           std::int64_t id, std::int64_t into);
//! Marks `id` dissolved; refused while it has active children or members.
Result<OrgRecord> DissolveOrg(db::Connection& c, const SubtreeScope& scope, const Change& change,
                              std::int64_t id);

//! Marks the organisation's subtree for the compliance engine's incremental rescan.
Result<void> TouchOrganisation(db::Connection& c, std::int64_t id);

//! Validation of an OrgInput (field errors name the field); exposed for imports.
Result<void> ValidateOrgInput(const OrgInput& input);

}  // namespace zhibu::org
