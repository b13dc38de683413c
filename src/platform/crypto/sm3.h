#pragma once
//! SM3 (GB/T 32905-2016) and HMAC-SM3 on OpenSSL 3 EVP: the hash of the 国密 suite that GB/T
//! 39786-2021 asks for — used for the audit hash chain, session-token digests and blind indexes.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace zhibu::crypto {

//! A 32-byte SM3 digest.
using Sm3Digest = std::array<std::uint8_t, 32>;

//! SM3 of `data`.
Sm3Digest Sm3(std::string_view data);

//! HMAC-SM3 (RFC 2104 construction with SM3) of `data` under `key`.
Sm3Digest HmacSm3(std::string_view key, std::string_view data);

//! Lower-case hex of a digest (64 characters).
std::string ToHex(const Sm3Digest& digest);

//! Lower-case hex of SM3(data).
inline std::string Sm3Hex(std::string_view data) { return ToHex(Sm3(data)); }

}  // namespace zhibu::crypto
