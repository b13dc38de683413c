#include "platform/identity/id_number.h"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "platform/util/clock.h"

namespace zhibu::identity {
namespace {

constexpr std::size_t kLength = 18;       // GB 11643-1999 §5.1: 17-digit body + check code
constexpr std::size_t kBodyLength = 17;   // 地址码 6 + 出生日期码 8 + 顺序码 3
constexpr std::size_t kOldLength = 15;    // GB 11643-1989: 地址码 6 + YYMMDD + 顺序码 3
constexpr std::size_t kAreaLength = 6;    // §5.2
constexpr std::size_t kBirthOffset = 6;   // §5.3: YYYYMMDD at positions 7–14
constexpr std::size_t kSexDigit = 16;     // §5.4: the last digit of the 顺序码, position 17
constexpr std::size_t kMaskKeepHead = 6;  // spec 02 masking: the 地址码 stays visible
constexpr std::size_t kMaskKeepTail = 4;  // … and the last 4 characters
constexpr std::string_view kMaskStars = "********";
constexpr std::string_view kOldCentury = "19";  // every 15-digit number is a 19xx birth date
constexpr char kCheckTen = 'X';                 // the check value 10, written as a Roman X

//! §5.5: weights Wᵢ = 2^(17−i) mod 11, and the check code for each value of S mod 11.
constexpr std::array<int, kBodyLength> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
constexpr std::string_view kCheckCodes = "10X98765432";
constexpr int kModulus = 11;

//! The earliest birth date accepted. Not 1900: the standard's own example 440524188001010014
//! (GB 11643-1999 附录 A) was born on 1880-01-01, so a 1900 floor would reject the standard's
//! example. 1800 still catches typos in the century digits (07xx, 10xx) and nobody alive or on a
//! historical register of the Party (founded 1921) was born before it.
constexpr int kEarliestBirthYear = 1800;
constexpr std::string_view kEarliestBirthDate = "1800-01-01";

//! The first digit of a foreign permanent resident's number (外国人永久居留身份证, 2023 form, same
//! structure and check code); its digits 2–3 are the province code of the issuing office.
constexpr char kForeignResidentPrefix = '9';

constexpr std::string_view kRule = "GB 11643-1999《公民身份号码》";
constexpr std::string_view kField = "number";

// UTF-8 of the characters folded or trimmed here.
constexpr char32_t kIdeographicSpace = U'\u3000';
constexpr char32_t kFullWidthZero = U'\uFF10';
constexpr char32_t kFullWidthNine = U'\uFF19';
constexpr char32_t kFullWidthUpperX = U'\uFF38';
constexpr char32_t kFullWidthLowerX = U'\uFF58';

Error Invalid(std::string code, std::string message) {
  return Error{ErrorKind::kInvalidArgument, std::move(code), std::move(message),
               std::string(kField), std::string(kRule)};
}

//! Province-level codes of GB/T 2260 as the first two digits of the 地址码 (GB 11643-1999 §5.2):
//! 11–15 华北, 21–23 东北, 31–37 华东, 41–46 中南, 50–54 西南, 61–65 西北, 71 台湾, plus 81/82/83,
//! the codes of the 港澳台居民居住证 (国办发〔2018〕81号), which use the same number format.
bool IsProvinceCode(int code) {
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
         (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || code == 81 || code == 82 || code == 83;
}

//! One decoded UTF-8 code point and its length in bytes; nullopt for an invalid sequence.
struct CodePoint {
  char32_t value = 0;
  std::size_t bytes = 1;
};

std::optional<CodePoint> DecodeUtf8(std::string_view s, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
  std::uint8_t lead = byte(at);
  if (lead < 0x80) return CodePoint{lead, 1};
  std::size_t length = 0;
  char32_t value = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (at + length > s.size()) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return std::nullopt;
    value = (value << 6) | (byte(at + i) & 0x3F);
  }
  return CodePoint{value, length};
}

bool IsSpace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\r' || c == U'\n' || c == U'\v' || c == U'\f' ||
         c == kIdeographicSpace;
}

//! `input` without the spaces around it (ASCII whitespace and U+3000, the full-width space an IME
//! types).
std::string_view Trim(std::string_view input) {
  while (!input.empty()) {
    auto c = DecodeUtf8(input, 0);
    if (!c || !IsSpace(c->value)) break;
    input.remove_prefix(c->bytes);
  }
  while (!input.empty()) {
    // Step back over continuation bytes to the start of the last code point.
    std::size_t start = input.size() - 1;
    while (start > 0 && (static_cast<std::uint8_t>(input[start]) & 0xC0) == 0x80) --start;
    auto c = DecodeUtf8(input, start);
    if (!c || start + c->bytes != input.size() || !IsSpace(c->value)) break;
    input.remove_suffix(c->bytes);
  }
  return input;
}

//! How a refused character is named in a message.
std::string Describe(std::string_view input, std::size_t at, const std::optional<CodePoint>& c) {
  if (!c) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    auto b = static_cast<std::uint8_t>(input[at]);
    return std::string("无效的 UTF-8 字节 0x") + kHex[b >> 4] + kHex[b & 0xF];
  }
  if (IsSpace(c->value)) return "空格";
  if (c->value < 0x20 || c->value == 0x7F) return "控制字符";
  return "「" + std::string(input.substr(at, c->bytes)) + "」";
}

