#include "platform/crypto/sm.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace zhibu::crypto {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

//! SM4-CBC from the default provider, fetched once: an explicit fetch costs a provider lookup, and
//! the fetched cipher is immutable and safe to share between threads.
const EVP_CIPHER* Sm4CbcCipher() {
  static const EVP_CIPHER* cipher = [] {
    EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "SM4-CBC", nullptr);
    if (fetched == nullptr) throw std::runtime_error("OpenSSL lacks SM4-CBC");
    return fetched;
  }();
  return cipher;
}

Error Malformed() {
  return Error::Invalid("crypto.sm4_malformed",
                        "SM4 密文格式错误：长度须为 16 字节的正整数倍且填充正确");
}

unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string Sm4CbcEncrypt(const Sm4Key& key, const Sm4Iv& iv, std::string_view plaintext) {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(plaintext.size() + kSm4BlockBytes, '\0');
  int written = 0;
  int final_written = 0;
  // EVP's default padding is PKCS#7; set it explicitly so the contract does not hang on a default.
  if (!ctx || EVP_EncryptInit_ex2(ctx.get(), Sm4CbcCipher(), key.data(), iv.data(), nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 1) != 1 ||
      EVP_EncryptUpdate(ctx.get(), Bytes(out), &written, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), Bytes(out) + written, &final_written) != 1) {
    throw std::runtime_error("SM4-CBC encryption failed");
  }
  out.resize(static_cast<std::size_t>(written + final_written));
  return out;
}

Result<std::string> Sm4CbcDecrypt(const Sm4Key& key, const Sm4Iv& iv, std::string_view ciphertext) {
  if (ciphertext.empty() || ciphertext.size() % kSm4BlockBytes != 0) return Fail(Malformed());
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (!ctx || EVP_DecryptInit_ex2(ctx.get(), Sm4CbcCipher(), key.data(), iv.data(), nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 1) != 1) {
    throw std::runtime_error("SM4-CBC initialisation failed");
  }
  std::string out(ciphertext.size() + kSm4BlockBytes, '\0');
  int written = 0;
  int final_written = 0;
  if (EVP_DecryptUpdate(ctx.get(), Bytes(out), &written, Bytes(ciphertext),
                        static_cast<int>(ciphertext.size())) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), Bytes(out) + written, &final_written) != 1) {
    return Fail(Malformed());  // the final block's padding is wrong
  }
  out.resize(static_cast<std::size_t>(written + final_written));
  return out;
}

}  // namespace zhibu::crypto
