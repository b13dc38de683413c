#include "platform/identity/id_number.h"

#include <array>
#include <chrono>
#include <optional>

#include "platform/util/clock.h"

namespace zhibu::identity {
namespace {

constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckCodes = "10X98765432";
constexpr std::string_view kRule = "GB 11643-1999《公民身份号码》";

//! Province-level codes in use as the first two digits of 地址码 (GB/T 2260), plus 81/82/83 (港澳
//! 台居民居住证) and 91 (外国人永久居留身份证, 2023 form).
bool KnownProvince(int code) {
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
         (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || code == 81 || code == 82 || code == 83 || code == 91;
}

Error Invalid(std::string code, std::string message) {
  return Error{ErrorKind::kInvalidArgument, std::move(code), std::move(message), "number",
               std::string(kRule)};
}

//! Trims ASCII and ideographic spaces, folds full-width digits and Ｘ/ｘ, upper-cases x. Answers
//! nullopt when another character appears.
std::optional<std::string> Normalise(std::string_view input) {
  std::string out;
  std::size_t i = 0;
  while (i < input.size()) {
    unsigned char c = static_cast<unsigned char>(input[i]);
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (c == 0xE3 && i + 2 < input.size() && static_cast<unsigned char>(input[i + 1]) == 0x80 &&
        static_cast<unsigned char>(input[i + 2]) == 0x80) {  // U+3000 ideographic space
      i += 3;
      continue;
    }
    if (c == 0xEF && i + 2 < input.size()) {
      unsigned char b1 = static_cast<unsigned char>(input[i + 1]);
      unsigned char b2 = static_cast<unsigned char>(input[i + 2]);
      if (b1 == 0xBC && b2 >= 0x90 && b2 <= 0x99) {  // U+FF10..FF19 ０..９
        out.push_back(static_cast<char>('0' + (b2 - 0x90)));
      } else if ((b1 == 0xBC && b2 == 0xB8) || (b1 == 0xBD && b2 == 0x98)) {  // Ｘ ｘ
        out.push_back('X');
      } else {
        return std::nullopt;
      }
      i += 3;
      continue;
    }
    if (c >= '0' && c <= '9') {
      out.push_back(static_cast<char>(c));
    } else if (c == 'x' || c == 'X') {
      out.push_back('X');
    } else {
      return std::nullopt;
    }
    ++i;
  }
  // Spaces only at the ends: a space inside ("1101 05…") is folded above, which is what clerks
  // copying from forms mean.
  return out;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int Number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

char CheckCode(std::string_view body17) {
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (body17[i] - '0') * kWeights[i];
  return kCheckCodes[static_cast<std::size_t>(sum % 11)];
}

Result<IdNumber> ParseIdNumber(std::string_view input, std::string_view today) {
  auto normalised = Normalise(input);
  if (!normalised) {
    return Fail(Invalid("idcard.characters", "身份证号码只能由数字和末位的 X 组成"));
  }
  std::string number = std::move(*normalised);
  bool converted = false;
  if (number.size() == 15) {
    if (!AllDigits(number)) {
      return Fail(Invalid("idcard.characters", "15 位身份证号码只能由数字组成"));
    }
    number = number.substr(0, 6) + "19" + number.substr(6);
    number.push_back(CheckCode(number));
    converted = true;
  } else if (number.size() != 18) {
    return Fail(Invalid("idcard.length", "身份证号码应为 18 位（或旧式 15 位），实为 " +
                                             std::to_string(number.size()) + " 位"));
  }
  std::string_view body(number.data(), 17);
  if (!AllDigits(body)) {
    return Fail(Invalid("idcard.characters", "身份证号码前 17 位只能是数字，X 只能在末位"));
  }
  int province = Number(body.substr(0, 2));
  if (!KnownProvince(province)) {
    return Fail(
        Invalid("idcard.area", "地址码的省级代码 " + std::string(body.substr(0, 2)) + " 不存在"));
  }
  int year = Number(body.substr(6, 4));
  int month = Number(body.substr(10, 2));
  int day = Number(body.substr(12, 2));
  std::chrono::year_month_day date{std::chrono::year{year},
                                   std::chrono::month{static_cast<unsigned>(month)},
                                   std::chrono::day{static_cast<unsigned>(day)}};
  std::string iso = std::string(body.substr(6, 4)) + "-" + std::string(body.substr(10, 2)) + "-" +
                    std::string(body.substr(12, 2));
  // 1800 is the floor: the standard's own example 440524188001010014 was born in 1880.
  if (!date.ok() || year < 1800) {
    return Fail(Invalid("idcard.birth_date", "出生日期 " + iso + " 不是真实的日期"));
  }
  if (iso > today) {
    return Fail(
        Invalid("idcard.birth_date", "出生日期 " + iso + " 晚于今天 " + std::string(today)));
  }
  char expected = CheckCode(body);
  if (number[17] != expected) {
    return Fail(
        Invalid("idcard.checksum", std::string("校验码应为 ") + expected + "，实为 " + number[17]));
  }
  IdNumber out;
  out.number = number;
  out.area_code = std::string(body.substr(0, 6));
  out.birth_date = iso;
  out.male = (body[16] - '0') % 2 == 1;
  out.converted_from_15 = converted;
  return out;
}

Result<IdNumber> ParseIdNumber(std::string_view input) {
  return ParseIdNumber(input, TodayShanghai());
}

std::string MaskIdNumber(std::string_view number) {
  if (number.size() != 18) return std::string(number.size(), '*');
  return std::string(number.substr(0, 6)) + "********" + std::string(number.substr(14));
}

}  // namespace zhibu::identity
