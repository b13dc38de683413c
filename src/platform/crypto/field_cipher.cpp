#include "platform/crypto/field_cipher.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "platform/crypto/sm.h"
#include "platform/crypto/sm3.h"

namespace zhibu::crypto {
namespace {

constexpr std::size_t kIvBytes = 16;
constexpr std::size_t kTagBytes = 32;
constexpr std::size_t kMasterBytes = 32;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const EVP_CIPHER* Sm4(const char* mode) {
  // Fetched once per mode; the default provider ships SM4.
  const EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, mode, nullptr);
  if (cipher == nullptr) throw std::runtime_error(std::string("OpenSSL lacks ") + mode);
  return cipher;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

std::optional<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

Error Tampered() {
  return Error::Invalid("crypto.tampered", "加密数据已损坏或被篡改（完整性校验失败）");
}

std::string RandomKeyLine(int version) {
  std::string key(kMasterBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return "v" + std::to_string(version) + " " + Hex(key) + "\n";
}

}  // namespace

std::array<std::uint8_t, 16> Sm4EncryptBlock(const std::array<std::uint8_t, 16>& key,
                                             const std::array<std::uint8_t, 16>& block) {
  static const EVP_CIPHER* ecb = Sm4("SM4-ECB");
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::array<std::uint8_t, 16> out{};
  int n = 0;
  if (!ctx || EVP_EncryptInit_ex2(ctx.get(), ecb, key.data(), nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data(), &n, block.data(), 16) != 1 || n != 16) {
    throw std::runtime_error("SM4-ECB failed");
  }
  return out;
}

FieldKeys FieldKeys::Derive(std::string_view master_key) {
  FieldKeys k;
  auto enc = HmacSm3(master_key, "zhibu/field/sm4-encryption");
  std::copy_n(enc.begin(), k.encryption.size(), k.encryption.begin());
  k.authentication = HmacSm3(master_key, "zhibu/field/hmac-sm3-authentication");
  k.blind_index = HmacSm3(master_key, "zhibu/field/hmac-sm3-blind-index");
  return k;
}

FieldCipher::FieldCipher(const std::map<int, std::string>& master_keys) {
  if (master_keys.empty()) throw std::invalid_argument("no field-encryption keys");
  for (const auto& [version, key] : master_keys) {
    if (key.size() != kMasterBytes || version < 1 || version > 255) {
      throw std::invalid_argument("field-encryption key v" + std::to_string(version) +
                                  " must be 32 bytes with a version of 1–255");
    }
    keys_.emplace(version, FieldKeys::Derive(key));
  }
  current_ = keys_.rbegin()->first;
}

std::string FieldCipher::Encrypt(std::string_view plaintext) const {
  const FieldKeys& k = keys_.at(current_);
  std::string record(1, static_cast<char>(current_));
  std::string iv(kIvBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(iv.data()), kIvBytes) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  record += iv;
  Sm4Iv iv_bytes;
  std::copy(iv.begin(), iv.end(), iv_bytes.begin());
  std::string ct = Sm4CbcEncrypt(k.encryption, iv_bytes, plaintext);
  record += ct;
  auto tag = HmacSm3(std::string_view(reinterpret_cast<const char*>(k.authentication.data()),
                                      k.authentication.size()),
                     record);
  record.append(reinterpret_cast<const char*>(tag.data()), tag.size());
  return record;
}

int FieldCipher::VersionOf(std::string_view record) {
  if (record.size() < 1 + kIvBytes + 16 + kTagBytes) return -1;
  return static_cast<unsigned char>(record[0]);
}

Result<std::string> FieldCipher::Decrypt(std::string_view record) const {
  int version = VersionOf(record);
  if (version < 0 || (record.size() - 1 - kIvBytes - kTagBytes) % 16 != 0) return Fail(Tampered());
  auto it = keys_.find(version);
  if (it == keys_.end()) {
    return Fail(Error::Internal("crypto.key_unknown",
                                "密钥文件中没有第 " + std::to_string(version) + " 版密钥"));
  }
  const FieldKeys& k = it->second;
  std::string_view body = record.substr(0, record.size() - kTagBytes);
  std::string_view tag = record.substr(record.size() - kTagBytes);
  auto expected = HmacSm3(std::string_view(reinterpret_cast<const char*>(k.authentication.data()),
                                           k.authentication.size()),
                          body);
  if (CRYPTO_memcmp(expected.data(), tag.data(), kTagBytes) != 0) return Fail(Tampered());
  std::string_view iv = body.substr(1, kIvBytes);
  Sm4Iv iv_bytes;
  std::copy(iv.begin(), iv.end(), iv_bytes.begin());
  // The tag was checked first, so a padding error here is tampering too, never an oracle.
  auto plain = Sm4CbcDecrypt(k.encryption, iv_bytes, body.substr(1 + kIvBytes));
  if (!plain) return Fail(Tampered());
  return plain;
}

std::string FieldCipher::BlindIndex(std::string_view normalised_value) const {
  const FieldKeys& k = keys_.at(current_);
  return ToHex(HmacSm3(
      std::string_view(reinterpret_cast<const char*>(k.blind_index.data()), k.blind_index.size()),
      normalised_value));
}

Result<std::map<int, std::string>> LoadKeyFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    return Fail(Error::Invalid("crypto.key_file_missing",
                               "密钥文件不存在或不可读：" + path.string(), "key-file"));
  }
  std::map<int, std::string> keys;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string version, hex;
    fields >> version >> hex;
    auto bad = [&] {
      return Fail(Error::Invalid(
          "crypto.key_file_invalid",
          "密钥文件第 " + std::to_string(number) + " 行应为 v<版本号> <64 位十六进制>",
          "key-file"));
    };
    if (version.size() < 2 || version[0] != 'v') return bad();
    int v = 0;
    try {
      v = std::stoi(version.substr(1));
    } catch (const std::exception&) {
      return bad();
    }
    auto key = Unhex(hex);
    if (!key || key->size() != kMasterBytes || v < 1 || v > 255 || keys.contains(v)) return bad();
    keys.emplace(v, std::move(*key));
  }
  if (keys.empty()) {
    return Fail(Error::Invalid("crypto.key_file_invalid", "密钥文件中没有密钥", "key-file"));
  }
  return keys;
}

