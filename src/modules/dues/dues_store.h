#pragma once
//! The dues ledger (spec 05): members' bases and approved reductions, payments with receipts, the
//! monthly ledger of a branch, the totals of a subtree, arrears, a member's card and the yearly
//! remittance report. Every function reads or writes inside the caller's transaction and sees only
//! the caller's subtree (an id outside it is a 404, like a missing one); every write is audited
//! and marks the member's branch for the compliance engine's incremental scan.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/dues/schedule.h"
#include "modules/org/org_store.h"
#include "modules/org/subtree_scope.h"
#include "platform/db/database.h"
#include "platform/util/embedded.h"

namespace zhibu::embedded {
const std::vector<EmbeddedFile>& dues_migrations();
}  // namespace zhibu::embedded

namespace zhibu::dues {

inline constexpr std::string_view kReadPermission = "dues.read";
inline constexpr std::string_view kWritePermission = "dues.write";

//! Local settings (docs/rules.md).
inline constexpr std::string_view kAllowPrepaymentSetting = "dues.allow_prepayment";
inline constexpr std::string_view kYearlyBaseSetting = "dues.yearly_base";
inline constexpr std::string_view kArrearsNoticeSetting = "dues.arrears_notice_months";
inline constexpr std::string_view kRemittancePercentSetting = "dues.remittance_percent";

//! `POST /api/v1/members/{id}/dues/bases`: the category and base in force from `effective_month`.
struct BaseInput {
  std::string category;
  std::optional<std::string> base;    //!< yuan text, for categories with a base
  std::optional<std::string> amount;  //!< 农民党员: the branch's amount
  std::string effective_month;        //!< YYYY-MM
  std::string source = "declared";    //!< declared | imported | yearly
  std::string note;
};
//! Declares a base (the amount computed by the quote of 第二～六条). With the setting
//! `dues.yearly_base` on, a base takes effect only in January (422 `dues.yearly_base`).
Result<boost::json::object> DeclareBase(db::Connection& c, const org::SubtreeScope& scope,
                                        const org::Change& change, std::int64_t member_id,
                                        const BaseInput& in);

//! `POST /api/v1/members/{id}/dues/reductions`: 第七条, with the higher 党委's approval on record.
struct ReductionInput {
  std::string from_month;
  std::string to_month;
  std::string amount;  //!< yuan a month; "0" for 免交
  std::string reason;
  std::string approved_by;   //!< the approving 党委
  std::string approval_ref;  //!< its document number
  std::string approved_on;   //!< YYYY-MM-DD
};
Result<boost::json::object> RecordReduction(db::Connection& c, const org::SubtreeScope& scope,
                                            const org::Change& change, std::int64_t member_id,
                                            const ReductionInput& in);

//! `POST /api/v1/dues/payments`.
struct PaymentInput {
  std::int64_t member_id = 0;
  std::vector<std::string> months;    //!< 1–3 months (quarterly with the branch's consent)
  std::optional<std::string> amount;  //!< per month; default what is still owed for it
  std::optional<std::string> extra;   //!< 自愿多交 (第十一条)
  std::string method;                 //!< cash | transfer | online
  std::string reference;
  std::string payer_name;  //!< 代交: the relative or member who paid for them
  std::string paid_on;     //!< YYYY-MM-DD, not after today
};
//! Records a payment with one receipt number; answers the receipt. Refusals name the field:
//! months[i] before admission (第八条), without a base, already paid, more than 6 months late
//! (第十二条), or in the future without `dues.allow_prepayment`.
Result<boost::json::object> RecordPayment(db::Connection& c, const org::SubtreeScope& scope,
                                          const org::Change& change, const PaymentInput& in,
                                          const std::string& today);

//! Cancels every row of receipt `receipt_no` with a reason (never deleted).
Result<boost::json::object> CancelReceipt(db::Connection& c, const org::SubtreeScope& scope,
                                          const org::Change& change, const std::string& receipt_no);

//! One receipt as printed (党费收据): its number, the member, the branch the payment was made to,
//! the months and amounts (补交 marked), the voluntary extra, the total (also in fen, for the 大写
//! amount), the method, who paid for the member (代交), the date, the collector (the account that
//! recorded it) and whether it was cancelled (with why). 404 `dues.receipt_not_found` when there
//! is no such receipt or it was paid to a branch outside `scope`.
Result<boost::json::object> Receipt(db::Connection& c, const org::SubtreeScope& scope,
                                    const std::string& receipt_no);

//! A member's bases, reductions, the twelve months of `year` and their receipts.
Result<boost::json::object> MemberCard(db::Connection& c, const org::SubtreeScope& scope,
                                       std::int64_t member_id, int year, const std::string& today);

//! The ledger of one branch for `month`: its members on the month's last day (or today in the
//! current month), each with category, base, due, paid, owed; and the totals.
Result<boost::json::object> BranchLedger(db::Connection& c, const org::SubtreeScope& scope,
                                         std::int64_t org_id, const std::string& month,
                                         const std::string& today);

//! The totals of every branch under `org_id` for `month`, gathered in one pass over the subtree,
//! and their sum.
Result<boost::json::object> SubtreeLedger(db::Connection& c, const org::SubtreeScope& scope,
                                          std::int64_t org_id, const std::string& month,
                                          const std::string& today);

//! Members of the subtree owing dues for any of the last 12 completed months, most months owed
//! first, with the unpaid run that 第十三条 counts.
Result<boost::json::object> Arrears(db::Connection& c, const org::SubtreeScope& scope,
                                    std::int64_t org_id, const std::string& today,
                                    std::int64_t page, std::int64_t page_size);

//! 第十五、十六条: what the subtree collected in `year` (by payment date), the voluntary extras of
//! 1000.00 or more that go wholly to the Centre (第十一条), and the share of the rest to remit by
//! the end of April of the next year (`dues.remittance_percent`: 5, or 10 for 铁路、民航).
Result<boost::json::object> Remittance(db::Connection& c, const org::SubtreeScope& scope,
                                       std::int64_t org_id, int year);

//! One member's facts for the rules and the ledgers.
struct MemberDues {
  std::int64_t member_id = 0;
  std::string name;
  std::string status;
  std::int64_t org_id = 0;
  std::string org_path;
  std::string org_name;
  YearMonth admitted;
  std::vector<BaseEntry> bases;
  std::vector<ReductionEntry> reductions;
  std::vector<std::pair<YearMonth, money::Fen>> paid;
  std::string category;  //!< of the latest base
  std::optional<money::Fen> base;
};

//! The members in [path_from, path_to) (or of `org_id` when set) on `day`, with their bases,
//! reductions and regular payments up to `to` (payments from `from`). Four set-based queries.
//! `with_base_only` leaves out members without any base (nothing is due from them: the rules'
//! scans use it).
Result<std::vector<MemberDues>> LoadMemberDues(db::Connection& c, const std::string& path_from,
                                               const std::string& path_to,
                                               std::optional<std::int64_t> org_id,
                                               const std::string& day, YearMonth from, YearMonth to,
                                               bool with_base_only = false);

}  // namespace zhibu::dues
