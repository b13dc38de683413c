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

namespace {
Result<const boost::json::value*> Member(const boost::json::value& body, std::string_view name,
                                         bool required) {
  const auto* object = body.if_object();
  if (object == nullptr) {
    return Fail(Error::Invalid("request.body_not_object", "请求体应为 JSON 对象", "body"));
  }
  const auto* value = object->if_contains(name);
  if ((value == nullptr || value->is_null()) && required) {
    return Fail(Error::Invalid("request.field_missing", "缺少字段 " + std::string(name),
                               std::string(name)));
  }
  return value != nullptr && !value->is_null() ? value : nullptr;
}
}  // namespace

Result<std::optional<std::string>> StringField(const boost::json::value& body,
                                               std::string_view name, bool required,
                                               std::size_t max_bytes) {
  auto value = Member(body, name, required);
  if (!value) return Fail(value.error());
  if (*value == nullptr) return std::optional<std::string>();
  if (!(*value)->is_string()) {
    return Fail(Error::Invalid("request.field_type", "字段 " + std::string(name) + " 应为字符串",
                               std::string(name)));
  }
  const auto& text = (*value)->get_string();
  if (text.size() > max_bytes) {
    return Fail(
        Error::Invalid("request.field_too_long",
                       "字段 " + std::string(name) + " 超过 " + std::to_string(max_bytes) + " 字节",
                       std::string(name)));
  }
  return std::optional<std::string>(std::string(text));
}

Result<std::optional<std::int64_t>> IntField(const boost::json::value& body, std::string_view name,
                                             bool required) {
  auto value = Member(body, name, required);
  if (!value) return Fail(value.error());
  if (*value == nullptr) return std::optional<std::int64_t>();
  if (!(*value)->is_int64()) {
    return Fail(Error::Invalid("request.field_type", "字段 " + std::string(name) + " 应为整数",
                               std::string(name)));
  }
  return std::optional<std::int64_t>((*value)->get_int64());
}

}  // namespace zhibu
