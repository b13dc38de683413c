#include "modules/dues/dues_store.h"

#include <algorithm>
#include <map>

#include "modules/dues/quote.h"
#include "platform/audit/audit_trail.h"
#include "platform/settings/settings.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::dues {
namespace {

using money::Fen;
using money::FormatYuan;

constexpr std::string_view kMemberInScope =
    "SELECT m.id, m.name, m.status, m.joined_on, m.org_id, m.org_path FROM member m WHERE m.id = "
    "$1";

constexpr std::string_view kInsertBase =
    "INSERT INTO dues_base (member_id, category, base_fen, rate_per_ten_thousand, amount_fen, "
    "rule, effective_month, source, note, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, "
    "$7, $8, $9, $10, $11) RETURNING id";

constexpr std::string_view kInsertReduction =
    "INSERT INTO dues_reduction (member_id, from_month, to_month, amount_fen, reason, approved_by, "
    "approval_ref, approved_on, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9, $10) RETURNING id";

constexpr std::string_view kInsertPayment =
    "INSERT INTO dues_payment (member_id, org_id, org_path, month, kind, amount_fen, late, method, "
    "reference, payer_name, paid_on, receipt_no, for_centre, created_at, created_by) VALUES ($1, "
    "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id";

//! The rows of one receipt with the member, the branch at payment time and the collector.
constexpr std::string_view kReceiptRows =
    "SELECT p.member_id, m.name, p.org_id, o.name, p.org_path, p.month, p.kind, p.amount_fen, "
    "p.late, p.method, p.reference, p.payer_name, p.paid_on, p.for_centre, p.created_at, "
    "a.display_name, p.cancelled_at, p.cancelled_reason FROM dues_payment p JOIN member m ON "
    "m.id = p.member_id JOIN organisation o ON o.id = p.org_id LEFT JOIN account a ON a.id = "
    "p.created_by WHERE p.receipt_no = $1 ORDER BY p.month, p.id";

//! The members of a subtree or one organisation on a day (their span there), joined with the
//! organisation's current path and name. $1 day, $2/$3 path range, $4 org id or NULL.
constexpr std::string_view kMembersOn =
    "SELECT m.id, m.name, s.status, m.joined_on, o.id, o.path, o.name FROM member_span s "
    "JOIN member m ON m.id = s.member_id JOIN organisation o ON o.id = s.org_id "
    "WHERE s.valid_from <= $1 AND (s.valid_to IS NULL OR s.valid_to > $1) "
    "AND s.status IN ('full', 'probationary') AND o.path >= $2 AND o.path < $3 "
    "AND (CAST($4 AS BIGINT) IS NULL OR s.org_id = $4)";

//! The same members as a subquery, for the facts of the dues tables.
constexpr std::string_view kMemberIdsOn =
    "SELECT s.member_id FROM member_span s JOIN organisation o ON o.id = s.org_id "
    "WHERE s.valid_from <= $1 AND (s.valid_to IS NULL OR s.valid_to > $1) "
    "AND s.status IN ('full', 'probationary') AND o.path >= $2 AND o.path < $3 "
    "AND (CAST($4 AS BIGINT) IS NULL OR s.org_id = $4)";

std::string BasesOf() {
  return "SELECT b.member_id, b.effective_month, b.amount_fen, b.category, b.base_fen FROM "
         "dues_base b WHERE b.withdrawn_at IS NULL AND b.effective_month <= $5 AND b.member_id IN "
         "(" +
         std::string(kMemberIdsOn) + ") ORDER BY b.member_id, b.effective_month, b.id";
}
std::string ReductionsOf() {
  return "SELECT r.member_id, r.from_month, r.to_month, r.amount_fen FROM dues_reduction r WHERE "
         "r.withdrawn_at IS NULL AND r.from_month <= $5 AND r.member_id IN (" +
         std::string(kMemberIdsOn) + ") ORDER BY r.member_id, r.id";
}
std::string PaymentsOf() {
  return "SELECT p.member_id, p.month, SUM(p.amount_fen) FROM dues_payment p WHERE p.kind = "
         "'regular' AND p.cancelled_at IS NULL AND p.month >= $6 AND p.month <= $5 AND "
         "p.member_id IN (" +
         std::string(kMemberIdsOn) + ") GROUP BY p.member_id, p.month";
}

//! The same facts for a whole tree (its root scanned): every row of the table, read once in
//! index order instead of sought member by member through kMemberIdsOn (which would walk the
//! whole tree's spans once more per table); LoadMemberDues keeps the rows of its members.
//! $1 the last month, $2 the first (payments).
constexpr std::string_view kAllBases =
    "SELECT b.member_id, b.effective_month, b.amount_fen, b.category, b.base_fen FROM dues_base "
    "b WHERE b.withdrawn_at IS NULL AND b.effective_month <= $1 ORDER BY b.member_id, "
    "b.effective_month, b.id";
constexpr std::string_view kAllReductions =
    "SELECT r.member_id, r.from_month, r.to_month, r.amount_fen FROM dues_reduction r WHERE "
    "r.withdrawn_at IS NULL AND r.from_month <= $1 ORDER BY r.member_id, r.id";
constexpr std::string_view kAllPayments =
    "SELECT p.member_id, p.month, SUM(p.amount_fen) FROM dues_payment p WHERE p.kind = 'regular' "
    "AND p.cancelled_at IS NULL AND p.month >= $2 AND p.month <= $1 GROUP BY p.member_id, p.month";
//! kMembersOn's filter of members with a base: for a subtree, tried member by member (the
//! subtree's spans lead); for a whole tree, the members with a base lead (few while a deployment
//! keeps its ledger elsewhere, and never more than the tree's members).
constexpr std::string_view kWithBase =
    " AND EXISTS (SELECT 1 FROM dues_base b WHERE b.member_id = m.id AND b.withdrawn_at IS NULL)";
constexpr std::string_view kWithBaseInTree =
    " AND s.member_id IN (SELECT b.member_id FROM dues_base b WHERE b.withdrawn_at IS NULL)";

//! Whether `path` names a root (`/1/`): its subtree is a whole tree.
bool IsRootPath(const std::string& path) {
  return path.size() > 2 && path.find('/', 1) + 1 == path.size();
}

Error MemberNotFound() { return Error::NotFound("member.not_found", "党员不存在"); }

struct MemberRow {
  std::int64_t id = 0;
  std::string name;
  std::string status;
  std::string joined_on;
  std::int64_t org_id = 0;
  std::string org_path;
};

//! The member `id` when in `scope` and a current member (full or probationary); else 404.
Result<MemberRow> MemberInScope(db::Connection& c, const org::SubtreeScope& scope,
                                std::int64_t id) {
  auto rows = c.Query(kMemberInScope, {id});
  if (!rows) return Fail(rows.error());
  if (rows->empty() || !scope.Contains(rows->Text(0, 5))) return Fail(MemberNotFound());
  MemberRow m{rows->Int(0, 0),  rows->Text(0, 1), rows->Text(0, 2),
              rows->Text(0, 3), rows->Int(0, 4),  rows->Text(0, 5)};
  if (m.status != "full" && m.status != "probationary") {
    return Fail(Error::Unprocessable("dues.not_a_member", "该党员已不在党籍内，不再交纳党费",
                                     "member_id", "中组发〔2008〕3号 第八条"));
  }
  return m;
}

//! The organisation `id` when in scope (404 otherwise).
Result<org::OrgRecord> OrgInScope(db::Connection& c, const org::SubtreeScope& scope,
                                  std::int64_t id) {
  return org::GetOrg(c, scope, id);
}

Result<YearMonth> RequireMonth(std::string_view text, const std::string& field) {
  auto m = ParseYearMonth(text);
  if (!m) {
    return Fail(Error::Invalid("dues.month_invalid", field + "：月份应为 YYYY-MM 格式", field));
  }
  return *m;
}

Result<std::string> RequireText(const std::string& text, const std::string& field,
                                const std::string& label) {
  if (text.empty())
    return Fail(Error::Invalid("dues.field_missing", field + "：请填写" + label, field));
  if (text.size() > 500)
    return Fail(Error::Invalid("dues.field_too_long", field + "：过长", field));
  return text;
}

std::string Day(YearMonth month, const std::string& today) {
  return std::min(LastDayOf(month), today);
}

boost::json::object MonthJson(const StatementMonth& m) {
  boost::json::object j{{"month", FormatYearMonth(m.month)},
                        {"due", nullptr},
                        {"reduced", m.due.reduced},
                        {"paid", FormatYuan(m.paid)},
                        {"owed", FormatYuan(m.owed())}};
  if (m.due.due) j["due"] = FormatYuan(*m.due.due);
  return j;
}

//! Sums a ledger's lines.
struct Totals {
  std::int64_t members = 0;
  std::int64_t without_base = 0;
  Fen due{0};
  Fen paid{0};
  Fen owed{0};
  void Add(const StatementMonth& m) {
    ++members;
    if (!m.due.due) ++without_base;
    if (m.due.due) due.value += m.due.due->value;
    paid.value += m.paid.value;
    owed.value += m.owed().value;
  }
  void Add(const Totals& t) {
    members += t.members;
    without_base += t.without_base;
    due.value += t.due.value;
    paid.value += t.paid.value;
    owed.value += t.owed.value;
  }
  boost::json::object Json() const {
    return {{"members", members},
            {"without_base", without_base},
            {"due", FormatYuan(due)},
            {"paid", FormatYuan(paid)},
            {"owed", FormatYuan(owed)}};
  }
};

//! The extras (自愿多交) paid in `month` per collecting organisation of the subtree.
Result<std::map<std::int64_t, Fen>> ExtrasByOrg(db::Connection& c, const std::string& from,
                                                const std::string& to, YearMonth month) {
  auto rows = c.Query(
      "SELECT org_id, SUM(amount_fen) FROM dues_payment WHERE kind = 'extra' AND cancelled_at IS "
      "NULL AND month = $1 AND org_path >= $2 AND org_path < $3 GROUP BY org_id",
      {FormatYearMonth(month), from, to});
  if (!rows) return Fail(rows.error());
  std::map<std::int64_t, Fen> out;
  for (std::size_t i = 0; i < rows->size(); ++i) out[rows->Int(i, 0)] = Fen{rows->Int(i, 1)};
  return out;
}

}  // namespace

