#include "modules/org/route_input.h"

#include <utility>

#include "platform/json/json.h"

namespace zhibu::org {

Result<boost::json::value> ObjectBody(const http::Request& request) {
  auto body = request.JsonBody();
  if (!body) return Fail(body.error());
  if (!body->is_object()) {
    return Fail(Error::Invalid("request.body_not_object", "请求体应为 JSON 对象", ""));
  }
  return body;
}

Result<std::string> BodyText(const boost::json::value& body, std::string_view name, bool required,
                             std::size_t max_bytes) {
  auto v = StringField(body, name, required, max_bytes);
  if (!v) return Fail(v.error());
  return v->value_or("");
}

Change ChangeOf(const ScopedCall& call, std::string reason) {
  return Change{call.Actor(), call.caller.account_id, "", std::move(reason)};
}

}  // namespace zhibu::org
