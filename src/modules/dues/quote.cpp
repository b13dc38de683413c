#include "modules/dues/quote.h"

namespace zhibu::dues {
namespace {

constexpr std::string_view kSource = "中组发〔2008〕3号";

std::string Rule(std::string_view article) {
  return std::string(kSource) + " " + std::string(article);
}

//! 第二条: the whole base at the rate of its bracket.
Rate EmployedRate(money::Fen base) {
  if (base <= kEmployedFirstTop) return Rate{50};
  if (base <= kEmployedSecondTop) return Rate{100};
  if (base <= kEmployedThirdTop) return Rate{150};
  return Rate{200};
}

//! 第五条.
Rate RetiredRate(money::Fen base) { return base <= kRetiredFirstTop ? Rate{50} : Rate{100}; }

std::string Percent(Rate rate) {
  // 50 → 0.5%, 100 → 1%, 150 → 1.5%: parts per ten thousand are hundredths of a percent.
  std::string text = std::to_string(rate.per_ten_thousand / 100);
  std::int64_t hundredths = rate.per_ten_thousand % 100;
  if (hundredths != 0) {
    std::string fraction = std::to_string(hundredths);
    if (fraction.size() == 1) fraction = "0" + fraction;
    if (fraction.back() == '0') fraction.pop_back();
    text += "." + fraction;
  }
  return text + "%";
}

}  // namespace

const std::vector<CategoryInfo>& Categories() {
  static const std::vector<CategoryInfo> all = {
      {DuesCategory::kEmployed, "employed", "在职（按月领取工资）", true},
      {DuesCategory::kAnnualSalary, "annual_salary", "年薪制", true},
      {DuesCategory::kSelfEmployed, "self_employed", "个体经营者等不按月取得收入", true},
      {DuesCategory::kRetired, "retired", "离退休", true},
      {DuesCategory::kFarmer, "farmer", "农民党员", false},
      {DuesCategory::kStudent, "student", "学生党员", false},
      {DuesCategory::kUnemployed, "unemployed", "下岗失业党员", false},
      {DuesCategory::kRelief, "relief", "依靠抚恤或救济生活的党员", false},
      {DuesCategory::kLowIncome, "low_income", "领取当地最低生活保障金的党员", false},
  };
  return all;
}

Result<CategoryInfo> ParseCategory(std::string_view id) {
  for (const auto& c : Categories()) {
    if (c.id == id) return c;
  }
  std::string known;
  for (const auto& c : Categories()) known += (known.empty() ? "" : "、") + std::string(c.id);
  return Fail(Error::Invalid("dues.category_unknown",
                             "category：未知的党员类别“" + std::string(id) + "”，应为 " + known,
                             "category"));
}

std::string FormatRate(Rate rate) {
  // Parts per ten thousand as a decimal fraction: 50 → 0.005, 100 → 0.01, 150 → 0.015.
  std::string digits = std::to_string(rate.per_ten_thousand % 10000);
  while (digits.size() < 4) digits = "0" + digits;
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  std::string text = std::to_string(rate.per_ten_thousand / 10000);
  return digits.empty() ? text : text + "." + digits;
}

Result<DuesQuote> Quote(const CategoryInfo& category, std::optional<money::Fen> base,
                        std::optional<money::Fen> farmer_amount) {
  DuesQuote q{.category = category,
              .base = std::nullopt,
              .rate = std::nullopt,
              .amount = kFlatAmount,
              .rule = Rule("第六条"),
              .explanation = {},
              .minimum = std::nullopt,
              .maximum = std::nullopt};
  if (category.has_base) {
    if (!base) {
      return Fail(Error::Invalid("dues.base_missing",
                                 "base：" + std::string(category.title) + "党员需要计算基数（元）",
                                 "base"));
    }
    q.base = base;
    bool retired = category.category == DuesCategory::kRetired;
    q.rate = retired ? RetiredRate(*base) : EmployedRate(*base);
    q.amount = money::MultiplyRoundHalfUp(*base, q.rate->per_ten_thousand, 10000);
    switch (category.category) {
      case DuesCategory::kAnnualSalary:
        q.rule = Rule("第三条");
        break;
      case DuesCategory::kSelfEmployed:
        q.rule = Rule("第四条");
        break;
      case DuesCategory::kRetired:
        q.rule = Rule("第五条");
        break;
      default:
        q.rule = Rule("第二条");
    }
    q.explanation = "基数 " + money::FormatYuan(*base) + " 元 × " + Percent(*q.rate) + " = " +
                    money::FormatYuan(q.amount) + " 元（按全额基数计，四舍五入到分）";
    return q;
  }
  if (category.category == DuesCategory::kFarmer) {
    q.minimum = kFlatAmount;
    q.maximum = kFarmerMaximum;
    if (farmer_amount) {
      if (*farmer_amount < kFlatAmount || *farmer_amount > kFarmerMaximum) {
        return Fail(Error::Unprocessable(
            "dues.farmer_amount_range",
            "amount：农民党员每月交纳党费 0.20 至 1.00 元，由党支部确定（" + Rule("第六条") + "）",
            "amount", Rule("第六条")));
      }
      q.amount = *farmer_amount;
    }
    q.explanation =
        "农民党员每月 " + money::FormatYuan(q.amount) + " 元（党支部在 0.20 至 1.00 元之间确定）";
    return q;
  }
  q.explanation = std::string(category.title) + "每月 0.20 元";
  return q;
}

Result<DuesQuote> QuoteFromText(std::string_view category, std::optional<std::string_view> base,
                                std::optional<std::string_view> farmer_amount) {
  auto parsed_category = ParseCategory(category);
  if (!parsed_category) return Fail(parsed_category.error());
  std::optional<money::Fen> parsed_base;
  if (base) {
    auto b = money::ParseYuan(*base, "base");
    if (!b) return Fail(b.error());
    parsed_base = *b;
  }
  std::optional<money::Fen> parsed_amount;
  if (farmer_amount) {
    if (parsed_category->category != DuesCategory::kFarmer) {
      return Fail(Error::Invalid("dues.amount_not_allowed",
                                 "amount：只有农民党员的月交纳额由党支部确定", "amount"));
    }
    auto a = money::ParseYuan(*farmer_amount, "amount");
    if (!a) return Fail(a.error());
    parsed_amount = *a;
  }
  return Quote(*parsed_category, parsed_base, parsed_amount);
}

boost::json::object QuoteJson(const DuesQuote& q) {
  boost::json::object j{{"category", q.category.id},
                        {"category_title", q.category.title},
                        {"base", nullptr},
                        {"rate", nullptr},
                        {"amount", money::FormatYuan(q.amount)},
                        {"rule", q.rule},
                        {"explanation", q.explanation}};
  if (q.base) j["base"] = money::FormatYuan(*q.base);
  if (q.rate) j["rate"] = FormatRate(*q.rate);
  if (q.minimum) j["minimum"] = money::FormatYuan(*q.minimum);
  if (q.maximum) j["maximum"] = money::FormatYuan(*q.maximum);
  return j;
}

}  // namespace zhibu::dues