//! The trimmed input with full-width digits and Ｘ/ｘ folded to ASCII and x upper-cased, or the
//! `idcard.characters` error naming the first other character and its position (1-based, in
//! characters).
Result<std::string> Fold(std::string_view input) {
  std::string out;
  std::size_t at = 0;
  while (at < input.size()) {
    auto c = DecodeUtf8(input, at);
    std::size_t position = out.size() + 1;
    if (c && c->value >= U'0' && c->value <= U'9') {
      out.push_back(static_cast<char>(c->value));
    } else if (c && c->value >= kFullWidthZero && c->value <= kFullWidthNine) {
      out.push_back(static_cast<char>('0' + (c->value - kFullWidthZero)));
    } else if (c && (c->value == U'x' || c->value == U'X' || c->value == kFullWidthUpperX ||
                     c->value == kFullWidthLowerX)) {
      out.push_back(kCheckTen);
    } else {
      return Fail(Invalid("idcard.characters", "身份证号码第 " + std::to_string(position) +
                                                   " 位是" + Describe(input, at, c) +
                                                   "：只能是数字，末位校验码可以是 X"));
    }
    at += c->bytes;
  }
  return out;
}

int DigitsValue(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

//! GB 11643-1999 §5.2 against GB/T 2260's province-level codes.
std::optional<Error> CheckArea(std::string_view body) {
  if (body[0] == '0') {
    return Invalid("idcard.area", "地址码首位是 0：省级行政区划代码的首位为 1–9（GB/T 2260）");
  }
  if (body[0] == kForeignResidentPrefix) {
    std::string issuing(body.substr(1, 2));
    if (!IsProvinceCode(DigitsValue(issuing))) {
      return Invalid("idcard.area",
                     "首位 9 表示外国人永久居留身份证，其第 2–3 位应为受理地的"
                     "省级行政区划代码，「" +
                         issuing + "」不是");
    }
    return std::nullopt;
  }
  std::string province(body.substr(0, 2));
  if (!IsProvinceCode(DigitsValue(province))) {
    return Invalid("idcard.area",
                   "地址码前两位「" + province + "」不是省级行政区划代码（GB/T 2260）");
  }
  return std::nullopt;
}

//! The 出生日期码 (§5.3, GB/T 7408) as a real calendar date between 1800-01-01 and `today`.
Result<std::chrono::year_month_day> CheckBirthDate(std::string_view body, std::string_view iso,
                                                   std::string_view today) {
  using std::chrono::day;
  using std::chrono::month;
  using std::chrono::year;
  std::string_view yyyymmdd = body.substr(kBirthOffset, 8);
  int y = DigitsValue(yyyymmdd.substr(0, 4));
  int m = DigitsValue(yyyymmdd.substr(4, 2));
  int d = DigitsValue(yyyymmdd.substr(6, 2));
  std::string prefix = "出生日期 " + std::string(iso) + " 不存在：";
  if (m < 1 || m > 12) {
    return Fail(Invalid("idcard.birth_date", prefix + "月份 " + std::string(yyyymmdd.substr(4, 2)) +
                                                 " 应在 01–12 之间"));
  }
  std::chrono::year_month_day_last last{year{y}, std::chrono::month_day_last{month(m)}};
  int days_in_month = static_cast<int>(static_cast<unsigned>(last.day()));
  if (d < 1 || d > days_in_month) {
    std::string why = "日 " + std::string(yyyymmdd.substr(6, 2)) + " 应在 01–" +
                      std::to_string(days_in_month) + " 之间";
    if (m == 2 && d == 29) {
      why = std::to_string(y) + " 年不是闰年，2 月只有 28 天";
    } else if (d > days_in_month) {
      why = std::to_string(y) + " 年 " + std::to_string(m) + " 月只有 " +
            std::to_string(days_in_month) + " 天";
    }
    return Fail(Invalid("idcard.birth_date", prefix + why));
  }
  if (y < kEarliestBirthYear) {
    return Fail(Invalid("idcard.birth_date", "出生日期 " + std::string(iso) + " 早于 " +
                                                 std::string(kEarliestBirthDate)));
  }
  // ISO dates of four-digit years compare correctly as strings.
  if (iso > today) {
    return Fail(Invalid("idcard.birth_date", "出生日期 " + std::string(iso) + " 晚于今天（" +
                                                 std::string(today) + "）"));
  }
  return std::chrono::year_month_day{year{y}, month(m), day(static_cast<unsigned>(d))};
}

}  // namespace

