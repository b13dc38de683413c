#pragma once
//! What an import answers: every bad row with its column, the (masked) value and the reason, and
//! the progress a job shows while it runs.

#include <atomic>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "modules/org/subtree_scope.h"
#include "platform/audit/audit_trail.h"

namespace zhibu::exchange {

//! One problem of one row (row 0: the file as a whole).
struct RowError {
  std::int64_t row = 0;
  std::string column;   //!< the column's title as in the template (or the JSONL key)
  std::string value;    //!< what the cell held; ID and phone numbers masked
  std::string message;  //!< Chinese, says what is wrong and what is expected

  boost::json::object ToJson() const;
};

//! The result of an import: nothing is imported when `errors` is not empty.
struct ImportOutcome {
  std::int64_t total_rows = 0;
  std::int64_t imported = 0;
  std::vector<RowError> errors;
};

//! Progress, written by the importer and read by the job's status or the CLI bar (any thread).
struct ImportProgress {
  std::atomic<std::int64_t> total_rows{0};
  std::atomic<std::int64_t> processed_rows{0};
  std::atomic<bool> cancelled{false};
  //! Called now and then (every few thousand rows) from the importing thread.
  std::function<void()> on_change;

  void Changed() const {
    if (on_change) on_change();
  }
};

//! Who imports: the audit actor, the account, and the scope for the import's permission (asked
//! inside the importer's transactions).
struct ImportCaller {
  audit::Actor actor;
  std::optional<std::int64_t> account_id;
  std::function<Result<org::SubtreeScope>(db::Connection&)> scope;
};

//! The error an import job reports when the server stops while it runs.
Error Cancelled();

}  // namespace zhibu::exchange
