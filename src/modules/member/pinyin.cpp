#include "modules/member/pinyin.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace zhibu::member {
namespace {

class InitialsTable {
 public:
  InitialsTable() {
    UErrorCode status = U_ZERO_ERROR;
    transliterator_.reset(
        icu::Transliterator::createInstance("Han-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !transliterator_) {
      throw std::runtime_error("ICU Han-Latin transliterator unavailable");
    }
  }

  //! The initial of one code point, or 0.
  char Initial(UChar32 c) {
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
      if (c >= 'a' && c <= 'z') return static_cast<char>(c);
      return 0;
    }
    std::lock_guard lock(mutex_);
    auto it = cache_.find(c);
    if (it != cache_.end()) return it->second;
    icu::UnicodeString text(c);
    transliterator_->transliterate(text);
    char initial = 0;
    for (int i = 0; i < text.length(); ++i) {
      UChar u = text.charAt(i);
      if (u >= 'a' && u <= 'z') {
        initial = static_cast<char>(u);
        break;
      }
      if (u >= 'A' && u <= 'Z') {
        initial = static_cast<char>(u - 'A' + 'a');
        break;
      }
    }
    cache_.emplace(c, initial);
    return initial;
  }

 private:
  std::unique_ptr<icu::Transliterator> transliterator_;
  std::mutex mutex_;
  std::unordered_map<UChar32, char> cache_;
};

InitialsTable& Table() {
  static InitialsTable table;
  return table;
}

}  // namespace

std::string PinyinInitials(std::string_view name) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  std::string out;
  for (int32_t i = 0; i < text.length();) {
    UChar32 c = text.char32At(i);
    if (char initial = Table().Initial(c)) out.push_back(initial);
    i += U16_LENGTH(c);
  }
  return out;
}

bool LooksLikeInitials(std::string_view text) {
  if (text.empty() || text.size() > 10) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

}  // namespace zhibu::member
