#pragma once
//! The step records of a workflow case as the modules store them: one row a step, in a table of
//! the module's own (`development_step`, `lapse_step`) with the same columns — case_id, seq, step,
//! done_on, data (the record as JSON text), note, recorded_at, recorded_by, recorded_by_name. The
//! engine (workflow.h) touches no database; these helpers read and write those rows for the module
//! that owns the table, which keeps its SQL and passes it in.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db/database.h"
#include "platform/error/error.h"
#include "platform/workflow/workflow.h"

namespace zhibu::workflow {

//! The records of case `case_id`, oldest first. `steps_sql` selects, for `$1` the case id, the
//! columns seq, step, done_on, data, note, recorded_at, recorded_by_name ordered by seq. A `data`
//! that is not a JSON object reads as `{}`. With `timeline` non-null, appends to it a JSON object
//! a record: seq, number, id, title and stage of the step in `table` ("" for a number the table
//! lacks), done_on, data, note, recorded_at, actor (recorded_by_name). A database failure is
//! returned as is.
Result<std::vector<StepRecord>> LoadHistory(db::Connection& c, std::string_view steps_sql,
                                            std::int64_t case_id, const WorkflowTable& table,
                                            boost::json::array* timeline);

//! Who records a step: the account (none for a system action) and the name shown in the timeline.
struct Recorder {
  std::optional<std::int64_t> account_id;
  std::string name;
};

//! Inserts `record` as step `seq` of case `case_id` with `note`, recorded at `recorded_at` by
//! `by`. `insert_sql` takes $1..$9 = case_id, seq, step, done_on, data (JSON text), note,
//! recorded_at, recorded_by (null without an account), recorded_by_name. A database failure is
//! returned as is.
Result<void> AppendStep(db::Connection& c, std::string_view insert_sql, std::int64_t case_id,
                        std::int64_t seq, const StepRecord& record, const std::string& note,
                        const std::string& recorded_at, const Recorder& by);

//! What a request to record a step names: its step of the table and its date.
struct StepRequest {
  const StepSpec* spec = nullptr;
  std::string done_on;
};

//! Reads `step` and `done_on` from the request `body` for `table`, whose steps `first` to the last
//! may be recorded (N below is the last step's number). Errors, 400 naming the field:
//! - `step` missing or not an integer → `<prefix>.step_missing` ("请写明办理第几步（1–N）");
//! - not a step of the table, or below `first` → `<prefix>.step_unknown` ("应为 first–N 中的一步");
//! - `done_on` missing or not a real YYYY-MM-DD date → RequireIsoDate's error (办理日期).
Result<StepRequest> ReadStepRequest(const boost::json::object& body, const WorkflowTable& table,
                                    int first, std::string_view prefix);

//! The optional `note` of a step request: absent or null → "", a string of at most 2000 bytes →
//! that string; otherwise 400 `<prefix>.note_invalid` naming the field `note`.
Result<std::string> StepNote(const boost::json::object& body, std::string_view prefix);

}  // namespace zhibu::workflow