std::string_view SexName(Sex sex) { return sex == Sex::kMale ? "male" : "female"; }

char CheckCode(std::string_view body17) {
  if (body17.size() != kBodyLength || !AllDigits(body17)) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < kBodyLength; ++i) sum += (body17[i] - '0') * kWeights[i];
  return kCheckCodes[static_cast<std::size_t>(sum % kModulus)];
}

Result<IdNumber> ParseIdNumber(std::string_view input, std::string_view today) {
  auto folded = Fold(Trim(input));
  if (!folded) return Fail(folded.error());
  std::string number = std::move(*folded);

  if (number.size() != kLength && number.size() != kOldLength) {
    return Fail(Invalid("idcard.length", "身份证号码应为 18 位（旧式号码 15 位），实为 " +
                                             std::to_string(number.size()) + " 位"));
  }
  bool old_form = number.size() == kOldLength;
  // X is only ever the check code: position 18, and a 15-digit number has none (GB 11643-1989).
  std::size_t digits_end = old_form ? kOldLength : kBodyLength;
  std::size_t x = number.find(kCheckTen);
  if (x < digits_end) {
    std::string where = "身份证号码第 " + std::to_string(x + 1) + " 位是 X：";
    return Fail(
        Invalid("idcard.characters", where + (old_form ? "15 位旧式号码没有校验码，只能由数字组成"
                                                       : "X 只能作为第 18 位校验码")));
  }
  if (old_form) {
    // GB 11643-1999 replaces the 6-digit birth date by 8 digits: insert the century, then
    // compute the check code the old form lacked.
    number.insert(kAreaLength, kOldCentury);
    number.push_back(CheckCode(number));
  }
  std::string_view body(number.data(), kBodyLength);

  if (auto area = CheckArea(body)) return Fail(std::move(*area));

  std::string iso = number.substr(kBirthOffset, 4) + "-" + number.substr(kBirthOffset + 4, 2) +
                    "-" + number.substr(kBirthOffset + 6, 2);
  auto birth = CheckBirthDate(body, iso, today);
  if (!birth) return Fail(birth.error());

  char expected = CheckCode(body);
  if (number[kBodyLength] != expected) {
    return Fail(Invalid("idcard.checksum",
                        std::string("校验码应为 ") + expected + "，实为 " + number[kBodyLength]));
  }

  IdNumber out;
  out.area_code = number.substr(0, kAreaLength);
  out.birth_year = static_cast<int>(birth->year());
  out.birth_month = static_cast<int>(static_cast<unsigned>(birth->month()));
  out.birth_day = static_cast<int>(static_cast<unsigned>(birth->day()));
  out.birth_date = std::move(iso);
  out.sex = (body[kSexDigit] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
  out.converted_from_15 = old_form;
  out.number = std::move(number);
  return out;
}

Result<IdNumber> ParseIdNumber(std::string_view input) {
  return ParseIdNumber(input, TodayShanghai());
}

std::string MaskIdNumber(std::string_view normalized) {
  if (normalized.size() != kLength) return std::string(normalized.size(), '*');
  return std::string(normalized.substr(0, kMaskKeepHead)) + std::string(kMaskStars) +
         std::string(normalized.substr(kLength - kMaskKeepTail));
}

}  // namespace zhibu::identity
