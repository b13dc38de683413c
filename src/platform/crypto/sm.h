#pragma once
//! SM4 (GB/T 32907-2016) in CBC mode with PKCS#7 padding, on OpenSSL 3 EVP: the block-cipher
//! primitive of the 国密 suite GB/T 39786-2021 asks for (rules.md §7.3).
//!
//! The rest of the suite lives beside it: SM3 and HMAC-SM3 in platform/crypto/sm3.h, and the
//! authenticated field cipher for personal data (SM4-CBC + HMAC-SM3, encrypt-then-MAC, versioned
//! keys, blind index) in platform/crypto/field_cipher.h.
//!
//! CBC alone gives confidentiality, not integrity: decrypt only data whose MAC has been verified
//! first (as FieldCipher does), or the padding check becomes a padding oracle.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/error/error.h"

namespace zhibu::crypto {

//! SM4 block and key size: 128 bits (GB/T 32907-2016).
inline constexpr std::size_t kSm4BlockBytes = 16;

//! A 128-bit SM4 key.
using Sm4Key = std::array<std::uint8_t, kSm4BlockBytes>;

//! A 128-bit CBC initialisation vector; must be unpredictable (fresh RAND_bytes) per encryption.
using Sm4Iv = std::array<std::uint8_t, kSm4BlockBytes>;

//! SM4-CBC encryption of `plaintext` with PKCS#7 padding (RFC 5652 §6.3): always 1–16 bytes of
//! padding, so the result is a non-empty multiple of 16 bytes, `(plaintext.size() / 16 + 1) * 16`
//! long. Throws std::runtime_error only when OpenSSL itself fails (a broken installation, not an
//! expected failure).
std::string Sm4CbcEncrypt(const Sm4Key& key, const Sm4Iv& iv, std::string_view plaintext);

//! The plaintext of an SM4-CBC + PKCS#7 `ciphertext`. Fails with `crypto.sm4_malformed` (kind
//! kInvalidArgument) when the length is not a positive multiple of 16 or the padding is wrong —
//! which is also what a wrong key or IV usually (not always) produces.
Result<std::string> Sm4CbcDecrypt(const Sm4Key& key, const Sm4Iv& iv, std::string_view ciphertext);

}  // namespace zhibu::crypto
