#pragma once
//! Attachments of a record (spec 04 "Each record": photos, scans; size- and type-checked): JPEG,
//! PNG or PDF, recognised by their first bytes — a declared `Content-Type` that the content does
//! not bear out is refused, whatever the file's name says (spec 02 "uploads checked by content,
//! not by name") — at most `orglife.attachment_max_bytes`, stored in the database with their
//! SHA-256. Added only to records still being written (draft, returned); never deleted: a
//! withdrawn attachment keeps its content, who withdrew it, when and why. Scoped like the record:
//! an attachment of a record outside the caller's subtree answers 404.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "modules/org/org_store.h"
#include "modules/org/subtree_scope.h"
#include "platform/module/manifest.h"

namespace zhibu::orglife {

//! The largest attachment accepted, in bytes (local; default 10 MiB).
inline constexpr std::string_view kAttachmentMaxBytesSetting = "orglife.attachment_max_bytes";
//! The setting's bounds; the upload route takes bodies up to the upper one (the server's default
//! body limit is far lower), and the setting decides within it.
inline constexpr std::int64_t kAttachmentMaxBytesDefault = 10 * 1024 * 1024;
inline constexpr std::int64_t kAttachmentMaxBytesLowest = 64 * 1024;
inline constexpr std::int64_t kAttachmentMaxBytesHighest = 32 * 1024 * 1024;

//! The type `content` is by its first bytes: `image/jpeg` (FF D8 FF), `image/png` (the 8-byte PNG
//! signature), `application/pdf` (`%PDF-`), or nullopt for anything else.
std::optional<std::string_view> SniffContentType(std::string_view content);

//! A `Content-Type` header as one of the three accepted types (case-insensitive, parameters such
//! as `; charset=` dropped, `image/jpg` read as `image/jpeg`). 400 `orglife.attachment_type`
//! naming `content_type` for anything else.
Result<std::string> DeclaredContentType(std::string_view header);

//! The `X-File-Name` header, percent-encoded UTF-8, decoded: 1–255 bytes of valid UTF-8 with no
//! control characters and no `/` or `\`. 400 `orglife.file_name_invalid` naming `file_name`.
Result<std::string> FileNameFromHeader(std::string_view header);

//! The SHA-256 of `bytes` in lower-case hex.
std::string Sha256Hex(std::string_view bytes);

//! One upload as the route read it.
struct AttachmentUpload {
  std::string file_name;
  std::string content_type;  //!< as declared (DeclaredContentType)
  std::string content;
};

//! Adds `upload` to record `record_id` (inside `scope`; 404 otherwise) while it is a draft or
//! returned (409 `orglife.not_editable`). Refuses an empty file (400 `orglife.attachment_empty`,
//! field `file`), one over `orglife.attachment_max_bytes` (413 `orglife.attachment_too_large`,
//! field `file`), content that is not JPEG, PNG or PDF (422 `orglife.attachment_type_unsupported`,
//! field `file`) or not of the declared type (422 `orglife.attachment_type_mismatch`, field
//! `content_type`). Audited as `orglife.attachment_add` with name, type, size and hash. Answers the
//! attachment as listed.
Result<boost::json::object> AddAttachment(db::Connection& c, const org::SubtreeScope& scope,
                                          const org::Change& change, std::int64_t record_id,
                                          const AttachmentUpload& upload);

//! The attachments of record `record_id` without their content, oldest first, withdrawn ones
//! included and marked: `[{id, file_name, content_type, size_bytes, sha256, uploaded_by,
//! uploaded_at, withdrawn, withdrawn_at, withdrawn_by, withdraw_reason}]`. No scope check: for
//! callers that have read the record in theirs (GetMeeting).
Result<boost::json::array> AttachmentList(db::Connection& c, std::int64_t record_id);

//! As AttachmentList for a record inside `scope` (404 otherwise).
Result<boost::json::array> ListAttachments(db::Connection& c, const org::SubtreeScope& scope,
                                           std::int64_t record_id);

//! One attachment's content with what a download needs.
struct AttachmentContent {
  std::string file_name;
  std::string content_type;
  std::string sha256;
  std::string content;
};

//! Attachment `attachment_id` of record `record_id` (inside `scope`), withdrawn ones too: the
//! trail shows what was withdrawn. 404 `orglife.attachment_not_found` otherwise.
Result<AttachmentContent> ReadAttachment(db::Connection& c, const org::SubtreeScope& scope,
                                         std::int64_t record_id, std::int64_t attachment_id);

//! Marks an attachment of a draft or returned record withdrawn (`change.reason` required: 400
//! `orglife.reason_missing`); its content stays. 409 `orglife.attachment_withdrawn` when it
//! already is. Audited as `orglife.attachment_withdraw`. Answers the attachment as listed.
Result<boost::json::object> WithdrawAttachment(db::Connection& c, const org::SubtreeScope& scope,
                                               const org::Change& change, std::int64_t record_id,
                                               std::int64_t attachment_id);

//! Copies the attachments in force (not withdrawn) of record `from` to record `to` (a correction
//! takes over the photos and scans of the record it corrects).
Result<void> CopyAttachments(db::Connection& c, std::int64_t from, std::int64_t to);

//! `Content-Disposition` for a download of `file_name`: `inline` for images (shown in the page),
//! `attachment` for PDF; the name as RFC 6266 `filename*` (UTF-8, percent-encoded) with an ASCII
//! `filename` fallback.
std::string ContentDisposition(std::string_view file_name, std::string_view content_type);

//! Registers the attachment routes (see docs/api-orglife.md) and the upload route's body limit.
void RegisterAttachmentRoutes(ModuleContext& context);

}  // namespace zhibu::orglife
