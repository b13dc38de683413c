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

//! SM3 and HMAC from the default provider, fetched once: an explicit fetch is a provider lookup
//! under a lock, which dominated hashing short values (blind indexes, audit chain links); the
//! fetched algorithms are immutable and shared between threads.
const EVP_MD* Sm3Algorithm() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SM3", nullptr);
  if (md == nullptr) Broken("EVP_MD_fetch");
  return md;
}

EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) Broken("EVP_MAC_fetch");
  return mac;
}

}  // namespace

Sm3Digest Sm3(std::string_view data) {
  Sm3Digest out{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &length, Sm3Algorithm(), nullptr) != 1 ||
      length != out.size()) {
    Broken("EVP_Digest");
  }
  return out;
}

Sm3Digest HmacSm3(std::string_view key, std::string_view data) {
  // One HMAC-SM3 context per thread, kept keyed: most calls reuse the key of the call before
  // (blind indexes, record tags), and re-initialising with the same key skips the digest lookup
  // and the key schedule.
  struct Keyed {
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx{nullptr, EVP_MAC_CTX_free};
    std::string key;
  };
  thread_local Keyed keyed;
  if (!keyed.ctx) keyed.ctx.reset(EVP_MAC_CTX_new(HmacAlgorithm()));
  if (!keyed.ctx) Broken("EVP_MAC_CTX_new");
  bool same_key = !keyed.key.empty() && keyed.key == key;
  char digest_name[] = "SM3";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  int initialised =
      same_key ? EVP_MAC_init(keyed.ctx.get(), nullptr, 0, nullptr)
               : EVP_MAC_init(keyed.ctx.get(), reinterpret_cast<const unsigned char*>(key.data()),
                              key.size(), params);
  if (initialised != 1) {
    keyed.key.clear();
    Broken("HMAC-SM3 init");
  }
  if (!same_key) keyed.key = std::string(key);
  Sm3Digest out{};
  std::size_t length = 0;
  if (EVP_MAC_update(keyed.ctx.get(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1 ||
      EVP_MAC_final(keyed.ctx.get(), out.data(), &length, out.size()) != 1 ||
      length != out.size()) {
    keyed.key.clear();
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
