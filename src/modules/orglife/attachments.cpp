#include "modules/orglife/attachments.h"

#include <sodium.h>

#include <cctype>
#include <cstdint>

#include "modules/org/scoped_route.h"
#include "modules/orglife/meeting_store.h"
#include "modules/orglife/routes.h"
#include "modules/orglife/vocabulary.h"
#include "platform/json/json.h"
#include "platform/settings/settings.h"
#include "platform/util/clock.h"

namespace zhibu::orglife {
namespace {

using http::Method;
using http::Request;
using http::Response;

// What a list shows of an attachment: everything but the content.
constexpr std::string_view kSelectItem =
    "SELECT id, file_name, content_type, size_bytes, sha256, uploaded_by_name, uploaded_at, "
    "withdrawn_at, withdrawn_by_name, withdraw_reason FROM meeting_attachment WHERE id = $1 AND "
    "record_id = $2";
constexpr std::string_view kSelectList =
    "SELECT id, file_name, content_type, size_bytes, sha256, uploaded_by_name, uploaded_at, "
    "withdrawn_at, withdrawn_by_name, withdraw_reason FROM meeting_attachment WHERE record_id = "
    "$1 ORDER BY id";
constexpr std::string_view kInsertAttachment =
    "INSERT INTO meeting_attachment (record_id, file_name, content_type, size_bytes, sha256, "
    "content, uploaded_by, uploaded_by_name, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9) RETURNING id";
constexpr std::string_view kSelectContent =
    "SELECT file_name, content_type, sha256, content FROM meeting_attachment WHERE id = $1 AND "
    "record_id = $2";
constexpr std::string_view kWithdraw =
    "UPDATE meeting_attachment SET withdrawn_at = $2, withdrawn_by_name = $3, withdraw_reason = $4 "
    "WHERE id = $1";
constexpr std::string_view kCopyAttachments =
    "INSERT INTO meeting_attachment (record_id, file_name, content_type, size_bytes, sha256, "
    "content, uploaded_by, uploaded_by_name, uploaded_at) SELECT $2, file_name, content_type, "
    "size_bytes, sha256, content, uploaded_by, uploaded_by_name, uploaded_at FROM "
    "meeting_attachment WHERE record_id = $1 AND withdrawn_at IS NULL ORDER BY id";

constexpr std::string_view kJpeg = "image/jpeg";
constexpr std::string_view kPng = "image/png";
constexpr std::string_view kPdf = "application/pdf";
constexpr std::size_t kMaxFileName = 255;
constexpr std::size_t kMaxReason = 600;

//! What spec 04 asks of attachments, cited when one is refused.
constexpr std::string_view kAttachmentSource =
    "spec 04（附件：照片、扫描件，检查大小和类型）；spec 02（上传文件按内容而非文件名检查）；"
    "大小上限为本地设置 orglife.attachment_max_bytes";

Error NotFound() {
  return Error::NotFound("orglife.attachment_not_found", "附件不存在或不在您的管理范围内");
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

//! Whether `text` is valid UTF-8 (no overlong forms, no surrogates, at most U+10FFFF) without
//! control characters.
bool CleanUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if (b < 0x20 || b == 0x7f) return false;
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if ((b & 0xe0) == 0xc0) {
      length = 2;
      code = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      length = 3;
      code = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      length = 4;
      code = b & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xc0) != 0x80) return false;
      code = (code << 6) | (c & 0x3f);
    }
    static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    if (code >= 0x80 && code < 0xa0) return false;  // C1 controls
    i += length;
  }
  return true;
}

//! The record `record_id` when inside `scope` (404 otherwise); locked when `lock`.
Result<RecordSummary> ScopedRecord(db::Connection& c, const org::SubtreeScope& scope,
                                   std::int64_t record_id, bool lock) {
  auto record = LoadRecordSummary(c, record_id, lock);
  if (!record) return Fail(record.error());
  if (!scope.Contains(record->org_path)) {
    return Fail(Error::NotFound("orglife.not_found", "组织生活记录不存在或不在您的管理范围内"));
  }
  return record;
}

Result<void> RequireEditable(const RecordSummary& record) {
  if (IsEditableStatus(record.status)) return {};
  return Fail(Error::Conflict("orglife.not_editable",
                              "记录状态为“" + std::string(TitleOf(Statuses(), record.status)) +
                                  "”，附件不能再增减；如需更正，请新建更正记录",
                              "status"));
}

