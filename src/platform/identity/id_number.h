#pragma once
//! Citizen ID numbers (公民身份号码), GB 11643-1999: structure, check code, birth date and sex, the
//! old 15-digit form of GB 11643-1989, and the masked display of spec 02. Pure functions, no I/O
//! (the one-argument ParseIdNumber reads the clock, nothing else).

#include <string>
#include <string_view>

#include "platform/error/error.h"

namespace zhibu::identity {

//! Sex as the 顺序码 says it: odd = male, even = female (GB 11643-1999 §5.4).
enum class Sex { kMale, kFemale };

//! `male` or `female`, the spelling of the API and the CLI.
std::string_view SexName(Sex sex);

//! A valid, normalised ID number and what it says.
struct IdNumber {
  std::string number;      //!< 18 characters: 17 ASCII digits and a check code `0`–`9` or `X`
  std::string area_code;   //!< 地址码, the first 6 digits (GB/T 2260)
  int birth_year = 0;      //!< 出生日期码 (GB/T 7408), 1800 or later
  int birth_month = 0;     //!< 1–12
  int birth_day = 0;       //!< 1–31, a real day of that month
  std::string birth_date;  //!< the same date as ISO 8601 `YYYY-MM-DD`
  Sex sex = Sex::kFemale;  //!< from the 17th digit
  bool converted_from_15 = false;  //!< the input was the 15-digit form, converted here
};

//! Validates `input` as of `today`, which must be an ISO `YYYY-MM-DD` date (the caller's Asia/
//! Shanghai calendar date; injectable so tests can fix it).
//!
//! Accepts: spaces (ASCII space, tab, U+3000) around the number but not inside it; full-width
//! digits ０–９ and Ｘ/ｘ (U+FF10–FF19, U+FF38, U+FF58), folded to ASCII; a lower-case x, upper-
//! cased; the 15-digit form (YYMMDD birth date, all 19xx), converted by inserting "19" after the
//! area code and appending the computed check code.
//!
//! Every failure is `Error::Invalid` with field `number`, rule `GB 11643-1999…` and a Chinese
//! message saying exactly what is wrong, checked in this order:
//! - `idcard.characters`: a character that is not a digit or X, or an X anywhere but position 18
//!   (or in a 15-digit number, which has no check code);
//! - `idcard.length`: neither 18 nor 15 characters after trimming and folding;
//! - `idcard.area`: the 地址码 does not start with a province-level code of GB/T 2260;
//! - `idcard.birth_date`: not a real calendar date, before 1800-01-01, or after `today`;
//! - `idcard.checksum`: the check code is not the ISO 7064 MOD 11-2 value of the first 17 digits.
Result<IdNumber> ParseIdNumber(std::string_view input, std::string_view today);

//! As above, as of today's Shanghai date (platform/util/clock.h TodayShanghai()).
Result<IdNumber> ParseIdNumber(std::string_view input);

//! The check code of a 17-digit body: S = Σ aᵢ·Wᵢ with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
//! (Wᵢ = 2^(17−i) mod 11), then S mod 11 = 0…10 maps to `1 0 X 9 8 7 6 5 4 3 2` (GB 11643-1999
//! §5.5, ISO 7064:1983 MOD 11-2). Answers '\0' when `body17` is not exactly 17 ASCII digits.
char CheckCode(std::string_view body17);

//! Masked for display (spec 02; rules.md §7.4 masking convention): the first 6, eight `*`, the last
//! 4 — `110105********002X`. Meant for a normalised 18-character number; any other input is
//! masked entirely (one `*` per byte), so nothing of a malformed value leaks.
std::string MaskIdNumber(std::string_view normalized);

}  // namespace zhibu::identity