Result<std::vector<MemberDues>> LoadMemberDues(db::Connection& c, const std::string& path_from,
                                               const std::string& path_to,
                                               std::optional<std::int64_t> org_id,
                                               const std::string& day, YearMonth from, YearMonth to,
                                               bool with_base_only) {
  db::Value org = org_id ? db::Value(*org_id) : db::Value(nullptr);
  const bool whole_tree = !org_id && IsRootPath(path_from);
  std::string sql(kMembersOn);
  if (with_base_only) sql += whole_tree ? kWithBaseInTree : kWithBase;
  auto members = c.Query(sql, {day, path_from, path_to, org});
  if (!members) return Fail(members.error());
  std::vector<MemberDues> out;
  std::map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < members->size(); ++i) {
    MemberDues m;
    m.member_id = members->Int(i, 0);
    m.name = members->Text(i, 1);
    m.status = members->Text(i, 2);
    m.admitted = MonthOfDate(members->Text(i, 3));
    m.org_id = members->Int(i, 4);
    m.org_path = members->Text(i, 5);
    m.org_name = members->Text(i, 6);
    index[m.member_id] = out.size();
    out.push_back(std::move(m));
  }
  if (out.empty()) return out;  // no member: no facts to gather
  std::vector<db::Value> params{day, path_from, path_to, org, FormatYearMonth(to)};
  std::vector<db::Value> whole_params{FormatYearMonth(to)};
  auto bases = whole_tree ? c.Query(kAllBases, std::span<const db::Value>(whole_params))
                          : c.Query(BasesOf(), params);
  if (!bases) return Fail(bases.error());
  for (std::size_t i = 0; i < bases->size(); ++i) {
    auto found = index.find(bases->Int(i, 0));
    if (found == index.end()) continue;
    MemberDues& m = out[found->second];
    m.bases.push_back({*ParseYearMonth(bases->Text(i, 1)), Fen{bases->Int(i, 2)}});
    m.category = bases->Text(i, 3);
    m.base = bases->IsNull(i, 4) ? std::nullopt : std::optional<Fen>(Fen{bases->Int(i, 4)});
  }
  auto reductions = whole_tree ? c.Query(kAllReductions, std::span<const db::Value>(whole_params))
                               : c.Query(ReductionsOf(), params);
  if (!reductions) return Fail(reductions.error());
  for (std::size_t i = 0; i < reductions->size(); ++i) {
    auto found = index.find(reductions->Int(i, 0));
    if (found == index.end()) continue;
    out[found->second].reductions.push_back({*ParseYearMonth(reductions->Text(i, 1)),
                                             *ParseYearMonth(reductions->Text(i, 2)),
                                             Fen{reductions->Int(i, 3)}});
  }
  params.push_back(FormatYearMonth(from));
  whole_params.push_back(FormatYearMonth(from));
  auto payments = whole_tree ? c.Query(kAllPayments, std::span<const db::Value>(whole_params))
                             : c.Query(PaymentsOf(), params);
  if (!payments) return Fail(payments.error());
  for (std::size_t i = 0; i < payments->size(); ++i) {
    auto found = index.find(payments->Int(i, 0));
    if (found == index.end()) continue;
    out[found->second].paid.push_back(
        {*ParseYearMonth(payments->Text(i, 1)), Fen{payments->Int(i, 2)}});
  }
  return out;
}

