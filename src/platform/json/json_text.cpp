#include "platform/json/json_text.h"

#include <array>
#include <charconv>
#include <cstring>

namespace zhibu {
namespace {

//! Whether Boost.JSON would escape a byte of a string: the quote, the backslash and the control
//! characters (it passes every other byte, UTF-8 included, through).
bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

//! Whether any byte of `text` needs escaping, eight bytes at a time: a byte below 0x20 and a byte
//! equal to the quote or the backslash are each found with the classic "has a zero/less-than
//! byte" word tests (exact as existence tests; bytes of 0x80 and above never match).
bool AnyNeedsEscape(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const char* p = text.data();
  std::size_t n = text.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, sizeof x);
    std::uint64_t quote = x ^ (kOnes * '"');
    std::uint64_t backslash = x ^ (kOnes * '\\');
    std::uint64_t found =
        ((x - kOnes * 0x20) & ~x) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
    if ((found & kHigh) != 0) return true;
  }
  for (; n > 0; ++p, --n) {
    if (NeedsEscape(static_cast<unsigned char>(*p))) return true;
  }
  return false;
}

}  // namespace

void JsonTextWriter::Quoted(std::string_view text) {
  if (!AnyNeedsEscape(text)) {
    out_ += '"';
    out_ += text;
    out_ += '"';
    return;
  }
  escaper_.reset(text);
  std::array<char, 512> chunk;
  while (!escaper_.done()) {
    auto part = escaper_.read(chunk.data(), chunk.size());
    out_.append(part.data(), part.size());
  }
}

void JsonTextWriter::Key(std::string_view name) {
  Separate();
  Quoted(name);
  out_ += ':';
  comma_ = false;
}

void JsonTextWriter::String(std::string_view text) {
  Separate();
  Quoted(text);
  comma_ = true;
}

void JsonTextWriter::Int(std::int64_t value) {
  Separate();
  std::array<char, 24> digits;
  auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  out_.append(digits.data(), end);
  comma_ = true;
}

void JsonTextWriter::Null() {
  Separate();
  out_ += "null";
  comma_ = true;
}

}  // namespace zhibu
