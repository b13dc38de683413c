#pragma once
//! The store of 发展党员 cases (spec 06): a case per person, its step records, the pipeline of a
//! subtree. Each function works inside the caller's transaction and sees only the caller's
//! subtree (an id outside is a 404 like a missing one); every write is audited and marks the
//! branch for the compliance engine. Step records are checked by the workflow engine against
//! AdmissionTable() with the facts gathered here (committee, members, voters, 党小组).

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/development/steps.h"
#include "modules/org/org_store.h"
#include "modules/org/subtree_scope.h"
#include "platform/crypto/field_cipher.h"
#include "platform/util/embedded.h"

namespace zhibu::embedded {
const std::vector<EmbeddedFile>& development_migrations();
}  // namespace zhibu::embedded

namespace zhibu::development {

//! Step 1, 递交入党申请书: the applicant and the branch that received the application.
struct CaseInput {
  std::int64_t org_id = 0;
  std::string name;
  std::string id_number;
  std::string phone;
  std::string ethnicity;
  std::string education;
  std::string occupation;
  std::string work_unit;
  std::string
      category;  //!< the member category (党员类别) they will have; default from the branch's 领域
  std::string applied_on;
  std::string note;
};

//! Opens a case: the applicant is validated like a member (GB 11643 ID number, vocabularies) and
//! must be 18 on `applied_on` (422 `development.under_eighteen`); the branch must be active and
//! in scope. 409 `development.duplicate_case` for a second open case of the same person, 409
//! `development.already_member` for someone in the registry. Answers the case (CaseJson).
Result<boost::json::object> CreateCase(db::Connection& c, const org::SubtreeScope& scope,
                                       const crypto::FieldCipher& cipher, const org::Change& change,
                                       const CaseInput& in, const std::string& today);

//! One case with its timeline, deadlines and documents (404 `development.case_not_found`).
Result<boost::json::object> GetCase(db::Connection& c, const org::SubtreeScope& scope,
                                    std::int64_t id, const std::string& today);

//! A page of cases (see docs/api-development.md for the filters).
struct CaseQuery {
  std::optional<std::int64_t> org_id;
  std::string stage;
  std::optional<int> step;
  std::string status = "open";
  std::string q;
  std::string due;
  std::int64_t page = 1;
  std::int64_t page_size = 20;
};
Result<boost::json::object> ListCases(db::Connection& c, const org::SubtreeScope& scope,
                                      const CaseQuery& query, const std::string& today);

//! Records the next step from the request body `{step, done_on, note?, …fields}`; applies its
//! effects (17: the member record; 19: the 党小组; 24: 转正, the extension or the cancellation;
//! 25: the case completed). Answers the case.
Result<boost::json::object> RecordStep(db::Connection& c, const org::SubtreeScope& scope,
                                       const crypto::FieldCipher& cipher, const org::Change& change,
                                       std::int64_t id, const boost::json::object& body,
                                       const std::string& today);

//! Ends an open case before admission: `outcome` withdrawn | not_admitted | moved_away, with the
//! reason and the date. Answers the case.
Result<boost::json::object> CloseCase(db::Connection& c, const org::SubtreeScope& scope,
                                      const org::Change& change, std::int64_t id,
                                      const std::string& closed_on, const std::string& outcome,
                                      const std::string& reason, const std::string& today);

//! Open cases of the subtree of `org_id` (default: the scope's first root) counted by stage, by
//! current step and by child organisation, with how many are due soon or overdue.
Result<boost::json::object> Pipeline(db::Connection& c, const org::SubtreeScope& scope,
                                     std::optional<std::int64_t> org_id, const std::string& today);

//! 发展党员 of `year` in the subtree of `org_id` for the annual report (党内统计年报, rules.md
//! §6.1): the cases admitted by a 支部大会 in that year and approved by the 党委, by sex, by age on
//! the 支部大会 date (35 and under), by education and by occupation.
Result<boost::json::object> YearStatistics(db::Connection& c, const org::SubtreeScope& scope,
                                           std::optional<std::int64_t> org_id, int year);

//! Everything a generated document needs of a case.
struct CaseFile {
  std::int64_t id = 0;
  std::string name;
  std::string sex;
  std::string birth_date;
  std::string ethnicity;
  std::string education;
  std::string occupation;
  std::string work_unit;
  std::string category;
  std::int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  std::string parent_name;  //!< the 党委 above the branch (the approving body by default)
  std::string status;
  std::vector<workflow::StepRecord> history;
  std::map<std::string, std::int64_t> settings;
  std::map<std::int64_t, std::string> member_names;  //!< of the contacts and sponsors named
};
Result<CaseFile> LoadCaseFile(db::Connection& c, const org::SubtreeScope& scope, std::int64_t id);

//! The settings the table reads (development.*), with their current values.
Result<std::map<std::string, std::int64_t>> LoadSettings(db::Connection& c);

//! The columns a case's row keeps in step with its records (written by RecordStep, the demo).
struct CaseState {
  std::string status;
  std::string stage;
  int current_step = 0;
  KeyDates dates;
  std::optional<workflow::Deadline> next_due;
};
CaseState StateOf(const std::vector<workflow::StepRecord>& history,
                  const std::map<std::string, std::int64_t>& settings, const std::string& today);

//! The member category (党员类别) a branch of `domain` (领域) gives by default: 农村, 社区, 机关,
//! 非公, 离退休 alike; empty for the others (the category must then be chosen).
std::string DefaultCategory(std::string_view domain);

//! Voting members of branch `org_id` on `date`: its full members then, less those under 留党察看
//! (党章 第五、七条: probationary members and members under 留党察看 do not vote).
Result<std::int64_t> EligibleVoters(db::Connection& c, std::int64_t org_id,
                                    const std::string& date);

//! Stores a case with its records as given, without the engine's checks — for records whose dates
//! were built to satisfy them (the demo county) — keeping the row's state as RecordStep does.
//! `member_id` links an existing member (a probationary member's own development record).
//! Answers the case id.
struct StoredCase {
  CaseInput person;
  std::string id_number;  //!< normalised
  std::string sex;
  std::string birth_date;
  std::string org_path;
  std::vector<workflow::StepRecord> history;
  std::optional<std::int64_t> member_id;
};
Result<std::int64_t> StoreCase(db::Connection& c, const crypto::FieldCipher& cipher,
                               const org::Change& change, const StoredCase& stored,
                               const std::map<std::string, std::int64_t>& settings,
                               const std::string& today);

}  // namespace zhibu::development
