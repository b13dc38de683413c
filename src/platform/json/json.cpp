#include "platform/json/json.h"

namespace zhibu {
namespace {

//! Depth is bounded by the parser; string length we check by walking the tree once.
bool StringsWithin(const boost::json::value& v, std::size_t max_bytes) {
  switch (v.kind()) {
    case boost::json::kind::string:
      return v.get_string().size() <= max_bytes;
    case boost::json::kind::array:
      for (const auto& item : v.get_array()) {
        if (!StringsWithin(item, max_bytes)) return false;
      }
      return true;
    case boost::json::kind::object:
      for (const auto& [key, item] : v.get_object()) {
        if (key.size() > max_bytes || !StringsWithin(item, max_bytes)) return false;
      }
      return true;
    default:
      return true;
  }
}

}  // namespace

Result<boost::json::value> ParseJson(std::string_view text, const JsonLimits& limits) {
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec, {}, options);
  if (ec == boost::json::error::too_deep) {
    return Fail(Error::Invalid("request.json_too_deep",
                               "JSON 嵌套层数超过 " + std::to_string(limits.max_depth) + " 层",
                               "body"));
  }
  if (ec) {
    return Fail(Error::Invalid("request.malformed_json",
                               "请求体不是合法的 JSON（" + ec.message() + "）", "body"));
  }
  if (!StringsWithin(value, limits.max_string_bytes)) {
    return Fail(Error::Invalid(
        "request.json_string_too_long",
        "JSON 中的字符串超过 " + std::to_string(limits.max_string_bytes) + " 字节", "body"));
  }
  return value;
}

boost::json::object ErrorEnvelope(const Error& error, std::string_view request_id) {
  boost::json::object detail;
  detail["code"] = error.code;
  detail["message"] = error.message;
  if (!error.field.empty()) detail["field"] = error.field;
  if (!error.rule.empty()) detail["rule"] = error.rule;
  if (!request_id.empty()) detail["request_id"] = request_id;
  boost::json::object envelope;
  envelope["error"] = std::move(detail);
  return envelope;
}

}  // namespace zhibu
