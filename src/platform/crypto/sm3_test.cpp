#include "platform/crypto/sm3.h"

#include <gtest/gtest.h>

namespace zhibu::crypto {
namespace {

// GB/T 32905-2016 appendix A, examples 1 and 2.
TEST(Sm3Test, StandardVectors) {
  EXPECT_EQ(Sm3Hex("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string sixteen;
  for (int i = 0; i < 16; ++i) sixteen += "abcd";
  EXPECT_EQ(Sm3Hex(sixteen), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

// HMAC-SM3 checked against the RFC 2104 construction computed here from SM3 itself.
TEST(Sm3Test, HmacMatchesTheRfc2104Construction) {
  std::string key = "zhibu-key";
  std::string data = "审计记录 #1";
  std::string k(64, '\0');
  k.replace(0, key.size(), key);
  std::string ipad(64, '\0'), opad(64, '\0');
  for (int i = 0; i < 64; ++i) {
    ipad[i] = static_cast<char>(k[i] ^ 0x36);
    opad[i] = static_cast<char>(k[i] ^ 0x5c);
  }
  Sm3Digest inner = Sm3(ipad + data);
  Sm3Digest expected = Sm3(opad + std::string(inner.begin(), inner.end()));
  EXPECT_EQ(HmacSm3(key, data), expected);
  EXPECT_NE(HmacSm3("other", data), expected);
}

}  // namespace
}  // namespace zhibu::crypto
