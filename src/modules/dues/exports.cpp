#include "modules/dues/exports.h"

#include "modules/dues/quote.h"
#include "platform/document/xlsx_writer.h"

namespace zhibu::dues {
namespace {

std::string TextOf(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_bool()) return v->as_bool() ? "是" : "";
  return boost::json::serialize(*v);
}

std::string CategoryTitle(const std::string& id) {
  for (const auto& c : Categories()) {
    if (c.id == id) return std::string(c.title);
  }
  return id;
}

std::string StatusTitle(const std::string& status) {
  if (status == "full") return "正式党员";
  if (status == "probationary") return "预备党员";
  return status;
}

//! `2026-11` as `2026年11月`.
std::string MonthTitle(const std::string& month) {
  if (month.size() != 7) return month;
  return month.substr(0, 4) + "年" + std::to_string(std::stoi(month.substr(5, 2))) + "月";
}

std::string Joined(const boost::json::value* months) {
  std::string out;
  if (months == nullptr || !months->is_array()) return out;
  for (const auto& m : months->as_array()) {
    if (!out.empty()) out += "、";
    out += std::string(m.as_string());
  }
  return out;
}

const boost::json::object& OrgOf(const boost::json::object& o) { return o.at("org").as_object(); }

}  // namespace

ExportSheet LedgerSheet(const boost::json::object& ledger) {
  ExportSheet out;
  const std::string org = TextOf(OrgOf(ledger), "name");
  const std::string month = TextOf(ledger, "month");
  out.sheet = "党费收缴台账";
  out.file_name = org + MonthTitle(month) + "党费收缴台账.xlsx";
  out.header = {"序号",       "姓名",       "党员身份",   "交纳类别", "基数（元）",
                "应交（元）", "实交（元）", "欠交（元）", "少交免交", "少于应交"};
  std::int64_t n = 0;
  for (const auto& v : ledger.at("items").as_array()) {
    const auto& i = v.as_object();
    bool reduced = i.if_contains("reduced") && i.at("reduced").as_bool();
    out.rows.push_back({std::to_string(++n), TextOf(i, "name"), StatusTitle(TextOf(i, "status")),
                        CategoryTitle(TextOf(i, "category")), TextOf(i, "base"),
                        i.at("due").is_null() ? "未核定基数" : TextOf(i, "due"), TextOf(i, "paid"),
                        TextOf(i, "owed"), reduced ? "经批准" : "", TextOf(i, "paid_below")});
  }
  const auto& t = ledger.at("totals").as_object();
  out.rows.push_back({"合计", TextOf(t, "members") + " 人", "", "", "", TextOf(t, "due"),
                      TextOf(t, "paid"), TextOf(t, "owed"), "",
                      "自愿多交 " + TextOf(t, "extra") + " 元"});
  return out;
}

ExportSheet TotalsSheet(const boost::json::object& totals) {
  ExportSheet out;
  const std::string org = TextOf(OrgOf(totals), "name");
  const std::string month = TextOf(totals, "month");
  out.sheet = "党费收缴汇总";
  out.file_name = org + MonthTitle(month) + "党费收缴汇总.xlsx";
  out.header = {"序号",       "党组织",     "党员数",     "未核定基数",
                "应交（元）", "实交（元）", "欠交（元）", "自愿多交（元）"};
  std::int64_t n = 0;
  for (const auto& v : totals.at("branches").as_array()) {
    const auto& b = v.as_object();
    out.rows.push_back({std::to_string(++n), TextOf(b, "name"), TextOf(b, "members"),
                        TextOf(b, "without_base"), TextOf(b, "due"), TextOf(b, "paid"),
                        TextOf(b, "owed"), TextOf(b, "extra")});
  }
  const auto& t = totals.at("totals").as_object();
  out.rows.push_back({"合计", org, TextOf(t, "members"), TextOf(t, "without_base"),
                      TextOf(t, "due"), TextOf(t, "paid"), TextOf(t, "owed"), TextOf(t, "extra")});
  return out;
}

ExportSheet ArrearsSheet(const boost::json::object& arrears) {
  ExportSheet out;
  const std::string org = TextOf(OrgOf(arrears), "name");
  out.sheet = "欠交党费";
  out.file_name =
      org + "欠交党费名单（" + TextOf(arrears, "from") + "至" + TextOf(arrears, "to") + "）.xlsx";
  out.header = {"序号",       "姓名",     "所在党组织",   "欠交月数",     "欠交月份",
                "欠交（元）", "连续未交", "连续未交月份", "连续6个月未交"};
  std::int64_t n = 0;
  for (const auto& v : arrears.at("items").as_array()) {
    const auto& i = v.as_object();
    const auto& owed = i.at("months_owed").as_array();
    const auto& run = i.at("unpaid_run").as_array();
    out.rows.push_back({std::to_string(++n), TextOf(i, "name"), TextOf(i, "org_name"),
                        std::to_string(owed.size()), Joined(i.if_contains("months_owed")),
                        TextOf(i, "owed"), std::to_string(run.size()),
                        Joined(i.if_contains("unpaid_run")),
                        i.at("six_months").as_bool() ? "是（党章第九条，须支部大会处理）" : ""});
  }
  return out;
}

Result<std::string> WorkbookBytes(const ExportSheet& sheet) {
  return document::XlsxBytes(sheet.sheet, sheet.header, sheet.rows);
}

}  // namespace zhibu::dues
