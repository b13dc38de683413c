#include "platform/util/money.h"

namespace zhibu::money {

Result<Fen> ParseYuan(std::string_view text, const std::string& field) {
  auto invalid = [&](std::string code, std::string why) -> Result<Fen> {
    return Fail(Error::Invalid("money." + code, field + "：" + why, field));
  };
  if (text.empty()) return invalid("missing", "金额不能为空");
  if (text.front() == '-') return invalid("negative", "金额不能为负数");
  std::int64_t fen = 0;
  std::size_t i = 0;
  std::size_t integer_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++integer_digits) {
    fen = fen * 10 + (text[i] - '0');
    if (fen > kMaxFen / 100) return invalid("too_large", "金额过大（最多 100000000.00 元）");
  }
  if (integer_digits == 0)
    return invalid("not_a_number", "不是金额：应为 5000 或 5000.01 这样的数");
  fen *= 100;
  if (i < text.size()) {
    if (text[i] != '.') return invalid("not_a_number", "不是金额：应为 5000 或 5000.01 这样的数");
    ++i;
    std::size_t decimals = 0;
    std::int64_t cents = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++decimals) {
      if (decimals == 2) return invalid("too_precise", "金额最多两位小数（精确到分）");
      cents = cents * 10 + (text[i] - '0');
    }
    if (decimals == 0) return invalid("not_a_number", "不是金额：小数点后应有数字");
    if (i < text.size()) return invalid("not_a_number", "不是金额：应为 5000 或 5000.01 这样的数");
    fen += decimals == 1 ? cents * 10 : cents;
  }
  if (fen > kMaxFen) return invalid("too_large", "金额过大（最多 100000000.00 元）");
  return Fen{fen};
}

std::string FormatYuan(Fen amount) {
  std::int64_t v = amount.value;
  std::string sign = v < 0 ? "-" : "";
  std::uint64_t magnitude =
      v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() == 1) cents = "0" + cents;
  return sign + std::to_string(magnitude / 100) + "." + cents;
}

Fen MultiplyRoundHalfUp(Fen amount, std::int64_t numerator, std::int64_t denominator) {
  std::int64_t product = amount.value * numerator;
  std::int64_t magnitude = product < 0 ? -product : product;
  std::int64_t rounded = (magnitude * 2 + denominator) / (denominator * 2);
  return Fen{product < 0 ? -rounded : rounded};
}

}  // namespace zhibu::money
