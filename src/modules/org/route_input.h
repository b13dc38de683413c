#pragma once
//! What the scoped routes of the workflow and ledger modules (dues, 发展党员,
//! 连续六个月不交纳党费的 处置) read from a request the same way: a JSON object body, its text
//! members, the change a call makes (for org_store.h's audit) and a store's result as the body's
//! answer.

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "modules/org/org_store.h"
#include "modules/org/scoped_route.h"
#include "platform/error/error.h"
#include "platform/http/message.h"

namespace zhibu::org {

//! The request's body as JSON: the parse error of `Request::JsonBody` as is, or 400
//! `request.body_not_object` (no field) when it is not an object.
Result<boost::json::value> ObjectBody(const http::Request& request);

//! A text member of an object body: missing or null → "" (an error when `required`); a
//! non-string or one longer than `max_bytes` → 400 naming `name` (json.h StringField).
Result<std::string> BodyText(const boost::json::value& body, std::string_view name, bool required,
                             std::size_t max_bytes);

//! A route body's answer from a store's result: the object (or array) as a JSON value, the error
//! as is.
template <class T>
Result<boost::json::value> AsValue(Result<T> result) {
  if (!result) return Fail(result.error());
  return boost::json::value(std::move(*result));
}

//! The change `call` makes: its caller as the actor and account, no date, `reason`.
Change ChangeOf(const ScopedCall& call, std::string reason = {});

}  // namespace zhibu::org
