#pragma once
//! Pinyin initials for search (`zs` finds 张三), from ICU's Han-Latin transliterator (Debian's
//! libicu): each Han character is transliterated on its own once and its initial cached.
//! Polyphonic surnames take ICU's most common reading (单 → d, not s).

#include <string>
#include <string_view>

namespace zhibu::member {

//! Lower-case ASCII initials of `name`, one per character: `张三` → `zs`, `欧阳修` → `oyx`. ASCII
//! letters are kept (lower-cased); other characters without a reading are skipped.
std::string PinyinInitials(std::string_view name);

//! Whether `text` looks like initials: 1–10 ASCII letters.
bool LooksLikeInitials(std::string_view text);

}  // namespace zhibu::member
