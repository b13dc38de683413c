#include "platform/crypto/sm.h"

#include <gtest/gtest.h>

#include <string>

#include "platform/crypto/field_cipher.h"

namespace zhibu::crypto {
namespace {

std::array<std::uint8_t, kSm4BlockBytes> Block(std::string_view hex) {
  std::array<std::uint8_t, kSm4BlockBytes> out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(2 * i, 2)), nullptr, 16));
  }
  return out;
}

std::string AsString(const std::array<std::uint8_t, kSm4BlockBytes>& block) {
  return std::string(block.begin(), block.end());
}

const Sm4Key kKey = Block("0123456789abcdeffedcba9876543210");
const Sm4Iv kZeroIv{};

// GB/T 32907-2016 appendix A example 1: key = plaintext = 0123…3210. CBC with a zero IV on one
// block is ECB on that block; the second block is the PKCS#7 padding. (The 1,000,000-fold
// example 2 runs in field_cipher_test.cpp, Sm4Test.StandardVectors.)
TEST(Sm4CbcTest, StandardVectorAsTheFirstBlock) {
  std::string ct = Sm4CbcEncrypt(kKey, kZeroIv, AsString(kKey));
  ASSERT_EQ(ct.size(), 32u) << "a full block of padding follows a whole block";
  EXPECT_EQ(ct.substr(0, 16), AsString(Block("681edf34d206965e86b3e94f536e4246")));
  EXPECT_EQ(Sm4CbcDecrypt(kKey, kZeroIv, ct).value(), AsString(kKey));
}

// CBC chaining and PKCS#7 checked against the definition, block by block, with the single-block
// cipher: Cᵢ = E(Pᵢ ⊕ Cᵢ₋₁), C₀ = IV, padding of n bytes each equal to n.
TEST(Sm4CbcTest, MatchesCbcAndPkcs7ByDefinition) {
  Sm4Iv iv = Block("00112233445566778899aabbccddeeff");
  std::string plaintext = "党员信息：张三，11010519491231002X";  // not a multiple of 16
  std::string padded = plaintext;
  std::size_t pad = kSm4BlockBytes - plaintext.size() % kSm4BlockBytes;
  padded.append(pad, static_cast<char>(pad));
  std::string expected;
  std::array<std::uint8_t, kSm4BlockBytes> previous = iv;
  for (std::size_t at = 0; at < padded.size(); at += kSm4BlockBytes) {
    std::array<std::uint8_t, kSm4BlockBytes> block{};
    for (std::size_t i = 0; i < block.size(); ++i) {
      block[i] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(padded[at + i]) ^ previous[i]);
    }
    previous = Sm4EncryptBlock(kKey, block);
    expected += AsString(previous);
  }
  EXPECT_EQ(Sm4CbcEncrypt(kKey, iv, plaintext), expected);
}

TEST(Sm4CbcTest, RoundTripsEveryLengthAcrossBlockBoundaries) {
  Sm4Iv iv = Block("0f0e0d0c0b0a09080706050403020100");
  std::string text;
  for (std::size_t n = 0; n <= 3 * kSm4BlockBytes + 1; ++n) {
    std::string ct = Sm4CbcEncrypt(kKey, iv, text);
    EXPECT_EQ(ct.size(), (n / kSm4BlockBytes + 1) * kSm4BlockBytes) << n;
    EXPECT_EQ(Sm4CbcDecrypt(kKey, iv, ct).value(), text) << n;
    text.push_back(static_cast<char>('a' + n % 26));
  }
  EXPECT_EQ(Sm4CbcDecrypt(kKey, iv, Sm4CbcEncrypt(kKey, iv, "中华人民共和国")).value(),
            "中华人民共和国");
}

TEST(Sm4CbcTest, IvAndKeyChangeTheCiphertext) {
  Sm4Iv other_iv = kZeroIv;
  other_iv[15] = 1;
  Sm4Key other_key = kKey;
  other_key[0] ^= 0x80;
  std::string a = Sm4CbcEncrypt(kKey, kZeroIv, "13800138000");
  EXPECT_NE(a, Sm4CbcEncrypt(kKey, other_iv, "13800138000"));
  EXPECT_NE(a, Sm4CbcEncrypt(other_key, kZeroIv, "13800138000"));
  EXPECT_EQ(a, Sm4CbcEncrypt(kKey, kZeroIv, "13800138000")) << "deterministic for a fixed IV";
}

TEST(Sm4CbcTest, MalformedCiphertextIsAnErrorNotAThrow) {
  std::string ct = Sm4CbcEncrypt(kKey, kZeroIv, "11010519491231002X");
  for (std::string_view bad : {std::string_view(), std::string_view(ct).substr(0, 15),
                               std::string_view(ct).substr(0, ct.size() - 1)}) {
    auto r = Sm4CbcDecrypt(kKey, kZeroIv, bad);
    ASSERT_FALSE(r) << bad.size();
    EXPECT_EQ(r.error().code, "crypto.sm4_malformed");
    EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
  }
  // A last block whose padding byte decrypts to 0 is never valid PKCS#7: encrypt one block that
  // ends in 0 without padding, by taking the first block of a longer message.
  std::string zero_tail(kSm4BlockBytes, '\0');
  std::string first_block = Sm4CbcEncrypt(kKey, kZeroIv, zero_tail + "x").substr(0, 16);
  EXPECT_EQ(Sm4CbcDecrypt(kKey, kZeroIv, first_block).error().code, "crypto.sm4_malformed");
}

}  // namespace
}  // namespace zhibu::crypto
