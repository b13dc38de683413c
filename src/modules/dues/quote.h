#pragma once
//! 党费测算: the monthly dues of one member from their category and base, exactly as
//! 《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号) sets them. Rates apply to the
//! whole base, not by bracket slices (5000.00 → 50.00, 5000.01 → 75.00); amounts are rounded
//! half-up to the fen — the 2008 rules name no rounding, so this is our documented choice
//! (docs/api-dues.md).

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/error/error.h"
#include "platform/util/money.h"

namespace zhibu::dues {

//! The rules' categories of member, by what their dues are computed from.
enum class DuesCategory {
  kEmployed,      //!< 按月领取工资 (第一、二条): after-tax regular monthly pay
  kAnnualSalary,  //!< 年薪制 (第三条): the month's actual pay, the rates of 第二条
  kSelfEmployed,  //!< 个体经营者等不按月取得收入 (第四条): last quarter's average monthly net
                  //!< income
  kRetired,     //!< 离退休 (第五条): the pension actually received
  kFarmer,      //!< 农民党员 (第六条): 0.20–1.00 a month, set by the branch
  kStudent,     //!< 学生党员 (第六条): 0.20
  kUnemployed,  //!< 下岗失业党员 (第六条): 0.20
  kRelief,      //!< 依靠抚恤或救济生活的党员 (第六条): 0.20
  kLowIncome,   //!< 领取当地最低生活保障金的党员 (第六条): 0.20
};

//! A category's identifier on the API (`employed`, `annual_salary`, …) and its Chinese title.
struct CategoryInfo {
  DuesCategory category;
  std::string_view id;
  std::string_view title;
  bool has_base;  //!< false: a flat amount, the base is not used
};

//! Every category, in the order of the rules' articles.
const std::vector<CategoryInfo>& Categories();

//! The category named `id`, or a 400 `dues.category_unknown` on field `category`.
Result<CategoryInfo> ParseCategory(std::string_view id);

//! A rate as an integer number of parts per ten thousand (0.5% = 50).
struct Rate {
  std::int64_t per_ten_thousand = 0;
};
//! `0.005`, `0.01`, `0.015`, `0.02`: the rate as a decimal fraction without trailing zeros.
std::string FormatRate(Rate rate);

//! What a member pays a month, and why.
struct DuesQuote {
  CategoryInfo category;
  std::optional<money::Fen> base;  //!< for categories with a base
  std::optional<Rate> rate;        //!< for categories with a base
  money::Fen amount;
  std::string rule;  //!< `中组发〔2008〕3号 第二条`
  std::string explanation;
  //! For 农民党员: the range the branch chooses in (0.20–1.00).
  std::optional<money::Fen> minimum;
  std::optional<money::Fen> maximum;
};

//! The bracket rates of 第二条 (in service) and 第五条 (retired), and the flat amounts of 第六条.
inline constexpr money::Fen kFlatAmount{20};             //!< 0.20 a month
inline constexpr money::Fen kFarmerMaximum{100};         //!< 1.00 a month
inline constexpr money::Fen kEmployedFirstTop{300000};   //!< ≤ 3000.00 → 0.5%
inline constexpr money::Fen kEmployedSecondTop{500000};  //!< ≤ 5000.00 → 1%
inline constexpr money::Fen kEmployedThirdTop{1000000};  //!< ≤ 10000.00 → 1.5%, above → 2%
inline constexpr money::Fen kRetiredFirstTop{500000};    //!< ≤ 5000.00 → 0.5%, above → 1%

//! Computes the quote. `base` is required for categories with a base (400 `dues.base_missing` on
//! `base` otherwise) and ignored for flat ones. `farmer_amount` is the branch's choice for a
//! 农民党员 (default 0.20); outside 0.20–1.00 it is a 422 `dues.farmer_amount_range` on `amount`.
Result<DuesQuote> Quote(const CategoryInfo& category, std::optional<money::Fen> base,
                        std::optional<money::Fen> farmer_amount = std::nullopt);

//! Parses the text inputs of the API and the CLI (`category`, `base`, optional `amount`) and
//! quotes; every error names its field.
Result<DuesQuote> QuoteFromText(std::string_view category, std::optional<std::string_view> base,
                                std::optional<std::string_view> farmer_amount = std::nullopt);

//! `{"category":"employed","base":"5000.01","rate":"0.015","amount":"75.00","rule":"中组发〔2008〕3号
//! 第二条", …}`: the contract of spec 05, plus `category_title`, `explanation` and, for 农民党员,
//! `minimum`/`maximum`.
boost::json::object QuoteJson(const DuesQuote& quote);

}  // namespace zhibu::dues
