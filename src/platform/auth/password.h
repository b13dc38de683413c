#pragma once
//! Passwords: the policy of spec 02 / GB/T 22239-2019 8.1.4.1 (身份鉴别), Argon2id hashing with
//! libsodium, and generated one-time passwords for new administrators.

#include <string>
#include <string_view>

#include "platform/error/error.h"

namespace zhibu::auth {

//! ≥ 8 characters (Unicode code points) with at least 3 of the 4 classes lower-case, upper-case,
//! digit, other; and not containing the username. Fails with `auth.password_weak` naming `field`.
Result<void> CheckPasswordPolicy(std::string_view password, std::string_view username,
                                 std::string_view field = "password");

//! Argon2id (libsodium `crypto_pwhash_str`, interactive limits) of `password`, as the
//! self-describing `$argon2id$…` string.
std::string HashPassword(std::string_view password);

//! True when `password` matches `hash`.
bool VerifyPassword(std::string_view password, const std::string& hash);

//! Spends the time of one verification against a fixed hash, so that a login for a user who does
//! not exist takes as long as one for a user who does (the answer must not tell them apart).
void BurnVerificationTime(std::string_view password);

//! A random password that meets the policy: 16 characters from four classes, no look-alikes.
std::string GeneratePassword();

//! `bytes` random bytes as URL-safe base64 without padding (session tokens, CSRF tokens).
std::string RandomToken(std::size_t bytes = 32);

}  // namespace zhibu::auth