boost::json::object ItemFrom(const db::ResultSet& rows, std::size_t i) {
  auto text = [&](std::size_t col) {
    auto v = rows.OptionalText(i, col);
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
  };
  return {{"id", rows.Int(i, 0)},
          {"file_name", rows.Text(i, 1)},
          {"content_type", rows.Text(i, 2)},
          {"size_bytes", rows.Int(i, 3)},
          {"sha256", rows.Text(i, 4)},
          {"uploaded_by", rows.Text(i, 5)},
          {"uploaded_at", rows.Text(i, 6)},
          {"withdrawn", !rows.IsNull(i, 7)},
          {"withdrawn_at", text(7)},
          {"withdrawn_by", text(8)},
          {"withdraw_reason", rows.Text(i, 9)}};
}

Result<boost::json::object> LoadItem(db::Connection& c, std::int64_t record_id,
                                     std::int64_t attachment_id) {
  auto rows = c.Query(kSelectItem, {attachment_id, record_id});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  return ItemFrom(*rows, 0);
}

Result<void> Audit(db::Connection& c, const org::Change& change, std::string action,
                   std::int64_t record_id, boost::json::object detail) {
  return org::AuditChange(c, change, std::move(action), "meeting:" + std::to_string(record_id),
                          std::move(detail));
}

}  // namespace

std::optional<std::string_view> SniffContentType(std::string_view content) {
  if (content.starts_with(std::string_view("\xFF\xD8\xFF", 3))) return kJpeg;
  if (content.starts_with(std::string_view("\x89PNG\r\n\x1A\n", 8))) return kPng;
  if (content.starts_with("%PDF-")) return kPdf;
  return std::nullopt;
}

Result<std::string> DeclaredContentType(std::string_view header) {
  std::string type = Lower(Trim(header.substr(0, header.find(';'))));
  if (type == "image/jpg" || type == "image/pjpeg") type = std::string(kJpeg);
  if (type == kJpeg || type == kPng || type == kPdf) return type;
  return Fail(Error::Invalid("orglife.attachment_type",
                             "附件应为 JPEG、PNG 图片或 PDF 文件（请求头 Content-Type 为 "
                             "image/jpeg、image/png 或 application/pdf）",
                             "content_type"));
}

Result<std::string> FileNameFromHeader(std::string_view header) {
  auto bad = [] {
    return Fail(Error::Invalid("orglife.file_name_invalid",
                               "请在请求头 X-File-Name 中给出文件名（UTF-8 百分号编码，1–255 字节，"
                               "不含控制字符和 / \\）",
                               "file_name"));
  };
  auto name = http::PercentDecode(Trim(header), /*plus_is_space=*/false);
  if (!name || name->empty() || name->size() > kMaxFileName || !CleanUtf8(*name)) return bad();
  if (name->find_first_of("/\\") != std::string::npos) return bad();
  if (*name == "." || *name == "..") return bad();
  return *name;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof digest);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

Result<boost::json::object> AddAttachment(db::Connection& c, const org::SubtreeScope& scope,
                                          const org::Change& change, std::int64_t record_id,
                                          const AttachmentUpload& upload) {
  auto record = ScopedRecord(c, scope, record_id, /*lock=*/true);
  if (!record) return Fail(record.error());
  auto editable = RequireEditable(*record);
  if (!editable) return Fail(editable.error());
  if (upload.content.empty()) {
    return Fail(
        Error::Invalid("orglife.attachment_empty", "附件内容为空（请求体应为文件内容）", "file"));
  }
  auto limit = settings::Integer(c, kAttachmentMaxBytesSetting);
  if (!limit) return Fail(limit.error());
  if (static_cast<std::int64_t>(upload.content.size()) > *limit) {
    return Fail(Error{ErrorKind::kPayloadTooLarge, "orglife.attachment_too_large",
                      "附件不超过 " + std::to_string(*limit) + " 字节（" +
                          std::to_string(*limit / 1024) + " KiB），收到 " +
                          std::to_string(upload.content.size()) + " 字节",
                      "file", std::string(kAttachmentSource)});
  }
  auto sniffed = SniffContentType(upload.content);
  if (!sniffed) {
    return Fail(Error::Unprocessable("orglife.attachment_type_unsupported",
                                     "文件内容不是 JPEG、PNG 图片或 PDF 文件（按文件内容判断，"
                                     "与文件名无关）",
                                     "file", std::string(kAttachmentSource)));
  }
  if (*sniffed != upload.content_type) {
    return Fail(Error::Unprocessable(
        "orglife.attachment_type_mismatch",
        "声明的类型为 " + upload.content_type + "，文件内容却是 " + std::string(*sniffed),
        "content_type", std::string(kAttachmentSource)));
  }
  std::string sha256 = Sha256Hex(upload.content);
  auto inserted =
      c.Query(kInsertAttachment,
              {record_id, upload.file_name, upload.content_type,
               static_cast<std::int64_t>(upload.content.size()), sha256, db::Blob{upload.content},
               change.account_id ? db::Value(*change.account_id) : db::Value(nullptr),
               change.actor.name, NowShanghaiIso()});
  if (!inserted) return Fail(inserted.error());
  std::int64_t id = inserted->Int(0, 0);
  auto logged = Audit(c, change, "orglife.attachment_add", record_id,
                      {{"attachment", id},
                       {"file_name", upload.file_name},
                       {"content_type", upload.content_type},
                       {"size_bytes", static_cast<std::int64_t>(upload.content.size())},
                       {"sha256", sha256}});
  if (!logged) return Fail(logged.error());
  return LoadItem(c, record_id, id);
}

