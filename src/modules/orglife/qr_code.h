#pragma once
//! QR codes (ISO/IEC 18004) rendered on the server, as spec 04 asks for check-in: the symbol is
//! computed by libqrencode and drawn as SVG, so the console shows it as an image and nothing about
//! the token leaves the server in any other form.

#include <string>
#include <string_view>
#include <vector>

#include "platform/error/error.h"

namespace zhibu::orglife {

//! The modules of one QR symbol, row by row (`size` × `size`; true is dark).
struct QrMatrix {
  int size = 0;
  std::vector<bool> dark;
  bool At(int x, int y) const {
    return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) +
                static_cast<std::size_t>(x)];
  }
};

//! `text` as a QR symbol: byte mode, error correction level M (15% of the symbol may be lost —
//! a phone held at an angle to a projector), the smallest version that holds it. 500
//! `qr.encode_failed` when libqrencode refuses (text beyond a version 40 symbol).
Result<QrMatrix> EncodeQr(std::string_view text);

//! The symbol as an SVG document: dark modules as one black path on white, with the 4-module
//! quiet zone the standard asks for; the view box counts modules, so it scales to any size
//! without blurring (`shape-rendering="crispEdges"`).
std::string QrSvg(const QrMatrix& matrix);

}  // namespace zhibu::orglife
