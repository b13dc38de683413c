#pragma once
//! JSON for the whole product is Boost.JSON. This file holds the bounded parser every request body
//! goes through and the error envelope every failure is answered with.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/error/error.h"

namespace zhibu {

//! Bounds on untrusted JSON (GB/T 22239 8.1.4.x input validation): nesting depth and the length
//! of any single string.
struct JsonLimits {
  std::size_t max_depth = 32;
  std::size_t max_string_bytes = 64 * 1024;
};

//! Parses `text` as one JSON value within `limits`. Fails with `request.malformed_json` (400) for
//! bad syntax or trailing data, `request.json_too_deep` (400) and `request.json_string_too_long`
//! (400) for values over the bounds.
Result<boost::json::value> ParseJson(std::string_view text, const JsonLimits& limits);

//! The envelope `{"error":{"code","message","field","rule"}}`; `field` and `rule` appear only when
//! set. `request_id` is added when non-empty so a user can quote it to support.
boost::json::object ErrorEnvelope(const Error& error, std::string_view request_id = {});

//! A string member of a JSON object body. Missing or null is an error when `required` (else an
//! empty optional); a non-string, or one longer than `max_bytes`, is always an error. Errors are
//! 400s naming `name` as the field.
Result<std::optional<std::string>> StringField(const boost::json::value& body,
                                               std::string_view name, bool required,
                                               std::size_t max_bytes = 1024);

//! An integer member of a JSON object body, with the same rules.
Result<std::optional<std::int64_t>> IntField(const boost::json::value& body, std::string_view name,
                                             bool required);

}  // namespace zhibu
