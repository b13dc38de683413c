#pragma once
//! Member export: the roster of a subtree in the import template's columns, so an export can be
//! edited and imported elsewhere. Scoped in the query (a member outside the caller's scope is
//! never read) and masked unless the caller may and asks to see the numbers.

#include <optional>
#include <string>

#include "modules/exchange/table_sink.h"
#include "modules/org/subtree_scope.h"
#include "platform/crypto/field_cipher.h"
#include "platform/db/database.h"

namespace zhibu::exchange {

//! The template's columns (titles, JSONL keys).
SinkColumns MemberSinkColumns();

//! What was exported.
struct ExportSummary {
  std::int64_t org_id = 0;
  std::string org_code;
  std::string org_name;
  std::int64_t members = 0;
};

//! Writes the current members (正式 and 预备) of the subtree under `org_id` (the scope's own roots
//! when absent, which must then be exactly one) to `sink`, in organisation order, page by page.
//! `unmasked`: clear ID and phone numbers (the caller has checked `member.unmask`). An
//! organisation outside `scope` is 404 `org.not_found`.
Result<ExportSummary> ExportMembers(db::Connection& c, const org::SubtreeScope& scope,
                                    const crypto::FieldCipher& cipher,
                                    std::optional<std::int64_t> org_id, bool unmasked,
                                    TableSink& sink);

}  // namespace zhibu::exchange
