//! Attachments of a record: the type by content (a program renamed .png is refused, a JPEG sent
//! as PNG too), names and digests, then the store on both backends — a PNG read back byte for
//! byte, the size limit of the local setting at its edge, withdrawal keeping the content and the
//! trail, records outside the caller's subtree not found, a correction taking the photos along.

#include "modules/orglife/attachments.h"

#include <gtest/gtest.h>

#include "modules/orglife/meeting_store.h"
#include "modules/orglife/test_registry.h"
#include "platform/audit/audit_trail.h"
#include "platform/settings/settings.h"

namespace zhibu::orglife {
namespace {

//! A 1×1 PNG.
const std::string kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00"
    "\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0d\x49\x44\x41\x54\x78\xda\x63\x64\x60"
    "\xf8\x5f\x0f\x00\x02\x87\x01\x80\xeb\x47\xba\x92\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
    "\x82",
    70);
//! The start of a JPEG (SOI, APP0 JFIF) and of a PDF.
const std::string kJpegStart("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);
const std::string kPdfStart = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
//! The start of a Windows program (MZ header).
const std::string kExeStart("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF", 14);

TEST(AttachmentTypeTest, TheContentDecidesNotTheName) {
  EXPECT_EQ(SniffContentType(kPng).value_or(""), "image/png");
  EXPECT_EQ(SniffContentType(kJpegStart).value_or(""), "image/jpeg");
  EXPECT_EQ(SniffContentType(kPdfStart).value_or(""), "application/pdf");
  EXPECT_FALSE(SniffContentType(kExeStart).has_value());
  EXPECT_FALSE(SniffContentType("GIF89a").has_value());
  EXPECT_FALSE(SniffContentType(kPng.substr(0, 7)).has_value()) << "a truncated signature";
  EXPECT_FALSE(SniffContentType("").has_value());

  EXPECT_EQ(DeclaredContentType("image/PNG").value_or(""), "image/png");
  EXPECT_EQ(DeclaredContentType(" image/jpg ").value_or(""), "image/jpeg");
  EXPECT_EQ(DeclaredContentType("application/pdf; name=x").value_or(""), "application/pdf");
  for (const char* bad : {"", "image/gif", "application/octet-stream", "text/html"}) {
    auto type = DeclaredContentType(bad);
    ASSERT_FALSE(type.has_value()) << bad;
    EXPECT_EQ(type.error().field, "content_type");
  }
}

TEST(AttachmentTypeTest, NamesAreDecodedAndChecked) {
  EXPECT_EQ(FileNameFromHeader("%E4%BC%9A%E8%AE%AE%E7%85%A7%E7%89%87.jpg").value_or(""),
            "会议照片.jpg");
  EXPECT_EQ(FileNameFromHeader("scan%201.pdf").value_or(""), "scan 1.pdf");
  for (const char* bad : {"", "%", "..%2Fetc%2Fpasswd", "a%5Cb.png", "a%00b.png", "a%0Ab.png",
                          "%C0%AE.png", "%ED%A0%80.png", ".."}) {
    auto name = FileNameFromHeader(bad);
    ASSERT_FALSE(name.has_value()) << bad;
    EXPECT_EQ(name.error().field, "file_name");
  }
  EXPECT_FALSE(FileNameFromHeader(std::string(256, 'a')).has_value());
  EXPECT_TRUE(FileNameFromHeader(std::string(255, 'a')).has_value());

  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ContentDisposition("会议.png", "image/png"),
            "inline; filename=\"__.png\"; filename*=UTF-8''%E4%BC%9A%E8%AE%AE.png");
  EXPECT_EQ(ContentDisposition("a\"b;c.pdf", "application/pdf"),
            "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%3Bc.pdf");
}

class AttachmentStoreTest : public test::RegistryTest {
 protected:
  void SetUp() override {
    Build("zhibu_orglife_attachments", 3);
    if (IsSkipped() || HasFatalFailure()) return;
    record_ = NewRecord("2026-06-10");
  }

