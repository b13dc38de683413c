#pragma once
//! Expected failures of Zhibu: one typed error, returned (never thrown) through tl::expected.
//!
//! Exceptions are reserved for bugs; everything a user or a caller can cause is an `Error` with a
//! stable machine code (`dues.base_negative`), a Chinese message for people, the offending field
//! and the rule that was applied. The HTTP edge maps `ErrorKind` to a status code in exactly one
//! place
//! (`HttpStatusFor`).

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace zhibu {

//! The class of a failure; decides the HTTP status and the CLI exit code.
enum class ErrorKind {
  kInvalidArgument,   //!< 400: the request is malformed or a field is invalid.
  kUnauthenticated,   //!< 401: no valid session or token.
  kPermissionDenied,  //!< 403: authenticated but not allowed (never used for out-of-scope ids).
  kNotFound,          //!< 404: no such thing, or not in the caller's scope.
  kMethodNotAllowed,  //!< 405: the path exists, the method does not.
  kConflict,          //!< 409: the state forbids the change (duplicate, stale version).
  kPayloadTooLarge,   //!< 413: a body or upload over its limit.
  kHeadersTooLarge,   //!< 431: request headers over their limit.
  kUnprocessable,     //!< 422: well-formed, but a rule of the domain refuses it.
  kRateLimited,       //!< 429: throttled.
  kUnavailable,       //!< 503: a dependency (database) is down or the server is shutting down.
  kInternal,          //!< 500: a bug or an unexpected failure of a dependency.
};

//! One failure. `code` is stable and English (`request.malformed_json`); `message` is Chinese and
//! meant for people; `field` names the offending input field when there is one; `rule` cites the
//! regulation or setting that refused the input when there is one.
struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string code;
  std::string message;
  std::string field;
  std::string rule;

  static Error Invalid(std::string code, std::string message, std::string field = {});
  static Error NotFound(std::string code, std::string message);
  static Error Conflict(std::string code, std::string message, std::string field = {});
  static Error Unprocessable(std::string code, std::string message, std::string field,
                             std::string rule);
  static Error Internal(std::string code, std::string message);
  static Error Unavailable(std::string code, std::string message);
};

//! The result of an operation that may fail in an expected way.
template <class T>
using Result = tl::expected<T, Error>;

//! Shorthand for returning a failure: `return Fail(Error::Invalid(...));`
inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

//! The HTTP status code for an error kind; the only place this mapping exists.
int HttpStatusFor(ErrorKind kind);

}  // namespace zhibu
