#pragma once
//! Time-based one-time passwords, RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits): the second
//! factor administrators must use (GB/T 22239-2019 8.1.4.1 d: two or more authentication
//! techniques, one of them cryptographic). Works with any authenticator app.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zhibu::auth {

//! The step length and the code length.
inline constexpr std::int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;

//! The code for a secret at a step (RFC 4226 HOTP with counter = step).
std::string TotpCode(std::string_view secret, std::int64_t step, int digits = kTotpDigits);

//! The step a unix time falls in.
inline std::int64_t TotpStep(std::int64_t unix_seconds) { return unix_seconds / kTotpStepSeconds; }

//! The step `code` matches within one step either side of `now_step` (clock drift), or nullopt.
//! Steps at or before `last_used_step` never match, so a code cannot be replayed.
std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code,
                                      std::int64_t now_step, std::int64_t last_used_step);

//! RFC 4648 base32 without padding (the form authenticator apps take), and back.
std::string Base32Encode(std::string_view bytes);
std::optional<std::string> Base32Decode(std::string_view text);

//! A new random 20-byte secret.
std::string NewTotpSecret();

//! The `otpauth://` URI an authenticator app scans.
std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace zhibu::auth