Result<boost::json::array> AttachmentList(db::Connection& c, std::int64_t record_id) {
  auto rows = c.Query(kSelectList, {record_id});
  if (!rows) return Fail(rows.error());
  boost::json::array out;
  for (std::size_t i = 0; i < rows->size(); ++i) out.push_back(ItemFrom(*rows, i));
  return out;
}

Result<boost::json::array> ListAttachments(db::Connection& c, const org::SubtreeScope& scope,
                                           std::int64_t record_id) {
  auto record = ScopedRecord(c, scope, record_id, /*lock=*/false);
  if (!record) return Fail(record.error());
  return AttachmentList(c, record_id);
}

Result<AttachmentContent> ReadAttachment(db::Connection& c, const org::SubtreeScope& scope,
                                         std::int64_t record_id, std::int64_t attachment_id) {
  auto record = LoadRecordSummary(c, record_id, /*lock=*/false);
  if (!record || !scope.Contains(record->org_path)) {
    if (!record && record.error().kind != ErrorKind::kNotFound) return Fail(record.error());
    return Fail(NotFound());
  }
  auto rows = c.Query(kSelectContent, {attachment_id, record_id});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(NotFound());
  return AttachmentContent{.file_name = rows->Text(0, 0),
                           .content_type = rows->Text(0, 1),
                           .sha256 = rows->Text(0, 2),
                           .content = rows->Bytes(0, 3).bytes};
}

Result<boost::json::object> WithdrawAttachment(db::Connection& c, const org::SubtreeScope& scope,
                                               const org::Change& change, std::int64_t record_id,
                                               std::int64_t attachment_id) {
  auto record = ScopedRecord(c, scope, record_id, /*lock=*/true);
  if (!record) return Fail(record.error());
  auto item = LoadItem(c, record_id, attachment_id);
  if (!item) return Fail(item.error());
  if (change.reason.empty()) {
    return Fail(Error::Invalid("orglife.reason_missing", "请填写撤回附件的原因", "reason"));
  }
  if (change.reason.size() > kMaxReason) {
    return Fail(Error::Invalid("orglife.text_too_long", "原因不超过 600 字节", "reason"));
  }
  auto editable = RequireEditable(*record);
  if (!editable) return Fail(editable.error());
  if (item->at("withdrawn").as_bool()) {
    return Fail(Error::Conflict("orglife.attachment_withdrawn", "该附件已撤回", "id"));
  }
  auto done =
      c.Execute(kWithdraw, {attachment_id, NowShanghaiIso(), change.actor.name, change.reason});
  if (!done) return Fail(done.error());
  auto logged = Audit(c, change, "orglife.attachment_withdraw", record_id,
                      {{"attachment", attachment_id},
                       {"file_name", item->at("file_name")},
                       {"sha256", item->at("sha256")}});
  if (!logged) return Fail(logged.error());
  return LoadItem(c, record_id, attachment_id);
}

Result<void> CopyAttachments(db::Connection& c, std::int64_t from, std::int64_t to) {
  auto copied = c.Execute(kCopyAttachments, {from, to});
  if (!copied) return Fail(copied.error());
  return {};
}

