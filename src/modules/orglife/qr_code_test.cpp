//! The check-in QR code: a real symbol from libqrencode (its size fits the version, the three
//! finder patterns sit in their corners), and the SVG draws exactly its dark modules inside the
//! quiet zone.

#include "modules/orglife/qr_code.h"

#include <gtest/gtest.h>

#include <regex>

namespace zhibu::orglife {
namespace {

//! Whether the 7×7 finder pattern (a dark ring, a light ring, a dark 3×3 core) starts at (x, y).
bool FinderAt(const QrMatrix& m, int x0, int y0) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      bool ring = x == 0 || y == 0 || x == 6 || y == 6;
      bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      if (m.At(x0 + x, y0 + y) != (ring || core)) return false;
    }
  }
  return true;
}

TEST(QrCodeTest, ACheckInAddressBecomesAStandardSymbol) {
  std::string url =
      "https://zhibu.fl.gov.cn/m/checkin?t=Qm9ndXMtdG9rZW4tZm9yLXRlc3RzLW9ubHktMzItYnl0ZXM";
  auto m = EncodeQr(url);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  // Version v is 17 + 4v modules wide; 85 bytes at level M need version 5 or more.
  EXPECT_EQ((m->size - 17) % 4, 0);
  EXPECT_GE((m->size - 17) / 4, 5);
  EXPECT_TRUE(FinderAt(*m, 0, 0));
  EXPECT_TRUE(FinderAt(*m, m->size - 7, 0));
  EXPECT_TRUE(FinderAt(*m, 0, m->size - 7));
  EXPECT_FALSE(FinderAt(*m, m->size - 7, m->size - 7)) << "no finder in the fourth corner";
  // Different text, different symbol.
  auto other = EncodeQr(url + "x");
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(other->dark, m->dark);
}

TEST(QrCodeTest, TheSvgDrawsEveryDarkModuleAndNothingElse) {
  auto m = EncodeQr("https://example.cn/m/checkin?t=abc");
  ASSERT_TRUE(m.has_value());
  std::string svg = QrSvg(*m);
  const int side = m->size + 8;
  EXPECT_NE(svg.find("viewBox=\"0 0 " + std::to_string(side) + " " + std::to_string(side) + "\""),
            std::string::npos)
      << svg.substr(0, 200);
  EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  // Paint the path's rectangles back onto a grid and compare with the symbol.
  std::vector<bool> painted(static_cast<std::size_t>(side * side), false);
  std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
  int runs = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), run); it != std::sregex_iterator();
       ++it) {
    int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), n = std::stoi((*it)[3]);
    ASSERT_EQ(n, std::stoi((*it)[4]));
    for (int k = 0; k < n; ++k) {
      auto at = static_cast<std::size_t>(y * side + x + k);
      EXPECT_FALSE(painted[at]) << "painted twice";
      painted[at] = true;
    }
    ++runs;
  }
  EXPECT_GT(runs, 0);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      bool inside = x >= 4 && y >= 4 && x < side - 4 && y < side - 4;
      bool dark = inside && m->At(x - 4, y - 4);
      ASSERT_EQ(painted[static_cast<std::size_t>(y * side + x)], dark) << x << "," << y;
    }
  }
}

}  // namespace
}  // namespace zhibu::orglife
