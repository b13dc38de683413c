#pragma once
//! Encryption of personal data at rest (PIPL 第51条; GB/T 39786-2021 应用和数据安全): SM4-CBC for
//! confidentiality and HMAC-SM3 over the whole record for integrity (encrypt-then-MAC, because
//! OpenSSL 3.0 has no SM4-GCM), plus a keyed HMAC-SM3 blind index for exact-match search on the
//! encrypted value. Keys come from a key file outside the database; each has a version so keys
//! can be rotated (`zhibu admin rotate-keys`) while older ciphertexts stay readable.

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "platform/error/error.h"

namespace zhibu::crypto {

//! SM4 of one 16-byte block in ECB (for the standard's test vector and nothing else).
std::array<std::uint8_t, 16> Sm4EncryptBlock(const std::array<std::uint8_t, 16>& key,
                                             const std::array<std::uint8_t, 16>& block);

//! The keys of one version, derived from a 32-byte master key with HMAC-SM3 and distinct labels.
struct FieldKeys {
  std::array<std::uint8_t, 16> encryption{};
  std::array<std::uint8_t, 32> authentication{};
  std::array<std::uint8_t, 32> blind_index{};
  static FieldKeys Derive(std::string_view master_key);
};

//! A keyring: every key version, and the current one (the highest).
class FieldCipher {
 public:
  //! From version → 32-byte master key. Throws std::invalid_argument when empty or a key is not
  //! 32 bytes (a deployment mistake caught at start-up).
  explicit FieldCipher(const std::map<int, std::string>& master_keys);

  int current_version() const { return current_; }

  //! version (1 byte) ‖ IV (16) ‖ SM4-CBC(PKCS#7) ciphertext ‖ HMAC-SM3 tag (32) over all before.
  std::string Encrypt(std::string_view plaintext) const;

  //! The plaintext, after checking the tag in constant time. Fails with `crypto.tampered` for a
  //! wrong tag or malformed record, `crypto.key_unknown` for a version not in the keyring.
  Result<std::string> Decrypt(std::string_view record) const;

  //! The version a record was written with, or -1 when malformed.
  static int VersionOf(std::string_view record);

  //! Hex HMAC-SM3 of `normalised_value` under the current blind-index key.
  std::string BlindIndex(std::string_view normalised_value) const;

 private:
  std::map<int, FieldKeys> keys_;
  int current_ = 0;
};

//! The key file: one line per version, `v<N> <64 hex digits>`; `#` comments. Loads it, or fails
//! with `crypto.key_file_invalid` / `crypto.key_file_missing`.
Result<std::map<int, std::string>> LoadKeyFile(const std::filesystem::path& path);

//! Creates a key file with one fresh random key (mode 0600) when none exists; answers whether it
//! created one.
Result<bool> EnsureKeyFile(const std::filesystem::path& path);

//! Appends a new random key version to the key file; answers the new version.
Result<int> AddKeyVersion(const std::filesystem::path& path);

}  // namespace zhibu::crypto
