#pragma once
//! Reading path and query parameters the way every route does: ids that cannot be probed, paging
//! within bounds, and the error envelope for a handler's failure.

#include <cstdint>
#include <string_view>
#include <utility>

#include "platform/http/message.h"

namespace zhibu::http {

//! The largest page a list answers.
inline constexpr std::int64_t kMaxPageSize = 200;

//! The error envelope for `error`, carrying the request id.
inline Response ErrorResponse(const Error& error, const Request& request) {
  return Response::FromError(error, request.request_id);
}

//! A positive integer path parameter; anything else is a 404 (ids cannot be probed).
Result<std::int64_t> IdParam(const Request& request, std::string_view name);

//! A positive integer query parameter when present; malformed is a 400 naming it.
Result<std::optional<std::int64_t>> OptionalIdQuery(const Request& request, std::string_view name);

//! `page` (≥ 1) and `page_size` (or its short form `size`; 1–200) query parameters.
Result<std::pair<std::int64_t, std::int64_t>> Paging(const Request& request,
                                                     std::int64_t default_size);

}  // namespace zhibu::http
