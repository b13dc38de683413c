#pragma once
//! Money as an integer number of fen (分, 0.01 yuan). Every amount on the money path is a `Fen`:
//! parsed from decimal text digit by digit, multiplied by rates given as integer fractions and
//! rounded half-up with integer arithmetic, printed back as decimal text. No floating point.

#include <cstdint>
#include <string>
#include <string_view>

#include "platform/error/error.h"

namespace zhibu::money {

//! An amount in fen. Negative amounts exist only as differences (arrears), never as parsed input.
struct Fen {
  std::int64_t value = 0;
  friend auto operator<=>(const Fen&, const Fen&) = default;
};

//! The largest amount `ParseYuan` accepts: 100,000,000.00 yuan, far above any monthly pay, and
//! small enough that multiplying by a rate of up to 10,000 parts cannot overflow.
inline constexpr std::int64_t kMaxFen = 10'000'000'000;

//! Parses a non-negative yuan amount written `5000`, `5000.0` or `5000.01`: ASCII digits, at most
//! one point followed by one or two digits, no sign, no exponent, no thousands separators, no
//! spaces, at most kMaxFen. Errors are 400 `money.*` naming `field`.
Result<Fen> ParseYuan(std::string_view text, const std::string& field);

//! `5000.01`: yuan with exactly two decimals (a minus sign for negative amounts).
std::string FormatYuan(Fen amount);

//! `amount` × `numerator` / `denominator`, rounded half-up to the fen (a half fen goes up, away
//! from zero). Requires 0 < denominator and |amount × numerator| < 2^63 (true for any amount up
//! to kMaxFen and numerator up to 10^8).
Fen MultiplyRoundHalfUp(Fen amount, std::int64_t numerator, std::int64_t denominator);

}  // namespace zhibu::money
