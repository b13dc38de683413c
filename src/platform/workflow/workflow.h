#pragma once
//! A generic step workflow (spec 06 "The workflow"): a table of numbered steps, each saying who
//! acts, which fields its record carries, which gates it must pass, which time limits it has and
//! which documents it yields. A case is the ordered list of its step records. The engine checks a
//! proposed record against the table — order, fields, dates, limits, gates — and computes the
//! deadlines of a case; it knows no workflow by name and touches no database: the module that owns
//! a table gathers the facts its gates judge (`Attempt::facts`) and applies a step's effects.
//! 发展党员 (src/modules/development/steps.cpp) is the first table, 连续六个月不交纳党费的处置
//! (src/modules/lapse/steps.cpp) the second; 四议两公开, transfers and elections can be others. A
//! 支部大会 vote is a shared gate (vote.h); history.h reads and writes the step rows every module
//! keeps in a table of its own.

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error/error.h"

namespace zhibu::workflow {

enum class FieldType { kDate, kText, kInteger, kChoice, kMember, kMembers, kGroup };

//! `date` | `text` | `integer` | `choice` | `member` | `members` | `group`.
std::string_view FieldTypeName(FieldType type);

struct Choice {
  std::string id;
  std::string title;
};

//! One field of a step's record. `min`/`max` bound an integer's value or the count of `members`
//! (0 = unbounded); `max_length` bounds text.
struct FieldSpec {
  std::string name;
  std::string title;
  FieldType type = FieldType::kText;
  bool required = false;
  std::vector<Choice> choices = {};
  int min = 0;
  int max = 0;
  std::size_t max_length = 500;
  bool future_allowed = false;  //!< a date that may lie ahead (an expected date)
};

struct StepSpec;

//! What a gate judges: the step proposed (its validated record), the case's records so far
//! (oldest first), the facts the owning module gathered from the database for this step, the
//! deployment's settings and today.
struct StepRecord {
  int number = 0;
  std::string done_on;
  boost::json::object data;
};
struct Attempt {
  const StepSpec& step;
  const std::vector<StepRecord>& history;
  const StepRecord& proposed;
  const boost::json::object& facts;
  const std::map<std::string, std::int64_t>& settings;
  const std::string& today;
};

//! A rule a step must satisfy: refuses with an Error (422, code = `id`, naming the field) or
//! passes. National rules are fixed here; a gate that follows a local setting reads it from
//! `Attempt::settings` and says so in `source`.
struct GateSpec {
  std::string id;
  std::string title;
  std::string source;
  std::function<Result<void>(const Attempt&)> check;
};

//! A time limit of a step counted from the latest record of `from_step`:
//! - kAtLeast: the step may not be done before `from + months/days` (a gate, code `code`);
//! - kWithin: the step is due by `from + months/days`. `hard`: later is refused (code `code`)
//!   unless `extension_field` is filled and the date is within `extended_months`; otherwise only
//!   a deadline (due soon / overdue, for the pipeline and the compliance rules).
//! `months_setting` names a local setting that replaces `months` (0 turns the limit off).
enum class LimitKind { kAtLeast, kWithin };
struct LimitSpec {
  int from_step = 0;
  LimitKind kind = LimitKind::kWithin;
  int months = 0;
  int days = 0;
  bool hard = false;
  std::string code = {};
  std::string source = {};
  std::string months_setting = {};
  std::string extension_field = {};
  int extended_months = 0;
};

struct DocumentSpec {
  std::string id;
  std::string title;
};

struct StepSpec {
  int number = 0;
  std::string id;
  std::string title;
  std::string stage;
  std::string actor = {};  //!< who acts (display)
  bool repeatable = false;
  std::string source = {};
  std::vector<FieldSpec> fields = {};
  std::vector<GateSpec> gates = {};
  std::vector<LimitSpec> limits = {};
  std::vector<DocumentSpec> documents = {};
};

struct StageSpec {
  std::string id;
  std::string title;
};

//! A workflow table. `next_steps`, when set, overrides the default order for the history it
//! answers a value for (loops such as an extended probation).
struct WorkflowTable {
  std::string id;
  std::string title;
  std::vector<StageSpec> stages;
  std::vector<StepSpec> steps;
  std::function<std::optional<std::vector<int>>(const std::vector<StepRecord>&)> next_steps;

  //! The step numbered `number`, or null.
  const StepSpec* Find(int number) const;
  //! The title of stage `id` (empty when unknown).
  std::string StageTitle(std::string_view id) const;
};

//! The steps a next record may have: by default the one after the last record (the first step
//! for an empty history) and the last one again when it is repeatable; none after the last step.
std::vector<int> NextSteps(const WorkflowTable& table, const std::vector<StepRecord>& history);

//! The date of the latest record of step `number`, or nothing.
std::optional<std::string> LatestDate(const std::vector<StepRecord>& history, int number);

//! The latest record of step `number`, or null.
const StepRecord* Latest(const std::vector<StepRecord>& history, int number);

//! The integer member `key` of a record's data (an int64 or a uint64 read as int64), or `fallback`
//! when it is missing or not an integer.
std::int64_t IntOr(const boost::json::object& data, std::string_view key, std::int64_t fallback);

//! The string member `key` of a record's data, or "" when it is missing or not a string.
std::string TextOr(const boost::json::object& data, std::string_view key);

//! Validates the fields of `body` for `step` (types, required, choices, bounds, lengths; dates
//! are real days not after `today`) and answers the record's data (only the table's fields).
//! Errors are 400 naming the field.
Result<boost::json::object> ValidateFields(const StepSpec& step, const boost::json::object& body,
                                           const std::string& today);

//! Checks a proposed record against the table: the order (409 `workflow.step_out_of_order`),
//! `done_on` not after today nor before the last record (400 `workflow.date_before_previous`,
//! field `done_on`), every hard limit and every gate in table order. The first refusal wins.
Result<void> Check(const WorkflowTable& table, const Attempt& attempt);

//! One deadline of a case.
struct Deadline {
  int step = 0;
  std::string step_title;
  std::string due_on;
  std::string state;  //!< ok | due_soon | overdue
  std::string source;
};

//! `ok`, `due_soon` (within `due_soon_days` of `due_on`) or `overdue` (after it) on `today`.
std::string DueState(const std::string& due_on, const std::string& today, int due_soon_days);

//! The kWithin deadlines open in `history`: a step's limit counts while the case's last record
//! lies between its `from_step` and the step (for a repeatable step, the step itself too), from
//! the latest record of `from_step` (or of the step itself when repeated later). Earliest first.
std::vector<Deadline> Deadlines(const WorkflowTable& table, const std::vector<StepRecord>& history,
                                const std::map<std::string, std::int64_t>& settings,
                                const std::string& today, int due_soon_days);

//! The due date of `limit` counted from `from` (YYYY-MM-DD), with `months_setting` applied;
//! nothing when the setting turns the limit off.
std::optional<std::string> LimitDate(const LimitSpec& limit, const std::string& from,
                                     const std::map<std::string, std::int64_t>& settings);

//! The table as the API shows it (`GET …/steps`): stages with their steps, steps with fields,
//! gates, limits and documents.
boost::json::object TableJson(const WorkflowTable& table);

}  // namespace zhibu::workflow