Result<boost::json::object> DeclareBase(db::Connection& c, const org::SubtreeScope& scope,
                                        const org::Change& change, std::int64_t member_id,
                                        const BaseInput& in) {
  auto member = MemberInScope(c, scope, member_id);
  if (!member) return Fail(member.error());
  auto month = RequireMonth(in.effective_month, "effective_month");
  if (!month) return Fail(month.error());
  if (in.source != "declared" && in.source != "imported" && in.source != "yearly") {
    return Fail(Error::Invalid("dues.source_invalid", "source：应为 declared、imported 或 yearly",
                               "source"));
  }
  if (in.note.size() > 500) {
    return Fail(Error::Invalid("dues.field_too_long", "note：过长", "note"));
  }
  auto quote = QuoteFromText(in.category, in.base, in.amount);
  if (!quote) return Fail(quote.error());
  auto yearly = settings::Integer(c, kYearlyBaseSetting);
  if (!yearly) return Fail(yearly.error());
  if (*yearly != 0 && month->month != 1) {
    return Fail(Error::Unprocessable(
        "dues.yearly_base", "effective_month：本地设置为每年初核定一次，基数应自 1 月起执行",
        "effective_month", "本地设置 dues.yearly_base"));
  }
  db::Value base = quote->base ? db::Value(quote->base->value) : db::Value(nullptr);
  db::Value rate = quote->rate ? db::Value(quote->rate->per_ten_thousand) : db::Value(nullptr);
  auto inserted = c.Query(
      kInsertBase, {member_id, std::string(quote->category.id), base, rate, quote->amount.value,
                    quote->rule, FormatYearMonth(*month), in.source, in.note, NowShanghaiIso(),
                    change.account_id ? db::Value(*change.account_id) : db::Value(nullptr)});
  if (!inserted) return Fail(inserted.error());
  boost::json::object answer = QuoteJson(*quote);
  answer["id"] = inserted->Int(0, 0);
  answer["member_id"] = member_id;
  answer["effective_month"] = FormatYearMonth(*month);
  answer["source"] = in.source;
  answer["note"] = in.note;
  auto recorded = org::AuditChangeAndTouch(c, change, "dues.base.declare",
                                           "member:" + std::to_string(member_id),
                                           {{"after", answer}}, member->org_path);
  if (!recorded) return Fail(recorded.error());
  return answer;
}