  std::int64_t NewRecord(const std::string& day) {
    MeetingInput in;
    in.org_id = a_;
    in.kind = "theme_day";
    in.topic = "主题党日";
    in.planned_start = day + "T09:00";
    in.planned_end = day + "T11:00";
    in.actual_start = day + "T09:00";
    in.actual_end = day + "T11:00";
    in.place = "村党群服务中心";
    in.host_name = "正式0";
    in.recorder_name = "正式1";
    in.minutes = "会议记录";
    in.attendance = std::vector<AttendanceInput>{{full_[0], "", "present", ""}};
    auto id = db().Write([&](db::Connection& c) {
      return CreateMeeting(c, org::SubtreeScope::Everything(), change_, in);
    });
    EXPECT_TRUE(id.has_value()) << id.error().message;
    return id.value_or(0);
  }

  Result<boost::json::object> Add(const std::string& name, const std::string& type,
                                  const std::string& content, std::int64_t record = 0) {
    return db().Write([&](db::Connection& c) {
      return AddAttachment(c, org::SubtreeScope::Everything(), change_,
                           record != 0 ? record : record_, {name, type, content});
    });
  }
  Result<boost::json::array> List(const org::SubtreeScope& scope, std::int64_t record = 0) {
    return db().Read(
        [&](db::Connection& c) { return ListAttachments(c, scope, record ? record : record_); });
  }

  std::int64_t record_ = 0;
};

TEST_P(AttachmentStoreTest, APngIsStoredWithItsDigestAndReadBackByteForByte) {
  auto added = Add("会议照片.png", "image/png", kPng);
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_EQ(added->at("size_bytes").as_int64(), 70);
  EXPECT_EQ(added->at("sha256").as_string(), Sha256Hex(kPng));
  EXPECT_FALSE(added->at("withdrawn").as_bool());
  std::int64_t id = added->at("id").as_int64();

  auto file = db().Read([&](db::Connection& c) {
    return ReadAttachment(c, org::SubtreeScope::Everything(), record_, id);
  });
  ASSERT_TRUE(file.has_value()) << file.error().message;
  EXPECT_EQ(file->content, kPng);
  EXPECT_EQ(file->content_type, "image/png");
  EXPECT_EQ(file->file_name, "会议照片.png");

  // The record shows its attachments, without their content.
  auto record = db().Read(
      [&](db::Connection& c) { return GetMeeting(c, org::SubtreeScope::Everything(), record_); });
  ASSERT_TRUE(record.has_value());
  ASSERT_EQ(record->at("attachments").as_array().size(), 1u);
  EXPECT_FALSE(record->at("attachments").as_array()[0].as_object().contains("content"));

  // Outside the caller's subtree: not found, like a missing one.
  std::string b_path =
      db().Read([&](db::Connection& c) -> Result<std::string> { return Path(c, b_); }).value();
  auto foreign = List(org::SubtreeScope::Of({b_path}));
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().kind, ErrorKind::kNotFound);
  auto foreign_file = db().Read([&](db::Connection& c) {
    return ReadAttachment(c, org::SubtreeScope::Of({b_path}), record_, id);
  });
  ASSERT_FALSE(foreign_file.has_value());
  EXPECT_EQ(foreign_file.error().kind, ErrorKind::kNotFound);
}

TEST_P(AttachmentStoreTest, TypesAreCheckedByContentAndSizesByTheLocalSetting) {
  auto renamed = Add("photo.png", "image/png", kExeStart + std::string(100, '\0'));
  ASSERT_FALSE(renamed.has_value());
  EXPECT_EQ(renamed.error().code, "orglife.attachment_type_unsupported");
  EXPECT_EQ(renamed.error().kind, ErrorKind::kUnprocessable);
  EXPECT_EQ(renamed.error().field, "file");
  auto mismatch = Add("photo.png", "image/png", kJpegStart);
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(mismatch.error().code, "orglife.attachment_type_mismatch");
  EXPECT_EQ(mismatch.error().field, "content_type");
  auto empty = Add("empty.pdf", "application/pdf", "");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().field, "file");

  ASSERT_TRUE(db().Write([&](db::Connection& c) {
                    return settings::SetInteger(c, change_.actor, 0, kAttachmentMaxBytesSetting,
                                                kAttachmentMaxBytesLowest);
                  })
                  .has_value());
  std::string at_limit = kPdfStart + std::string(kAttachmentMaxBytesLowest - kPdfStart.size(), 'x');
  EXPECT_TRUE(Add("scan.pdf", "application/pdf", at_limit).has_value());
  auto over = Add("scan.pdf", "application/pdf", at_limit + "x");
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, "orglife.attachment_too_large");
  EXPECT_EQ(over.error().kind, ErrorKind::kPayloadTooLarge);
  EXPECT_EQ(over.error().field, "file");
  EXPECT_EQ(List(org::SubtreeScope::Everything())->size(), 1u) << "refused ones leave nothing";
}

