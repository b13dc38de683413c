#pragma once
//! Member import (spec 03 §Import and export): a roster file in, all or nothing. Every row is
//! read and validated first — the columns' own rules, PrepareMember (GB 11643, 18th birthday,
//! 转正 after 入党, vocabularies), the organisation code inside the caller's scope (one outside is
//! unknown), duplicate ID numbers inside the file and against the registry — and every bad row is
//! reported. Only a file without any bad row is imported, in one transaction, with one audit event
//! for the whole import (counts, no personal numbers).

#include <string>
#include <string_view>

#include "modules/exchange/import_report.h"
#include "modules/exchange/records.h"
#include "platform/crypto/field_cipher.h"
#include "platform/db/database.h"

namespace zhibu::exchange {

//! Imports the members in `bytes` (a file of `format`) as of `today`. Answers the outcome (with
//! the row errors when nothing was imported), or an error when the file cannot be read at all
//! (`import.xlsx_*`, `import.header_missing`, `import.encoding`) or the database fails.
Result<ImportOutcome> ImportMembers(db::Database& db, const crypto::FieldCipher& cipher,
                                    const ImportCaller& caller, FileFormat format,
                                    std::string_view bytes, const std::string& today,
                                    ImportProgress& progress);

}  // namespace zhibu::exchange
