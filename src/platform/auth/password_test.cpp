#include "platform/auth/password.h"

#include <gtest/gtest.h>

namespace zhibu::auth {
namespace {

TEST(PasswordPolicyTest, LengthEdgeIsEightCharacters) {
  EXPECT_FALSE(CheckPasswordPolicy("Abcde1!", "u"));  // 7
  EXPECT_TRUE(CheckPasswordPolicy("Abcde12!", "u"));  // 8
  // Code points, not bytes: 7 Chinese characters + 'A' + '1' is 9 characters.
  EXPECT_TRUE(CheckPasswordPolicy("支部党建工作好A1", "u"));
  EXPECT_FALSE(CheckPasswordPolicy("支部党A1b", "u"));  // 6 characters, 12 bytes
}

TEST(PasswordPolicyTest, ThreeOfFourClasses) {
  EXPECT_FALSE(CheckPasswordPolicy("abcdefgh", "u"));  // 1 class
  EXPECT_FALSE(CheckPasswordPolicy("abcdEFGH", "u"));  // 2 classes
  EXPECT_TRUE(CheckPasswordPolicy("abcdEF12", "u"));   // 3
  EXPECT_TRUE(CheckPasswordPolicy("abcd12!?", "u"));   // 3
  EXPECT_TRUE(CheckPasswordPolicy("aB1!aB1!", "u"));   // 4
  auto weak = CheckPasswordPolicy("abcdEFGH", "u", "new_password");
  EXPECT_EQ(weak.error().code, "auth.password_weak");
  EXPECT_EQ(weak.error().field, "new_password");
}

TEST(PasswordPolicyTest, MustNotContainTheUsername) {
  EXPECT_FALSE(CheckPasswordPolicy("Zhangsan#2026", "zhangsan"));
  EXPECT_TRUE(CheckPasswordPolicy("Lisi#2026x", "zhangsan"));
}

TEST(PasswordHashTest, Argon2idRoundTripAndSalted) {
  std::string a = HashPassword("Correct#Horse9");
  std::string b = HashPassword("Correct#Horse9");
  EXPECT_EQ(a.rfind("$argon2id$", 0), 0u);
  EXPECT_NE(a, b) << "salted";
  EXPECT_TRUE(VerifyPassword("Correct#Horse9", a));
  EXPECT_FALSE(VerifyPassword("correct#Horse9", a));
  EXPECT_FALSE(VerifyPassword("", a));
}

TEST(PasswordGeneratorTest, GeneratedPasswordsMeetThePolicyAndDiffer) {
  std::string first = GeneratePassword();
  for (int i = 0; i < 50; ++i) {
    std::string p = GeneratePassword();
    EXPECT_EQ(p.size(), 16u);
    EXPECT_TRUE(CheckPasswordPolicy(p, "admin")) << p;
  }
  EXPECT_NE(first, GeneratePassword());
  std::string token = RandomToken();
  EXPECT_EQ(token.size(), 43u);  // 32 bytes, base64url without padding
  EXPECT_EQ(token.find_first_of("+/="), std::string::npos);
}

}  // namespace
}  // namespace zhibu::auth
