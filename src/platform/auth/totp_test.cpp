#include "platform/auth/totp.h"

#include <gtest/gtest.h>

namespace zhibu::auth {
namespace {

// RFC 6238 appendix B, SHA1 rows (8 digits), secret "12345678901234567890".
TEST(TotpTest, Rfc6238Vectors) {
  const std::string secret = "12345678901234567890";
  EXPECT_EQ(TotpCode(secret, TotpStep(59), 8), "94287082");
  EXPECT_EQ(TotpCode(secret, TotpStep(1111111109), 8), "07081804");
  EXPECT_EQ(TotpCode(secret, TotpStep(1111111111), 8), "14050471");
  EXPECT_EQ(TotpCode(secret, TotpStep(1234567890), 8), "89005924");
  EXPECT_EQ(TotpCode(secret, TotpStep(2000000000), 8), "69279037");
  EXPECT_EQ(TotpCode(secret, TotpStep(59)), "287082");  // the 6-digit form apps show
}

TEST(TotpTest, WindowIsOneStepEitherSideAndCodesCannotBeReplayed) {
  const std::string secret = "12345678901234567890";
  std::int64_t now = 1000;
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now), now, 0), now);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now - 1), now, 0), now - 1);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now + 1), now, 0), now + 1);
  EXPECT_FALSE(MatchTotp(secret, TotpCode(secret, now - 2), now, 0));
  EXPECT_FALSE(MatchTotp(secret, TotpCode(secret, now + 2), now, 0));
  EXPECT_FALSE(MatchTotp(secret, TotpCode(secret, now), now, now)) << "replay of the used step";
  EXPECT_FALSE(MatchTotp(secret, "12345", now, 0));
  EXPECT_FALSE(MatchTotp(secret, "abcdef", now, 0));
}

TEST(TotpTest, Base32RoundTripAndRfc4648Vectors) {
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Decode("MZXW6YTBOI").value(), "foobar");
  EXPECT_EQ(Base32Decode("mzxw6ytboi======").value(), "foobar");
  EXPECT_FALSE(Base32Decode("MZ1W"));
  std::string secret = NewTotpSecret();
  EXPECT_EQ(secret.size(), 20u);
  EXPECT_EQ(Base32Decode(Base32Encode(secret)).value(), secret);
  EXPECT_NE(NewTotpSecret(), secret);
  std::string uri = TotpUri("Zhibu 支部", "sysadmin", "12345678901234567890");
  EXPECT_EQ(
      uri.rfind("otpauth://totp/Zhibu%20%E6%94%AF%E9%83%A8:sysadmin?secret=GEZDGNBVGY3TQOJQ", 0),
      0u);
}

}  // namespace
}  // namespace zhibu::auth
