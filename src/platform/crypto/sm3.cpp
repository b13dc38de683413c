#include "platform/crypto/sm3.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace zhibu::crypto {
namespace {

// OpenSSL failing to hash is not an expected failure (the provider ships with libssl3): a bug or
// a broken installation, so it throws.
[[noreturn]] void Broken(const char* what) {
  throw std::runtime_error(std::string("OpenSSL SM3 unavailable: ") + what);
}

}  // namespace

Sm3Digest Sm3(std::string_view data) {
  std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md(EVP_MD_fetch(nullptr, "SM3", nullptr),
                                                     EVP_MD_free);
  if (!md) Broken("EVP_MD_fetch");
  Sm3Digest out{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &length, md.get(), nullptr) != 1 ||
      length != out.size()) {
    Broken("EVP_Digest");
  }
  return out;
}

Sm3Digest HmacSm3(std::string_view key, std::string_view data) {
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr),
                                                        EVP_MAC_free);
  if (!mac) Broken("EVP_MAC_fetch");
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(mac.get()),
                                                                EVP_MAC_CTX_free);
  char digest_name[] = "SM3";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  Sm3Digest out{};
  std::size_t length = 0;
  if (!ctx ||
      EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                   params) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) !=
          1 ||
      EVP_MAC_final(ctx.get(), out.data(), &length, out.size()) != 1 || length != out.size()) {
    Broken("HMAC-SM3");
  }
  return out;
}

std::string ToHex(const Sm3Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (std::uint8_t b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

}  // namespace zhibu::crypto
