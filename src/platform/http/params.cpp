#include "platform/http/params.h"

#include <charconv>
#include <string>

namespace zhibu::http {
namespace {

bool ParsePositive(std::string_view text, std::int64_t max, std::int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 1 && out <= max;
}

}  // namespace

Result<std::int64_t> IdParam(const Request& request, std::string_view name) {
  std::int64_t id = 0;
  if (!ParsePositive(request.PathParam(name), INT64_MAX, id)) {
    return Fail(Error::NotFound("request.not_found", "请求的资源不存在"));
  }
  return id;
}

Result<std::optional<std::int64_t>> OptionalIdQuery(const Request& request, std::string_view name) {
  auto text = request.QueryParam(name);
  if (!text || text->empty()) return std::optional<std::int64_t>();
  std::int64_t id = 0;
  if (!ParsePositive(*text, INT64_MAX, id)) {
    return Fail(Error::Invalid("request.id_invalid", std::string(name) + " 应为正整数编号",
                               std::string(name)));
  }
  return std::optional<std::int64_t>(id);
}

Result<std::pair<std::int64_t, std::int64_t>> Paging(const Request& request,
                                                     std::int64_t default_size) {
  auto parse = [&](std::string_view name, std::int64_t fallback,
                   std::int64_t max) -> Result<std::int64_t> {
    auto text = request.QueryParam(name);
    if (!text) return fallback;
    std::int64_t v = 0;
    if (!ParsePositive(*text, max, v)) {
      return Fail(Error::Invalid("request.paging_invalid",
                                 std::string(name) + " 应为 1–" + std::to_string(max) + " 的整数",
                                 std::string(name)));
    }
    return v;
  };
  auto page = parse("page", 1, 1'000'000);
  if (!page) return Fail(page.error());
  std::string_view size_name = request.QueryParam("page_size") ? "page_size" : "size";
  auto size = parse(size_name, default_size, kMaxPageSize);
  if (!size) return Fail(size.error());
  return std::pair{*page, *size};
}

}  // namespace zhibu::http