Result<boost::json::object> RecordReduction(db::Connection& c, const org::SubtreeScope& scope,
                                            const org::Change& change, std::int64_t member_id,
                                            const ReductionInput& in) {
  auto member = MemberInScope(c, scope, member_id);
  if (!member) return Fail(member.error());
  auto from = RequireMonth(in.from_month, "from_month");
  if (!from) return Fail(from.error());
  auto to = RequireMonth(in.to_month, "to_month");
  if (!to) return Fail(to.error());
  if (*to < *from) {
    return Fail(
        Error::Invalid("dues.months_reversed", "to_month：不能早于 from_month", "to_month"));
  }
  auto amount = money::ParseYuan(in.amount, "amount");
  if (!amount) return Fail(amount.error());
  for (const auto& [text, field, label] :
       {std::tuple{in.reason, "reason", "原因"},
        std::tuple{in.approved_by, "approved_by", "批准的上级党委"},
        std::tuple{in.approval_ref, "approval_ref", "批准文号"}}) {
    auto ok = RequireText(text, field, label);
    if (!ok) return Fail(ok.error());
  }
  auto approved_on = RequireIsoDate(in.approved_on, "approved_on", "批准日期");
  if (!approved_on) return Fail(approved_on.error());
  auto inserted = c.Query(
      kInsertReduction, {member_id, FormatYearMonth(*from), FormatYearMonth(*to), amount->value,
                         in.reason, in.approved_by, in.approval_ref, *approved_on, NowShanghaiIso(),
                         change.account_id ? db::Value(*change.account_id) : db::Value(nullptr)});
  if (!inserted) return Fail(inserted.error());
  boost::json::object answer{{"id", inserted->Int(0, 0)},
                             {"member_id", member_id},
                             {"from_month", FormatYearMonth(*from)},
                             {"to_month", FormatYearMonth(*to)},
                             {"amount", FormatYuan(*amount)},
                             {"exempt", amount->value == 0},
                             {"reason", in.reason},
                             {"approved_by", in.approved_by},
                             {"approval_ref", in.approval_ref},
                             {"approved_on", *approved_on},
                             {"rule", "中组发〔2008〕3号 第七条"}};
  auto recorded = org::AuditChangeAndTouch(c, change, "dues.reduction.record",
                                           "member:" + std::to_string(member_id),
                                           {{"after", answer}}, member->org_path);
  if (!recorded) return Fail(recorded.error());
  return answer;
}

