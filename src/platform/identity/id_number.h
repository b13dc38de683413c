#pragma once
//! Citizen ID numbers (公民身份号码), GB 11643-1999: structure, check code, birth date and sex, the
//! old 15-digit form, and the masked display of spec 02. Pure functions, no I/O.

#include <string>
#include <string_view>

#include "platform/error/error.h"

namespace zhibu::identity {

//! A valid, normalised ID number and what it says.
struct IdNumber {
  std::string number;      //!< 18 characters, upper-case X
  std::string area_code;   //!< 地址码, first 6 digits (GB/T 2260)
  std::string birth_date;  //!< 出生日期码 as ISO 8601 `YYYY-MM-DD`
  bool male = false;       //!< 顺序码 odd = male, even = female (GB 11643-1999 §5.3)
  bool converted_from_15 = false;
};

//! Validates `input` as of `today` (ISO `YYYY-MM-DD`, Asia/Shanghai). Accepts surrounding spaces,
//! full-width digits and Ｘ/ｘ, lower-case x, and the 15-digit form of GB 11643-1989 (converted by
//! inserting "19" and computing the check code). Every failure is a 400 naming field `number`:
//! `idcard.length`, `idcard.characters`, `idcard.area`, `idcard.birth_date`, `idcard.checksum`.
Result<IdNumber> ParseIdNumber(std::string_view input, std::string_view today);

//! As above, with today's Shanghai date.
Result<IdNumber> ParseIdNumber(std::string_view input);

//! The check code for a 17-digit body: ISO 7064 MOD 11-2 with weights 7 9 10 5 8 4 2 1 6 3 7 9 10
//! 5 8 4 2 and map `1 0 X 9 8 7 6 5 4 3 2` (GB 11643-1999 §8).
char CheckCode(std::string_view body17);

//! Masked for display (spec 02): first 6, eight `*`, last 4 — `110105********002X`. Anything not
//! 18 characters long is masked entirely.
std::string MaskIdNumber(std::string_view number);

}  // namespace zhibu::identity
