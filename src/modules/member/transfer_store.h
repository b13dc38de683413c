#pragma once
//! 组织关系转接 (spec 03; 党员教育管理工作条例 第二十五条): a member's relation moves from one
//! branch to another inside the deployment (internal: request by the sending branch → approval by
//! the sending 基层党委, which issues the 介绍信 → receipt by the receiving branch, which is the
//! 回执), leaves it for a Party organisation outside (outgoing: the 回执 comes back on paper and is
//! recorded), or arrives from outside (incoming: the letter is recorded as the member is entered).
//! Nobody is lost in between: until receipt the member stays in the sending branch, which keeps
//! responsibility. Every step is audited and kept in the transfer's `steps`.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "modules/member/member_store.h"
#include "modules/org/org_store.h"

namespace zhibu::member {

//! The setting holding the letter's validity (local practice, not a national rule).
inline constexpr std::string_view kLetterValiditySetting = "member.transfer_letter_validity_days";

//! A transfer request as posted: `to_org_id` for an internal transfer, `external_org` for an
//! outgoing one; `incoming` with `member` for a member arriving from outside.
struct TransferRequest {
  std::string direction;  //!< empty: internal when to_org_id is set, else outgoing
  std::int64_t member_id = 0;
  std::optional<std::int64_t> to_org_id;
  std::string external_org;
  std::string date;  //!< the request's date; empty: today
  std::string reason;
  std::string letter_number;                   //!< incoming: the sender's letter number
  std::optional<MemberInput> incoming_member;  //!< incoming: the member as entered
};

//! Parses the body of POST /api/v1/transfers (400 naming a field of the wrong type).
Result<TransferRequest> TransferRequestFromJson(const boost::json::value& body);

//! Who acts on a transfer and when.
struct TransferStep {
  org::Change change;       //!< the actor, the date (empty: today) and the note (as `reason`)
  std::string actor_title;  //!< the caller's display name, kept in the step
};

//! The caller's two scopes: where they maintain members (`member.write`: request, receive into,
//! cancel) and where they approve as the sending 基层党委 (`member.transfer_approve`: approve,
//! record an outgoing 回执, reject on the sending side).
struct TransferScopes {
  const org::SubtreeScope& write;
  const org::SubtreeScope& approve;
};

//! Creates a transfer. Internal and outgoing: the member must be in `scope`, active (正式 or 预备),
//! still in the deployment and without another open transfer; the destination an active branch
//! other than the member's own. Incoming: the member is created in `to_org_id` (inside `scope`)
//! with a 转入 event and the transfer is recorded as received. Answers the Transfer.
Result<boost::json::object> RequestTransfer(db::Connection& c, const org::SubtreeScope& scope,
                                            const crypto::FieldCipher& cipher,
                                            const TransferStep& step,
                                            const TransferRequest& request);

//! The sending 基层党委 approves (permission `member.transfer_approve` over the sending branch):
//! the 介绍信 gets its number and its validity (the letter validity setting, counted from the
//! approval date).
Result<boost::json::object> ApproveTransfer(db::Connection& c, const TransferScopes& scopes,
                                            const TransferStep& step, std::int64_t id);

//! Receipt. Internal: by the receiving branch (`scope` covers it) within the letter's validity;
//! the member moves there on the step's date (转出/转入 events). Outgoing: the returned 回执 is
//! recorded by the sending side (`scope` covers the sending branch) and the member leaves the
//! deployment.
Result<boost::json::object> ReceiveTransfer(db::Connection& c, const TransferScopes& scopes,
                                            const TransferStep& step, std::int64_t id);

//! The receiving branch (internal) or the approving side refuses, with a reason: 第二十五条 allows
//! no refusal without cause, so the note is required. The member stays where they are.
Result<boost::json::object> RejectTransfer(db::Connection& c, const TransferScopes& scopes,
                                           const TransferStep& step, std::int64_t id);

//! The sending side withdraws a transfer not yet received.
Result<boost::json::object> CancelTransfer(db::Connection& c, const TransferScopes& scopes,
                                           const TransferStep& step, std::int64_t id);

//! One transfer touching `scope` (its sending or receiving branch inside), else 404
//! `transfer.not_found`.
Result<boost::json::object> GetTransfer(db::Connection& c, const org::SubtreeScope& scope,
                                        std::int64_t id);

//! Transfers touching `scope`, newest first, optionally limited to those touching the subtree of
//! `org_id`, one status, one direction or one member.
struct TransferQuery {
  std::optional<std::int64_t> org_id;
  std::optional<std::int64_t> member_id;
  std::string status;
  std::string direction;
  std::int64_t page = 1;
  std::int64_t page_size = 50;
};
Result<boost::json::object> ListTransfers(db::Connection& c, const org::SubtreeScope& scope,
                                          const TransferQuery& query);

//! The printable 组织关系介绍信 with its 回执 as a self-contained HTML page (approved or later).
Result<std::string> TransferLetterHtml(db::Connection& c, const org::SubtreeScope& scope,
                                       std::int64_t id);

}  // namespace zhibu::member