Result<bool> EnsureKeyFile(const std::filesystem::path& path) {
  if (std::filesystem::exists(path)) return false;
  // Written whole under a private name, then linked into place: two servers starting at once
  // never read a half-written file, and the one that links second keeps the first one's key.
  std::filesystem::path tmp = path;
  tmp += ".new-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    return Fail(Error::Invalid("crypto.key_file_missing", "无法创建密钥文件：" + path.string(),
                               "key-file"));
  }
  std::string text =
      "# Zhibu field-encryption keys (SM4 + HMAC-SM3). Keep this file out of the database and its\n"
      "# backups, back it up separately: without it encrypted personal data cannot be read.\n" +
      RandomKeyLine(1);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return Fail(Error::Internal("crypto.key_file_write", "写入密钥文件失败"));
  }
  int linked = ::link(tmp.c_str(), path.c_str());
  int link_error = errno;
  ::unlink(tmp.c_str());
  if (linked == 0) return true;
  if (link_error == EEXIST) return false;  // another process created it first
  return Fail(
      Error::Invalid("crypto.key_file_missing", "无法创建密钥文件：" + path.string(), "key-file"));
}

Result<int> AddKeyVersion(const std::filesystem::path& path) {
  auto keys = LoadKeyFile(path);
  if (!keys) return Fail(keys.error());
  int version = keys->rbegin()->first + 1;
  if (version > 255) {
    return Fail(Error::Invalid("crypto.key_versions_exhausted", "密钥版本已用尽（最多 255 版）",
                               "key-file"));
  }
  std::ofstream out(path, std::ios::app);
  out << RandomKeyLine(version);
  if (!out) return Fail(Error::Internal("crypto.key_file_write", "写入密钥文件失败"));
  return version;
}

}  // namespace zhibu::crypto
