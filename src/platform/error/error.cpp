#include "platform/error/error.h"

namespace zhibu {

Error Error::Invalid(std::string code, std::string message, std::string field) {
  return Error{
      ErrorKind::kInvalidArgument, std::move(code), std::move(message), std::move(field), {}};
}

Error Error::NotFound(std::string code, std::string message) {
  return Error{ErrorKind::kNotFound, std::move(code), std::move(message), {}, {}};
}

Error Error::Conflict(std::string code, std::string message, std::string field) {
  return Error{ErrorKind::kConflict, std::move(code), std::move(message), std::move(field), {}};
}

Error Error::Unprocessable(std::string code, std::string message, std::string field,
                           std::string rule) {
  return Error{ErrorKind::kUnprocessable, std::move(code), std::move(message), std::move(field),
               std::move(rule)};
}

Error Error::Internal(std::string code, std::string message) {
  return Error{ErrorKind::kInternal, std::move(code), std::move(message), {}, {}};
}

Error Error::Unavailable(std::string code, std::string message) {
  return Error{ErrorKind::kUnavailable, std::move(code), std::move(message), {}, {}};
}

int HttpStatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return 400;
    case ErrorKind::kUnauthenticated:
      return 401;
    case ErrorKind::kPermissionDenied:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kMethodNotAllowed:
      return 405;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kPayloadTooLarge:
      return 413;
    case ErrorKind::kHeadersTooLarge:
      return 431;
    case ErrorKind::kUnprocessable:
      return 422;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

}  // namespace zhibu
