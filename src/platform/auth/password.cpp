#include "platform/auth/password.h"

#include <sodium.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace zhibu::auth {
namespace {

constexpr std::size_t kMinLength = 8;
constexpr int kMinClasses = 3;

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

//! The number of UTF-8 code points (continuation bytes are not counted).
std::size_t CodePoints(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<void> CheckPasswordPolicy(std::string_view password, std::string_view username,
                                 std::string_view field) {
  if (CodePoints(password) < kMinLength) {
    return Fail(Error::Invalid("auth.password_weak", "密码至少 8 个字符", std::string(field)));
  }
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  if (lower + upper + digit + other < kMinClasses) {
    return Fail(Error::Invalid("auth.password_weak",
                               "密码须包含小写字母、大写字母、数字、其他符号中的至少三类",
                               std::string(field)));
  }
  if (!username.empty() && Lower(password).find(Lower(username)) != std::string::npos) {
    return Fail(Error::Invalid("auth.password_weak", "密码不能包含用户名", std::string(field)));
  }
  return {};
}

std::string HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("Argon2id ran out of memory");
  }
  return out;
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  EnsureSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void BurnVerificationTime(std::string_view password) {
  static const std::string kDummy = HashPassword("not-a-real-password-Zz9!");
  (void)VerifyPassword(password, kDummy);
}

std::string GeneratePassword() {
  EnsureSodium();
  static constexpr std::string_view kClasses[] = {
      "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#%+-=?@^_"};
  std::string out;
  for (int i = 0; i < 16; ++i) {
    std::string_view set = kClasses[i % 4];
    out.push_back(set[randombytes_uniform(static_cast<std::uint32_t>(set.size()))]);
  }
  // Shuffle so the classes do not repeat in a fixed order (Fisher–Yates).
  for (std::size_t i = out.size() - 1; i > 0; --i) {
    std::swap(out[i], out[randombytes_uniform(static_cast<std::uint32_t>(i + 1))]);
  }
  return out;
}

std::string RandomToken(std::size_t bytes) {
  EnsureSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

}  // namespace zhibu::auth
