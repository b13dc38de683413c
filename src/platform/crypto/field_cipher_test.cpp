#include "platform/crypto/field_cipher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace zhibu::crypto {
namespace {

std::array<std::uint8_t, 16> Bytes(std::string_view hex) {
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < 16; ++i)
    out[i] = static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(2 * i, 2)), nullptr, 16));
  return out;
}

// GB/T 32907-2016 appendix A: example 1 and the 1,000,000-fold encryption of example 2.
TEST(Sm4Test, StandardVectors) {
  auto key = Bytes("0123456789abcdeffedcba9876543210");
  EXPECT_EQ(Sm4EncryptBlock(key, key), Bytes("681edf34d206965e86b3e94f536e4246"));
  auto block = key;
  for (int i = 0; i < 1'000'000; ++i) block = Sm4EncryptBlock(key, block);
  EXPECT_EQ(block, Bytes("595298c7c6fd271f0402f804c33d3f66"));
}

FieldCipher Cipher(std::map<int, std::string> keys = {{1, std::string(32, 'k')}}) {
  return FieldCipher(keys);
}

TEST(FieldCipherTest, RoundTripsAndIsRandomised) {
  auto cipher = Cipher();
  for (std::string text : {"11010519491231002X", "13800138000", "", "中华人民共和国湖北省黄冈市"}) {
    std::string a = cipher.Encrypt(text);
    std::string b = cipher.Encrypt(text);
    EXPECT_NE(a, b) << "a fresh IV every time";
    EXPECT_EQ(a.find(text.empty() ? "\x01\x02\x03" : text), std::string::npos);
    EXPECT_EQ(cipher.Decrypt(a).value(), text);
  }
}

TEST(FieldCipherTest, AnyFlippedBitIsDetected) {
  auto cipher = Cipher();
  std::string record = cipher.Encrypt("11010519491231002X");
  for (std::size_t i = 1; i < record.size(); ++i) {  // byte 0 is the version
    std::string bad = record;
    bad[i] ^= 0x01;
    auto r = cipher.Decrypt(bad);
    ASSERT_FALSE(r) << "byte " << i;
    EXPECT_EQ(r.error().code, "crypto.tampered");
  }
  EXPECT_EQ(cipher.Decrypt(record.substr(0, 20)).error().code, "crypto.tampered");
}

TEST(FieldCipherTest, RotationKeepsOldRecordsReadable) {
  auto v1 = Cipher({{1, std::string(32, 'a')}});
  std::string old = v1.Encrypt("13800138000");
  auto v2 = Cipher({{1, std::string(32, 'a')}, {2, std::string(32, 'b')}});
  EXPECT_EQ(v2.current_version(), 2);
  EXPECT_EQ(v2.Decrypt(old).value(), "13800138000");
  EXPECT_EQ(FieldCipher::VersionOf(v2.Encrypt("x")), 2);
  auto only2 = Cipher({{2, std::string(32, 'b')}});
  EXPECT_EQ(only2.Decrypt(old).error().code, "crypto.key_unknown");
}

TEST(FieldCipherTest, BlindIndexIsStableAndKeyed) {
  auto a = Cipher({{1, std::string(32, 'a')}});
  auto b = Cipher({{1, std::string(32, 'b')}});
  EXPECT_EQ(a.BlindIndex("13800138000"), a.BlindIndex("13800138000"));
  EXPECT_NE(a.BlindIndex("13800138000"), a.BlindIndex("13800138001"));
  EXPECT_NE(a.BlindIndex("13800138000"), b.BlindIndex("13800138000"));
  EXPECT_EQ(a.BlindIndex("x").size(), 64u);
}

TEST(KeyFileTest, CreateLoadRotateAndRejectBadLines) {
  auto path = std::filesystem::temp_directory_path() / ("zhibu-key-" + std::to_string(::getpid()));
  std::filesystem::remove(path);
  EXPECT_TRUE(EnsureKeyFile(path).value());
  EXPECT_FALSE(EnsureKeyFile(path).value()) << "never overwritten";
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::group_read,
            std::filesystem::perms::none);
  auto keys = LoadKeyFile(path).value();
  EXPECT_EQ(keys.size(), 1u);
  EXPECT_EQ(AddKeyVersion(path).value(), 2);
  keys = LoadKeyFile(path).value();
  EXPECT_EQ(keys.size(), 2u);
  EXPECT_NE(keys[1], keys[2]);
  std::ofstream(path, std::ios::app) << "v3 nothex\n";
  EXPECT_EQ(LoadKeyFile(path).error().code, "crypto.key_file_invalid");
  std::filesystem::remove(path);
  EXPECT_EQ(LoadKeyFile(path).error().code, "crypto.key_file_missing");
}

}  // namespace
}  // namespace zhibu::crypto
