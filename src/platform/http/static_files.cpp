#include "platform/http/static_files.h"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <functional>
#include <sstream>

namespace zhibu::http {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}};

}  // namespace

std::string_view StaticFiles::ContentTypeFor(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    std::string_view ext = name.substr(dot);
    for (const auto& [e, type] : kTypes) {
      if (e == ext) return type;
    }
  }
  return "application/octet-stream";
}

Result<StaticFiles> StaticFiles::Load(const std::filesystem::path& root,
                                      std::size_t max_total_bytes) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    return Fail(
        Error::Invalid("static.root_missing", "前端页面目录不存在：" + root.string(), "web-root"));
  }
  StaticFiles out;
  std::size_t total = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    File file;
    file.body = buffer.str();
    total += file.body.size();
    if (total > max_total_bytes) {
      return Fail(Error::Invalid("static.too_large", "前端页面目录过大", "web-root"));
    }
    std::string rel = "/" + std::filesystem::relative(entry.path(), root).generic_string();
    file.content_type = std::string(ContentTypeFor(rel));
    file.etag = fmt::format("\"{:016x}\"", std::hash<std::string>{}(file.body));
    file.immutable = rel.rfind("/assets/", 0) == 0;
    out.files_.emplace(std::move(rel), std::move(file));
  }
  if (ec) {
    return Fail(Error::Internal("static.read_failed", "读取前端页面目录失败：" + ec.message()));
  }
  return out;
}

Response StaticFiles::Answer(const Request& request, const File& file) const {
  Response r;
  r.content_type = file.content_type;
  r.AddHeader("ETag", file.etag);
  r.AddHeader("Cache-Control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (request.HeaderValue("if-none-match") == file.etag) {
    r.status = 304;
    return r;
  }
  r.body = file.body;
  return r;
}

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  auto decoded = PercentDecode(request.path, false);
  if (!decoded) return std::nullopt;
  std::string path = *decoded;
  if (path.empty() || path.back() == '/') path += "index.html";
  // Keys are exact relative paths, so "..", "//" or backslashes simply never match a file.
  if (auto it = files_.find(path); it != files_.end()) return Answer(request, it->second);
  auto last_slash = path.rfind('/');
  bool has_extension = path.find('.', last_slash) != std::string::npos;
  if (!has_extension) {
    if (auto index = files_.find("/index.html"); index != files_.end()) {
      return Answer(request, index->second);
    }
  }
  return std::nullopt;
}

}  // namespace zhibu::http