TEST_P(AttachmentStoreTest, AWithdrawnAttachmentStaysWithItsReasonAndACorrectionTakesTheRest) {
  std::int64_t kept = Add("a.png", "image/png", kPng)->at("id").as_int64();
  std::int64_t wrong = Add("b.pdf", "application/pdf", kPdfStart)->at("id").as_int64();
  auto withdraw = [&](std::int64_t id, const std::string& reason) {
    org::Change change = change_;
    change.reason = reason;
    return db().Write([&](db::Connection& c) {
      return WithdrawAttachment(c, org::SubtreeScope::Everything(), change, record_, id);
    });
  };
  auto bare = withdraw(wrong, "");
  ASSERT_FALSE(bare.has_value());
  EXPECT_EQ(bare.error().field, "reason");
  auto done = withdraw(wrong, "传错了文件");
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_TRUE(done->at("withdrawn").as_bool());
  EXPECT_EQ(done->at("withdraw_reason").as_string(), "传错了文件");
  EXPECT_EQ(withdraw(wrong, "再次").error().code, "orglife.attachment_withdrawn");
  auto listed = List(org::SubtreeScope::Everything());
  ASSERT_EQ(listed->size(), 2u) << "never deleted";
  auto content = db().Read([&](db::Connection& c) {
    return ReadAttachment(c, org::SubtreeScope::Everything(), record_, wrong);
  });
  EXPECT_EQ(content.value().content, kPdfStart);

  auto trail = audit::List(db(), {.page = 1,
                                  .size = 50,
                                  .action_prefix = "orglife.attachment",
                                  .actor = "",
                                  .target = "meeting:" + std::to_string(record_),
                                  .result = "",
                                  .from = "",
                                  .to = ""});
  ASSERT_TRUE(trail.has_value());
  std::multiset<std::string> actions;
  for (const auto& e : trail->events) actions.insert(e.action);
  EXPECT_EQ(actions.count("orglife.attachment_add"), 2u);
  EXPECT_EQ(actions.count("orglife.attachment_withdraw"), 1u);

  // Submitted, accepted: no more changes; its correction starts with the attachments in force.
  auto scope = org::SubtreeScope::Everything();
  ASSERT_TRUE(
      db().Write([&](db::Connection& c) { return SubmitMeeting(c, scope, change_, record_); })
          .has_value());
  EXPECT_EQ(Add("c.png", "image/png", kPng).error().code, "orglife.not_editable");
  ASSERT_TRUE(db().Write([&](db::Connection& c) {
                    return ReviewMeeting(c, scope, change_, record_, "accept", {});
                  })
                  .has_value());
  org::Change correct = change_;
  correct.reason = "补充会议照片";
  auto copy =
      db().Write([&](db::Connection& c) { return CorrectMeeting(c, scope, correct, record_); });
  ASSERT_TRUE(copy.has_value()) << copy.error().message;
  auto copied = List(scope, *copy);
  ASSERT_EQ(copied->size(), 1u);
  EXPECT_EQ((*copied)[0].at("sha256").as_string(), Sha256Hex(kPng));
  EXPECT_NE((*copied)[0].at("id").as_int64(), kept);
}

INSTANTIATE_TEST_SUITE_P(Backends, AttachmentStoreTest,
                         ::testing::Values(test::Backend::kSqlite, test::Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == test::Backend::kSqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace zhibu::orglife
