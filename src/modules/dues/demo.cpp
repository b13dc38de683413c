#include "modules/dues/demo.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

#include "modules/dues/quote.h"
#include "modules/dues/schedule.h"
#include "modules/org/demo_town.h"
#include "modules/org/subtree_scope.h"
#include "platform/compliance/rule.h"
#include "platform/util/clock.h"

namespace zhibu::dues {
namespace {

using money::Fen;

//! SplitMix64: a well-mixed 64-bit hash, so each member's choices are independent and repeatable.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::string_view kTownMembers =
    "SELECT m.id, m.org_id, m.org_path, m.joined_on, m.category FROM member m WHERE m.org_path >= "
    "$1 AND m.org_path < $2 AND m.status IN ('full', 'probationary') ORDER BY m.id";

//! The category and base of a demo member from the registry's category.
DuesQuote DemoQuote(const std::string& registry_category, std::uint64_t h, std::int64_t org_id) {
  auto category = [](std::string_view id) { return *ParseCategory(id); };
  if (registry_category == "retired") {
    return *Quote(category("retired"), Fen{250000 + static_cast<std::int64_t>(h % 450000)});
  }
  if (registry_category == "rural") {
    // The branch sets one amount for its 农民党员: 0.20 to 1.00 in steps of 0.10.
    Fen amount{20 + static_cast<std::int64_t>(Mix(static_cast<std::uint64_t>(org_id)) % 9) * 10};
    return *Quote(category("farmer"), std::nullopt, amount);
  }
  if (registry_category == "unemployed") return *Quote(category("unemployed"), std::nullopt);
  // 在职: after-tax pay of 2,200.00 to 16,000.00, most between 3,000 and 9,000.
  std::int64_t yuan = 2200 + static_cast<std::int64_t>((h % 6000) + ((h >> 16) % 8000) / 2);
  std::int64_t fen = static_cast<std::int64_t>((h >> 40) % 100);
  return *Quote(category("employed"), Fen{yuan * 100 + fen});
}

}  // namespace

namespace {

//! The year of ledger of the members under `path` (see demo.h), in the caller's transaction.
Result<std::string> WriteDemoDues(db::Connection& c, const std::string& path,
                                  const std::string& today) {
  {
    auto members = c.Query(kTownMembers, {path, org::SubtreeEnd(path)});
    if (!members) return Fail(members.error());

    YearMonth current = MonthOfDate(today);
    YearMonth last = AddMonths(current, -1);
    YearMonth first = AddMonths(last, -11);
    int today_day = std::stoi(today.substr(8, 2));
    std::string now = NowShanghaiIso();
    std::vector<std::vector<db::Value>> bases;
    std::vector<std::vector<db::Value>> reductions;
    std::vector<std::vector<db::Value>> payments;
    std::int64_t receipt = 0;
    auto pay = [&](std::int64_t member, std::int64_t org, const std::string& org_path,
                   YearMonth month, std::string_view kind, Fen amount, std::string paid_on,
                   bool for_centre) {
      char number[32];
      std::snprintf(number, sizeof number, "DF%s-D%06lld", paid_on.substr(0, 4).c_str(),
                    static_cast<long long>(++receipt));
      payments.push_back({member, org, org_path, FormatYearMonth(month), std::string(kind),
                          amount.value, std::int64_t{0}, std::string("cash"), std::string(),
                          std::string(), std::move(paid_on), std::string(number),
                          std::int64_t{for_centre ? 1 : 0}, now});
    };
    std::int64_t stopped = 0;
    std::int64_t behind = 0;
    std::int64_t exempt = 0;
    for (std::size_t i = 0; i < members->size(); ++i) {
      std::int64_t id = members->Int(i, 0);
      std::int64_t org = members->Int(i, 1);
      std::string org_path = members->Text(i, 2);
      YearMonth admitted = MonthOfDate(members->Text(i, 3));
      std::uint64_t h = Mix(static_cast<std::uint64_t>(id));
      DuesQuote q = DemoQuote(members->Text(i, 4), h, org);
      YearMonth effective = std::max(first, admitted);
      if (effective > current) continue;
      bases.push_back({id, std::string(q.category.id),
                       q.base ? db::Value(q.base->value) : db::Value(nullptr),
                       q.rate ? db::Value(q.rate->per_ten_thousand) : db::Value(nullptr),
                       q.amount.value, q.rule, FormatYearMonth(effective), std::string("imported"),
                       std::string("演示数据"), now});

      // The member's behaviour: most pay every month on the 10th.
      std::uint64_t kind = Mix(h) % 100;
      YearMonth paid_through = last;
      std::optional<YearMonth> short_month;
      if (kind < 4) {
        paid_through = AddMonths(last, -(7 + static_cast<int>(h % 3)));
        ++stopped;
      } else if (kind < 7) {
        paid_through = AddMonths(last, -(3 + static_cast<int>(h % 2)));
        ++behind;
      } else if (kind == 7) {
        YearMonth from = AddMonths(last, -5);
        reductions.push_back({id, FormatYearMonth(from), FormatYearMonth(AddMonths(current, 6)),
                              std::int64_t{0}, std::string("长期患病，生活困难（演示）"),
                              std::string("上级党委（演示）"), std::string("演示〔2026〕1号"),
                              FirstDayOf(from), now});
        paid_through = AddMonths(from, -1);
        ++exempt;
      } else if (kind < 10 && q.amount.value > 100) {
        short_month = AddMonths(last, -static_cast<int>(h % 3));
      }
      for (YearMonth m = effective; m <= paid_through; m = AddMonths(m, 1)) {
        Fen amount = q.amount;
        if (short_month && m == *short_month) amount.value -= 100;
        if (amount.value > 0)
          pay(id, org, org_path, m, "regular", amount, FirstDayOf(m).substr(0, 8) + "10", false);
      }
      if (kind >= 10 && today_day >= 10 && h % 5 < 3 && effective <= current &&
          q.amount.value > 0) {
        pay(id, org, org_path, current, "regular", q.amount,
            FirstDayOf(current).substr(0, 8) + "10", false);
      }
      if (kind == 50 && effective <= last) {
        pay(id, org, org_path, last, "extra", Fen{100000}, FirstDayOf(last).substr(0, 8) + "10",
            true);
      }
    }
    const std::vector<std::string> base_columns = {
        "member_id",  "category",  "base_fen",        "rate_per_ten_thousand",
        "amount_fen", "rule",      "effective_month", "source",
        "note",       "created_at"};
    db::VectorRowSource base_rows(bases);
    auto b = c.BulkInsert("dues_base", base_columns, base_rows);
    if (!b) return Fail(b.error());
    const std::vector<std::string> reduction_columns = {
        "member_id",   "from_month",   "to_month",    "amount_fen", "reason",
        "approved_by", "approval_ref", "approved_on", "created_at"};
    db::VectorRowSource reduction_rows(reductions);
    auto r = c.BulkInsert("dues_reduction", reduction_columns, reduction_rows);
    if (!r) return Fail(r.error());
    const std::vector<std::string> payment_columns = {
        "member_id",  "org_id",     "org_path",   "month",     "kind",
        "amount_fen", "late",       "method",     "reference", "payer_name",
        "paid_on",    "receipt_no", "for_centre", "created_at"};
    db::VectorRowSource payment_rows(payments);
    auto p = c.BulkInsert("dues_payment", payment_columns, payment_rows);
    if (!p) return Fail(p.error());
    auto touched = compliance::Touch(c, path);
    if (!touched) return Fail(touched.error());
    return std::to_string(*b) + " 名党员的基数、" + std::to_string(*p) + " 笔交纳（" +
           std::to_string(stopped) + " 人连续7个月以上未交，" + std::to_string(behind) +
           " 人欠交3–4个月，" + std::to_string(exempt) + " 人经批准免交）";
  }
}

}  // namespace

Result<std::string> LoadDemoDues(db::Database& db, const std::string& today) {
  return db.Write([&](db::Connection& c) -> Result<std::string> {
    auto existing = c.Query("SELECT COUNT(*) FROM dues_base");
    if (!existing) return Fail(existing.error());
    if (existing->Int(0, 0) > 0) return std::string();
    auto town = org::DemoTownPath(c);
    if (!town) return Fail(town.error());
    if (!*town) return std::string();
    return WriteDemoDues(c, **town, today);
  });
}

Result<std::string> GenerateDemoDues(db::Database& db, const std::string& path,
                                     const std::string& today) {
  return db.Write([&](db::Connection& c) -> Result<std::string> {
    auto existing = c.Query(
        "SELECT COUNT(*) FROM dues_base b JOIN member m ON m.id = b.member_id WHERE m.org_path >= "
        "$1 AND m.org_path < $2",
        {path, org::SubtreeEnd(path)});
    if (!existing) return Fail(existing.error());
    if (existing->Int(0, 0) > 0) {
      return Fail(
          Error::Conflict("dues.demo_not_empty", "该组织下已有党费基数，演示台账只能生成一次"));
    }
    return WriteDemoDues(c, path, today);
  });
}

}  // namespace zhibu::dues