Result<boost::json::object> RecordPayment(db::Connection& c, const org::SubtreeScope& scope,
                                          const org::Change& change, const PaymentInput& in,
                                          const std::string& today) {
  auto member = MemberInScope(c, scope, in.member_id);
  if (!member) return Fail(member.error());
  if (in.method != "cash" && in.method != "transfer" && in.method != "online") {
    return Fail(Error::Invalid("dues.method_invalid",
                               "method：应为 cash（现金）、transfer（转账）或 online（线上）",
                               "method"));
  }
  auto paid_on = RequireIsoDate(in.paid_on, "paid_on", "交纳日期");
  if (!paid_on) return Fail(paid_on.error());
  if (*paid_on > today) {
    return Fail(Error::Invalid("dues.paid_on_future", "paid_on：交纳日期不能晚于今天", "paid_on"));
  }
  if (in.reference.size() > 200 || in.payer_name.size() > 100) {
    return Fail(Error::Invalid("dues.field_too_long", "reference 或 payer_name 过长",
                               in.reference.size() > 200 ? "reference" : "payer_name"));
  }
  std::optional<Fen> extra;
  if (in.extra) {
    auto e = money::ParseYuan(*in.extra, "extra");
    if (!e) return Fail(e.error());
    if (e->value == 0)
      return Fail(Error::Invalid("dues.extra_zero", "extra：自愿多交金额应大于 0", "extra"));
    extra = *e;
  }
  if (in.months.empty() && !extra) {
    return Fail(Error::Invalid("dues.months_missing", "months：请选择交纳的月份", "months"));
  }
  if (in.months.size() > 3) {
    return Fail(Error::Unprocessable("dues.too_many_months",
                                     "months：一次最多交纳一个季度（3 个月）", "months",
                                     "中组发〔2008〕3号 第十二条"));
  }
  std::optional<Fen> per_month;
  if (in.amount) {
    auto a = money::ParseYuan(*in.amount, "amount");
    if (!a) return Fail(a.error());
    if (a->value == 0)
      return Fail(Error::Invalid("dues.amount_zero", "amount：金额应大于 0", "amount"));
    per_month = *a;
  }
  auto prepayment = settings::Integer(c, kAllowPrepaymentSetting);
  if (!prepayment) return Fail(prepayment.error());

  YearMonth paid_month = MonthOfDate(*paid_on);
  YearMonth admitted = MonthOfDate(member->joined_on);
  std::vector<YearMonth> months;
  for (std::size_t i = 0; i < in.months.size(); ++i) {
    std::string field = "months[" + std::to_string(i) + "]";
    auto m = RequireMonth(in.months[i], field);
    if (!m) return Fail(m.error());
    if (std::find(months.begin(), months.end(), *m) != months.end()) {
      return Fail(Error::Invalid("dues.month_repeated", field + "：月份重复", field));
    }
    if (*m < admitted) {
      return Fail(
          Error::Unprocessable("dues.before_admission",
                               field + "：预备党员从支部大会通过之日起交纳党费，该月早于入党（" +
                                   member->joined_on + "）",
                               field, "中组发〔2008〕3号 第八条"));
    }
    if (*m > paid_month && *prepayment == 0) {
      return Fail(Error::Unprocessable("dues.prepayment_not_allowed",
                                       field + "：本地设置不允许预交以后月份的党费", field,
                                       "本地设置 dues.allow_prepayment"));
    }
    if (MonthsBetween(*m, paid_month) > kBackPaymentMonths) {
      return Fail(Error::Unprocessable("dues.back_payment_too_old",
                                       field + "：补交时间一般不得超过 6 个月", field,
                                       "中组发〔2008〕3号 第十二条"));
    }
    months.push_back(*m);
  }

  // What each month is due and already paid, from the member's own facts.
  YearMonth first = months.empty() ? paid_month : *std::min_element(months.begin(), months.end());
  YearMonth last = months.empty() ? paid_month : *std::max_element(months.begin(), months.end());
  auto facts = LoadMemberDues(c, member->org_path, org::SubtreeEnd(member->org_path),
                              member->org_id, today, first, last);
  if (!facts) return Fail(facts.error());
  auto mine = std::find_if(facts->begin(), facts->end(),
                           [&](const MemberDues& d) { return d.member_id == in.member_id; });
  if (mine == facts->end()) return Fail(MemberNotFound());
  std::vector<std::pair<YearMonth, Fen>> rows;
  for (std::size_t i = 0; i < months.size(); ++i) {
    std::string field = "months[" + std::to_string(i) + "]";
    auto statement =
        Statement(months[i], months[i], mine->admitted, mine->bases, mine->reductions, mine->paid);
    const StatementMonth& s = statement.front();
    if (!s.due.due) {
      return Fail(Error::Unprocessable("dues.base_missing",
                                       field + "：该月尚未核定党费基数，请先核定", field,
                                       "中组发〔2008〕3号 第一条"));
    }
    Fen owed = s.owed();
    if (owed.value == 0) {
      return Fail(Error::Conflict("dues.month_paid", field + "：该月党费已交清", field));
    }
    Fen amount = per_month.value_or(owed);
    if (amount > owed) {
      return Fail(Error::Unprocessable(
          "dues.amount_above_due",
          "amount：超过该月应交（" + FormatYuan(owed) + " 元）；多交的部分请填写 extra（自愿多交）",
          "amount", "中组发〔2008〕3号 第十一条"));
    }
    rows.push_back({months[i], amount});
  }

  db::Value by = change.account_id ? db::Value(*change.account_id) : db::Value(nullptr);
  std::string now = NowShanghaiIso();
  std::vector<std::int64_t> ids;
  auto insert = [&](YearMonth month, std::string_view kind, Fen amount, bool late,
                    bool for_centre) -> Result<void> {
    auto inserted = c.Query(
        kInsertPayment,
        {in.member_id, member->org_id, member->org_path, FormatYearMonth(month), std::string(kind),
         amount.value, std::int64_t{late ? 1 : 0}, in.method, in.reference, in.payer_name, *paid_on,
         std::string(), std::int64_t{for_centre ? 1 : 0}, now, by});
    if (!inserted) return Fail(inserted.error());
    ids.push_back(inserted->Int(0, 0));
    return {};
  };
  for (const auto& [month, amount] : rows) {
    auto done = insert(month, "regular", amount, month < paid_month, false);
    if (!done) return Fail(done.error());
  }
  if (extra) {
    auto done = insert(paid_month, "extra", *extra, false, *extra >= kExtraForCentre);
    if (!done) return Fail(done.error());
  }
  // The receipt is numbered by its first row: DF + year of payment + six digits.
  std::string number = std::to_string(ids.front());
  if (number.size() < 6) number = std::string(6 - number.size(), '0') + number;
  std::string receipt = "DF" + paid_on->substr(0, 4) + "-" + number;
  std::vector<db::Value> params{receipt};
  std::string list;
  for (auto id : ids) {
    params.push_back(id);
    list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  auto numbered =
      c.Execute("UPDATE dues_payment SET receipt_no = $1 WHERE id IN (" + list + ")", params);
  if (!numbered) return Fail(numbered.error());

  Fen total{0};
  boost::json::array lines;
  for (const auto& [month, amount] : rows) {
    total.value += amount.value;
    lines.push_back({{"month", FormatYearMonth(month)},
                     {"amount", FormatYuan(amount)},
                     {"late", month < paid_month}});
  }
  boost::json::object answer{{"receipt_no", receipt},
                             {"member_id", in.member_id},
                             {"member_name", member->name},
                             {"paid_on", *paid_on},
                             {"method", in.method},
                             {"reference", in.reference},
                             {"payer_name", in.payer_name},
                             {"months", std::move(lines)},
                             {"extra", extra ? FormatYuan(*extra) : "0.00"},
                             {"extra_for_centre", extra && *extra >= kExtraForCentre},
                             {"total", FormatYuan(Fen{total.value + (extra ? extra->value : 0)})}};
  auto recorded = org::AuditChangeAndTouch(c, change, "dues.payment.record",
                                           "member:" + std::to_string(in.member_id),
                                           {{"after", answer}}, member->org_path);
  if (!recorded) return Fail(recorded.error());
  return answer;
}

Result<boost::json::object> CancelReceipt(db::Connection& c, const org::SubtreeScope& scope,
                                          const org::Change& change,
                                          const std::string& receipt_no) {
  auto reason = RequireText(change.reason, "reason", "作废原因");
  if (!reason) return Fail(reason.error());
  auto rows = c.Query(
      "SELECT id, member_id, org_path, cancelled_at, month, amount_fen, kind FROM dues_payment "
      "WHERE receipt_no = $1 ORDER BY id",
      {receipt_no});
  if (!rows) return Fail(rows.error());
  if (rows->empty() || !scope.Contains(rows->Text(0, 2))) {
    return Fail(Error::NotFound("dues.receipt_not_found", "收据不存在"));
  }
  if (!rows->IsNull(0, 3)) {
    return Fail(Error::Conflict("dues.receipt_cancelled", "该收据已作废"));
  }
  auto done = c.Execute(
      "UPDATE dues_payment SET cancelled_at = $2, cancelled_reason = $3 WHERE receipt_no = $1",
      {receipt_no, NowShanghaiIso(), change.reason});
  if (!done) return Fail(done.error());
  std::int64_t member_id = rows->Int(0, 1);
  boost::json::object answer{
      {"receipt_no", receipt_no}, {"cancelled", true}, {"rows", rows->size()}};
  auto recorded = org::AuditChangeAndTouch(c, change, "dues.payment.cancel",
                                           "member:" + std::to_string(member_id),
                                           {{"receipt_no", receipt_no}}, rows->Text(0, 2));
  if (!recorded) return Fail(recorded.error());
  return answer;
}

Result<boost::json::object> Receipt(db::Connection& c, const org::SubtreeScope& scope,
                                    const std::string& receipt_no) {
  auto rows = c.Query(kReceiptRows, {receipt_no});
  if (!rows) return Fail(rows.error());
  if (rows->empty() || !scope.Contains(rows->Text(0, 4))) {
    return Fail(Error::NotFound("dues.receipt_not_found", "收据不存在"));
  }
  const db::ResultSet& r = *rows;
  Fen total{0};
  Fen extra{0};
  bool for_centre = false;
  boost::json::array months;
  for (std::size_t i = 0; i < r.size(); ++i) {
    Fen amount{r.Int(i, 7)};
    total.value += amount.value;
    if (r.Text(i, 6) == "extra") {
      extra.value += amount.value;
      for_centre = for_centre || r.Int(i, 13) != 0;
      continue;
    }
    months.push_back(
        {{"month", r.Text(i, 5)}, {"amount", FormatYuan(amount)}, {"late", r.Int(i, 8) != 0}});
  }
  bool cancelled = !r.IsNull(0, 16);
  boost::json::object answer{{"receipt_no", receipt_no},
                             {"member_id", r.Int(0, 0)},
                             {"member_name", r.Text(0, 1)},
                             {"org_id", r.Int(0, 2)},
                             {"org_name", r.Text(0, 3)},
                             {"paid_on", r.Text(0, 12)},
                             {"method", r.Text(0, 9)},
                             {"reference", r.Text(0, 10)},
                             {"payer_name", r.Text(0, 11)},
                             {"months", std::move(months)},
                             {"extra", FormatYuan(extra)},
                             {"extra_for_centre", for_centre},
                             {"total", FormatYuan(total)},
                             {"total_fen", total.value},
                             {"collector", r.IsNull(0, 15) ? "" : r.Text(0, 15)},
                             {"recorded_at", r.Text(0, 14)},
                             {"cancelled", cancelled}};
  if (cancelled) {
    answer["cancelled_at"] = r.Text(0, 16);
    answer["cancelled_reason"] = r.Text(0, 17);
  }
  return answer;
}

Result<boost::json::object> MemberCard(db::Connection& c, const org::SubtreeScope& scope,
                                       std::int64_t member_id, int year, const std::string& today) {
  auto rows = c.Query(kMemberInScope, {member_id});
  if (!rows) return Fail(rows.error());
  if (rows->empty() || !scope.Contains(rows->Text(0, 5))) return Fail(MemberNotFound());
  std::string joined_on = rows->Text(0, 3);
  boost::json::object card{{"member_id", member_id},
                           {"name", rows->Text(0, 1)},
                           {"status", rows->Text(0, 2)},
                           {"admitted_on", joined_on},
                           {"year", year}};
  auto bases = c.Query(
      "SELECT id, category, base_fen, rate_per_ten_thousand, amount_fen, rule, effective_month, "
      "source, note, created_at FROM dues_base WHERE member_id = $1 AND withdrawn_at IS NULL "
      "ORDER BY effective_month, id",
      {member_id});
  if (!bases) return Fail(bases.error());
  boost::json::array base_list;
  std::vector<BaseEntry> base_entries;
  for (std::size_t i = 0; i < bases->size(); ++i) {
    boost::json::object b{{"id", bases->Int(i, 0)},
                          {"category", bases->Text(i, 1)},
                          {"base", nullptr},
                          {"rate", nullptr},
                          {"amount", FormatYuan(Fen{bases->Int(i, 4)})},
                          {"rule", bases->Text(i, 5)},
                          {"effective_month", bases->Text(i, 6)},
                          {"source", bases->Text(i, 7)},
                          {"note", bases->Text(i, 8)},
                          {"created_at", bases->Text(i, 9)}};
    if (!bases->IsNull(i, 2)) b["base"] = FormatYuan(Fen{bases->Int(i, 2)});
    if (!bases->IsNull(i, 3)) b["rate"] = FormatRate(Rate{bases->Int(i, 3)});
    if (auto category = ParseCategory(bases->Text(i, 1))) b["category_title"] = category->title;
    base_list.push_back(std::move(b));
    base_entries.push_back({*ParseYearMonth(bases->Text(i, 6)), Fen{bases->Int(i, 4)}});
  }
  card["bases"] = std::move(base_list);
  auto reductions = c.Query(
      "SELECT id, from_month, to_month, amount_fen, reason, approved_by, approval_ref, approved_on "
      "FROM dues_reduction WHERE member_id = $1 AND withdrawn_at IS NULL ORDER BY id",
      {member_id});
  if (!reductions) return Fail(reductions.error());
  boost::json::array reduction_list;
  std::vector<ReductionEntry> reduction_entries;
  for (std::size_t i = 0; i < reductions->size(); ++i) {
    Fen amount{reductions->Int(i, 3)};
    reduction_list.push_back({{"id", reductions->Int(i, 0)},
                              {"from_month", reductions->Text(i, 1)},
                              {"to_month", reductions->Text(i, 2)},
                              {"amount", FormatYuan(amount)},
                              {"exempt", amount.value == 0},
                              {"reason", reductions->Text(i, 4)},
                              {"approved_by", reductions->Text(i, 5)},
                              {"approval_ref", reductions->Text(i, 6)},
                              {"approved_on", reductions->Text(i, 7)}});
    reduction_entries.push_back(
        {*ParseYearMonth(reductions->Text(i, 1)), *ParseYearMonth(reductions->Text(i, 2)), amount});
  }
  card["reductions"] = std::move(reduction_list);
  YearMonth first{year, 1};
  YearMonth last{year, 12};
  auto payments = c.Query(
      "SELECT receipt_no, month, kind, amount_fen, late, method, reference, payer_name, paid_on, "
      "for_centre, cancelled_at, cancelled_reason FROM dues_payment WHERE member_id = $1 AND "
      "((month >= $2 AND month <= $3) OR (paid_on >= $4 AND paid_on <= $5)) ORDER BY paid_on, id",
      {member_id, FormatYearMonth(first), FormatYearMonth(last), FirstDayOf(first),
       LastDayOf(last)});
  if (!payments) return Fail(payments.error());
  std::vector<std::pair<YearMonth, Fen>> paid;
  boost::json::array payment_list;
  for (std::size_t i = 0; i < payments->size(); ++i) {
    bool cancelled = !payments->IsNull(i, 10);
    YearMonth month = *ParseYearMonth(payments->Text(i, 1));
    if (!cancelled && payments->Text(i, 2) == "regular") {
      paid.push_back({month, Fen{payments->Int(i, 3)}});
    }
    boost::json::object p{{"receipt_no", payments->Text(i, 0)},
                          {"month", payments->Text(i, 1)},
                          {"kind", payments->Text(i, 2)},
                          {"amount", FormatYuan(Fen{payments->Int(i, 3)})},
                          {"late", payments->Int(i, 4) != 0},
                          {"method", payments->Text(i, 5)},
                          {"reference", payments->Text(i, 6)},
                          {"payer_name", payments->Text(i, 7)},
                          {"paid_on", payments->Text(i, 8)},
                          {"for_centre", payments->Int(i, 9) != 0},
                          {"cancelled", cancelled}};
    if (cancelled) p["cancelled_reason"] = payments->Text(i, 11);
    payment_list.push_back(std::move(p));
  }
  YearMonth current = MonthOfDate(today);
  YearMonth shown_last = std::min(last, current);
  boost::json::array months;
  Fen owed{0};
  if (first <= shown_last) {
    auto statement =
        Statement(first, shown_last, MonthOfDate(joined_on), base_entries, reduction_entries, paid);
    for (const auto& m : statement) {
      months.push_back(MonthJson(m));
      if (m.month < current) owed.value += m.owed().value;
    }
  }
  card["months"] = std::move(months);
  card["owed_before_this_month"] = FormatYuan(owed);
  card["payments"] = std::move(payment_list);
  return card;
}

Result<boost::json::object> BranchLedger(db::Connection& c, const org::SubtreeScope& scope,
                                         std::int64_t org_id, const std::string& month_text,
                                         const std::string& today) {
  auto org = OrgInScope(c, scope, org_id);
  if (!org) return Fail(org.error());
  auto month = RequireMonth(month_text, "month");
  if (!month) return Fail(month.error());
  std::string day = Day(*month, today);
  if (FirstDayOf(*month) > today) {
    return Fail(Error::Invalid("dues.month_future", "month：不能是以后的月份", "month"));
  }
  auto facts =
      LoadMemberDues(c, org->path, org::SubtreeEnd(org->path), org_id, day, *month, *month);
  if (!facts) return Fail(facts.error());
  std::sort(facts->begin(), facts->end(),
            [](const MemberDues& a, const MemberDues& b) { return a.member_id < b.member_id; });
  Totals totals;
  boost::json::array items;
  for (const auto& m : *facts) {
    auto s = Statement(*month, *month, m.admitted, m.bases, m.reductions, m.paid).front();
    totals.Add(s);
    boost::json::object line = MonthJson(s);
    line["member_id"] = m.member_id;
    line["name"] = m.name;
    line["status"] = m.status;
    line["category"] = m.category;
    line["base"] = m.base ? boost::json::value(FormatYuan(*m.base)) : boost::json::value(nullptr);
    line["paid_below"] = s.paid_below();
    items.push_back(std::move(line));
  }
  auto extras = ExtrasByOrg(c, org->path, org::SubtreeEnd(org->path), *month);
  if (!extras) return Fail(extras.error());
  Fen extra = extras->contains(org_id) ? extras->at(org_id) : Fen{0};
  boost::json::object t = totals.Json();
  t["extra"] = FormatYuan(extra);
  return boost::json::object{{"org", {{"id", org->id}, {"name", org->name}, {"path", org->path}}},
                             {"month", FormatYearMonth(*month)},
                             {"day", day},
                             {"items", std::move(items)},
                             {"totals", std::move(t)}};
}

Result<boost::json::object> SubtreeLedger(db::Connection& c, const org::SubtreeScope& scope,
                                          std::int64_t org_id, const std::string& month_text,
                                          const std::string& today) {
  auto org = OrgInScope(c, scope, org_id);
  if (!org) return Fail(org.error());
  auto month = RequireMonth(month_text, "month");
  if (!month) return Fail(month.error());
  if (FirstDayOf(*month) > today) {
    return Fail(Error::Invalid("dues.month_future", "month：不能是以后的月份", "month"));
  }
  std::string day = Day(*month, today);
  std::string end = org::SubtreeEnd(org->path);
  auto facts = LoadMemberDues(c, org->path, end, std::nullopt, day, *month, *month);
  if (!facts) return Fail(facts.error());
  struct Branch {
    std::string name;
    std::string path;
    Totals totals;
  };
  std::map<std::int64_t, Branch> branches;
  Totals all;
  for (const auto& m : *facts) {
    auto s = Statement(*month, *month, m.admitted, m.bases, m.reductions, m.paid).front();
    Branch& b = branches[m.org_id];
    b.name = m.org_name;
    b.path = m.org_path;
    b.totals.Add(s);
    all.Add(s);
  }
  auto extras = ExtrasByOrg(c, org->path, end, *month);
  if (!extras) return Fail(extras.error());
  Fen extra_total{0};
  boost::json::array rows;
  for (auto& [id, b] : branches) {
    boost::json::object row = b.totals.Json();
    row["org_id"] = id;
    row["name"] = b.name;
    row["path"] = b.path;
    Fen extra = extras->contains(id) ? extras->at(id) : Fen{0};
    row["extra"] = FormatYuan(extra);
    rows.push_back(std::move(row));
  }
  for (const auto& [id, e] : *extras) extra_total.value += e.value;
  boost::json::object t = all.Json();
  t["extra"] = FormatYuan(extra_total);
  return boost::json::object{{"org", {{"id", org->id}, {"name", org->name}, {"path", org->path}}},
                             {"month", FormatYearMonth(*month)},
                             {"day", day},
                             {"branches", std::move(rows)},
                             {"totals", std::move(t)}};
}

Result<boost::json::object> Arrears(db::Connection& c, const org::SubtreeScope& scope,
                                    std::int64_t org_id, const std::string& today,
                                    std::int64_t page, std::int64_t page_size) {
  auto org = OrgInScope(c, scope, org_id);
  if (!org) return Fail(org.error());
  YearMonth last = AddMonths(MonthOfDate(today), -1);
  YearMonth first = AddMonths(last, -11);
  auto facts =
      LoadMemberDues(c, org->path, org::SubtreeEnd(org->path), std::nullopt, today, first, last);
  if (!facts) return Fail(facts.error());
  struct Line {
    const MemberDues* member;
    std::vector<YearMonth> owed_months;
    std::vector<YearMonth> run;
    Fen owed{0};
  };
  std::vector<Line> lines;
  for (const auto& m : *facts) {
    auto statement = Statement(first, last, m.admitted, m.bases, m.reductions, m.paid);
    Line line{&m, {}, TrailingUnpaidRun(statement), Fen{0}};
    for (const auto& s : statement) {
      if (s.owed().value > 0) {
        line.owed_months.push_back(s.month);
        line.owed.value += s.owed().value;
      }
    }
    if (!line.owed_months.empty()) lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    if (a.run.size() != b.run.size()) return a.run.size() > b.run.size();
    if (a.owed_months.size() != b.owed_months.size()) {
      return a.owed_months.size() > b.owed_months.size();
    }
    return a.member->member_id < b.member->member_id;
  });
  boost::json::array items;
  std::size_t begin = static_cast<std::size_t>((page - 1) * page_size);
  for (std::size_t i = begin; i < lines.size() && i < begin + page_size; ++i) {
    const Line& l = lines[i];
    boost::json::array owed_months;
    for (auto m : l.owed_months) owed_months.push_back(boost::json::value(FormatYearMonth(m)));
    boost::json::array run;
    for (auto m : l.run) run.push_back(boost::json::value(FormatYearMonth(m)));
    items.push_back({{"member_id", l.member->member_id},
                     {"name", l.member->name},
                     {"org_id", l.member->org_id},
                     {"org_name", l.member->org_name},
                     {"months_owed", std::move(owed_months)},
                     {"owed", FormatYuan(l.owed)},
                     {"unpaid_run", std::move(run)},
                     {"six_months", static_cast<int>(l.run.size()) >= kUnpaidMonthsFlagged}});
  }
  return boost::json::object{{"org", {{"id", org->id}, {"name", org->name}}},
                             {"from", FormatYearMonth(first)},
                             {"to", FormatYearMonth(last)},
                             {"items", std::move(items)},
                             {"total", static_cast<std::int64_t>(lines.size())}};
}