std::string ContentDisposition(std::string_view file_name, std::string_view content_type) {
  return http::ContentDisposition(content_type == kPdf ? "attachment" : "inline", file_name);
}

void RegisterAttachmentRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  auto& router = context.router;

  const std::string upload_path = "/api/v1/meetings/{id}/attachments";
  router.Add(
      Method::kPost, upload_path,
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        // The permission first: a caller without it learns nothing from the upload's checks.
        return org::ScopedWrite(identity, db, r, kWritePermission, 201,
                                [&](org::ScopedCall& call) -> Result<boost::json::value> {
                                  auto type = DeclaredContentType(r.HeaderValue("content-type"));
                                  if (!type) return Fail(type.error());
                                  auto name = FileNameFromHeader(r.HeaderValue("x-file-name"));
                                  if (!name) return Fail(name.error());
                                  AttachmentUpload upload{.file_name = std::move(*name),
                                                          .content_type = std::move(*type),
                                                          .content = std::move(r.body)};
                                  org::Change change{call.Actor(), call.caller.account_id, "", ""};
                                  auto added = AddAttachment(call.connection, call.scope, change,
                                                             *id, upload);
                                  if (!added) return Fail(added.error());
                                  return boost::json::value(std::move(*added));
                                });
      },
      "上传附件（照片、扫描件：JPEG、PNG 或 PDF；请求体为文件内容，Content-Type 为其类型，"
      "X-File-Name 为百分号编码的文件名；按内容检查类型与大小）");
  // Uploads may exceed the server's default body limit up to the setting's highest value; the
  // setting decides within it (413 naming `file`).
  router.SetBodyLimit(Method::kPost, upload_path,
                      static_cast<std::size_t>(kAttachmentMaxBytesHighest));
  router.Add(
      Method::kGet, upload_path,
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        return org::ScopedRead(
            identity, db, r, kReadPermission,
            [&](org::ScopedCall& call) -> Result<boost::json::value> {
              auto items = ListAttachments(call.connection, call.scope, *id);
              if (!items) return Fail(items.error());
              return boost::json::value(boost::json::object{{"items", std::move(*items)}});
            });
      },
      "记录的附件列表（含已撤回的附件，不含内容）");
  router.Add(
      Method::kGet, "/api/v1/meetings/{id}/attachments/{aid}",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto aid = http::IdParam(r, "aid");
        if (!aid) return http::ErrorResponse(aid.error(), r);
        auto caller = auth::Require(identity, db, r, kReadPermission);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto file = db.Read([&](db::Connection& c) -> Result<AttachmentContent> {
          auto scope = org::SubtreeScope::For(c, *caller, kReadPermission);
          if (!scope) return Fail(scope.error());
          return ReadAttachment(c, *scope, *id, *aid);
        });
        if (!file) return http::ErrorResponse(file.error(), r);
        Response response;
        response.status = 200;
        response.content_type = file->content_type;
        response.AddHeader("Content-Disposition",
                           ContentDisposition(file->file_name, file->content_type));
        response.AddHeader("X-Content-SHA256", file->sha256);
        response.body = std::move(file->content);
        return response;
      },
      "下载附件内容（图片在页面中显示，PDF 作为文件下载）");
  router.Add(
      Method::kPost, "/api/v1/meetings/{id}/attachments/{aid}/withdraw",
      [&identity, &db](Request& r) {
        auto id = http::IdParam(r, "id");
        if (!id) return http::ErrorResponse(id.error(), r);
        auto aid = http::IdParam(r, "aid");
        if (!aid) return http::ErrorResponse(aid.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWritePermission, 200,
            [&](org::ScopedCall& call) -> Result<boost::json::value> {
              auto body = r.JsonBody();
              if (!body) return Fail(body.error());
              auto reason = StringField(*body, "reason", false, kMaxReason);
              if (!reason) return Fail(reason.error());
              org::Change change{call.Actor(), call.caller.account_id, "", reason->value_or("")};
              auto item = WithdrawAttachment(call.connection, call.scope, change, *id, *aid);
              if (!item) return Fail(item.error());
              return boost::json::value(std::move(*item));
            });
      },
      "撤回附件（须说明原因；附件内容保留，不删除）");
}

}  // namespace zhibu::orglife
