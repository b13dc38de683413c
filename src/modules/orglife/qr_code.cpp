#include "modules/orglife/qr_code.h"

#include <qrencode.h>

#include <memory>

namespace zhibu::orglife {
namespace {

//! The quiet zone around a symbol, in modules (ISO/IEC 18004: 4).
constexpr int kQuietZone = 4;

struct QrCodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

Result<QrMatrix> EncodeQr(std::string_view text) {
  std::string bytes(text);
  std::unique_ptr<QRcode, QrCodeFree> code(QRcode_encodeString8bit(bytes.c_str(), 0, QR_ECLEVEL_M));
  if (!code) return Fail(Error::Internal("qr.encode_failed", "无法生成二维码"));
  QrMatrix out;
  out.size = code->width;
  out.dark.resize(static_cast<std::size_t>(out.size) * static_cast<std::size_t>(out.size));
  for (std::size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = (code->data[i] & 1) != 0;
  return out;
}

std::string QrSvg(const QrMatrix& matrix) {
  const int side = matrix.size + 2 * kQuietZone;
  std::string path;
  for (int y = 0; y < matrix.size; ++y) {
    for (int x = 0; x < matrix.size;) {
      if (!matrix.At(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < matrix.size && matrix.At(x + run, y)) ++run;
      // One rectangle per run of dark modules in a row.
      path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  std::string s = std::to_string(side);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
         s + " " + s + "\" width=\"" + std::to_string(side * 8) + "\" height=\"" +
         std::to_string(side * 8) + "\" shape-rendering=\"crispEdges\"><rect width=\"" + s +
         "\" height=\"" + s + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
}

}  // namespace zhibu::orglife