Result<boost::json::object> Remittance(db::Connection& c, const org::SubtreeScope& scope,
                                       std::int64_t org_id, int year) {
  auto org = OrgInScope(c, scope, org_id);
  if (!org) return Fail(org.error());
  if (year < 1900 || year > 2199) {
    return Fail(Error::Invalid("dues.year_invalid", "year：年份无效", "year"));
  }
  std::string y = std::to_string(year);
  auto rows = c.Query(
      "SELECT kind, for_centre, COUNT(*), COALESCE(SUM(amount_fen), 0) FROM dues_payment WHERE "
      "cancelled_at IS NULL AND paid_on >= $1 AND paid_on <= $2 AND org_path >= $3 AND org_path < "
      "$4 GROUP BY kind, for_centre",
      {y + "-01-01", y + "-12-31", org->path, org::SubtreeEnd(org->path)});
  if (!rows) return Fail(rows.error());
  Fen regular{0};
  Fen extra{0};
  Fen for_centre{0};
  for (std::size_t i = 0; i < rows->size(); ++i) {
    Fen sum{rows->Int(i, 3)};
    if (rows->Text(i, 0) == "regular") {
      regular.value += sum.value;
    } else if (rows->Int(i, 1) != 0) {
      for_centre.value += sum.value;
    } else {
      extra.value += sum.value;
    }
  }
  auto percent = settings::Integer(c, kRemittancePercentSetting);
  if (!percent) return Fail(percent.error());
  Fen shared{regular.value + extra.value};
  Fen share = money::MultiplyRoundHalfUp(shared, *percent, 100);
  return boost::json::object{
      {"org", {{"id", org->id}, {"name", org->name}}},
      {"year", year},
      {"collected", FormatYuan(Fen{regular.value + extra.value + for_centre.value})},
      {"regular", FormatYuan(regular)},
      {"extra", FormatYuan(extra)},
      {"extra_for_centre", FormatYuan(for_centre)},
      {"share_percent", *percent},
      {"share", FormatYuan(share)},
      {"remit_total", FormatYuan(Fen{share.value + for_centre.value})},
      {"due_by", std::to_string(year + 1) + "-04-30"},
      {"rule",
       "中组发〔2008〕3号 第十一条（一次多交 1000 元以上全部上缴中央）、第十五条、第十六条"}};
}

}  // namespace zhibu::dues
