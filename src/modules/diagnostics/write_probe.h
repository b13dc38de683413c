#pragma once
//! The diagnostics module's write probe: a batch of N rows written in one transaction, and a
//! report that checks every batch is complete.

#include <boost/json/value.hpp>
#include <string>

#include "platform/db/database.h"
#include "platform/util/embedded.h"

namespace zhibu::embedded {
//! Generated from src/modules/diagnostics/migrations/.
const std::vector<EmbeddedFile>& diagnostics_migrations();
}  // namespace zhibu::embedded

namespace zhibu::diagnostics {

//! `{"batch": "name", "rows": N}`.
struct WriteRequest {
  std::string batch;  //!< 1–64 of [A-Za-z0-9._-]
  std::int64_t rows;  //!< 1–10000
};

//! Validates the JSON body; errors name the field.
Result<WriteRequest> ParseWriteRequest(const boost::json::value& body);

//! Writes the batch header and its rows in one transaction. A batch name used before is a
//! 409 `diagnostics.batch_exists`.
Result<void> WriteBatch(db::Database& db, const WriteRequest& request);

struct BatchReport {
  std::int64_t batches = 0;
  std::int64_t rows = 0;
  std::int64_t incomplete = 0;  //!< batches whose row count differs from the declared count
};

//! Counts batches and rows, and the batches that are not exactly complete.
Result<BatchReport> CheckBatches(db::Database& db);

}  // namespace zhibu::diagnostics
