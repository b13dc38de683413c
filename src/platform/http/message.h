#pragma once
//! The request and response that handlers see. Beast stays inside the server; modules only ever
//! deal with these two types.

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/error/error.h"
#include "platform/json/json.h"
#include "platform/json/json_text.h"

namespace zhibu::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

//! "GET", "POST", …
std::string_view MethodName(Method method);
//! The method for a name; kOther for anything unknown.
Method ParseMethod(std::string_view name);

//! One header; names are kept lower-case.
struct Header {
  std::string name;
  std::string value;
};

//! Percent-decodes `text` (and `+` as space when `plus_is_space`). Answers nullopt for a malformed
//! escape or an encoded NUL.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

//! `Content-Disposition` for a file named `file_name` (UTF-8): `disposition` (`attachment` to save
//! it, `inline` to show it), an ASCII `filename` fallback with one `_` for each character that is
//! not printable ASCII or is `"`, `\` or `;`, and the name itself as RFC 5987 `filename*=UTF-8''…`
//! (percent-encoded), which browsers prefer.
std::string ContentDisposition(std::string_view disposition, std::string_view file_name);

//! The address of the client behind `peer` (the TCP peer's address). When `peer` is one of
//! `trusted_proxies` (reverse proxies such as nginx that append the address they were connected
//! from to X-Forwarded-For), answers the right-most address of `forwarded_for` (every
//! X-Forwarded-For header in order, joined by commas) that is not itself a trusted proxy: what a
//! client writes into the header on its own sits to the left and is never believed. A malformed
//! entry ends the walk at the last trusted hop. Otherwise answers `peer`. Addresses compare after
//! parsing (IPv4-mapped IPv6 addresses as IPv4), so `::ffff:127.0.0.1` matches `127.0.0.1`.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

//! A request as a handler sees it.
struct Request {
  Method method = Method::kGet;
  std::string target;  //!< as sent: path and query
  std::string path;    //!< the path part, still percent-encoded
  std::string query;   //!< after '?', still encoded
  std::vector<Header> headers;
  std::string body;
  std::string client_address;
  std::string request_id;
  //! Captured `{name}` segments of the matched route, decoded.
  std::vector<std::pair<std::string, std::string>> path_params;
  //! Set by the server when the request could not be read (too large, malformed): the pipeline
  //! answers it with this error instead of routing.
  std::optional<Error> early_error;
  //! Bounds applied by `JsonBody`.
  JsonLimits json_limits;

  //! A header's value, or empty. `name` must be lower-case.
  std::string_view HeaderValue(std::string_view name) const;
  //! A query parameter, decoded; nullopt when absent or malformed.
  std::optional<std::string> QueryParam(std::string_view name) const;
  //! A captured path segment; empty when the route has no such capture.
  std::string_view PathParam(std::string_view name) const;
  //! The body parsed as JSON within `json_limits` (400 envelope on failure).
  Result<boost::json::value> JsonBody() const;
};

//! A response; JSON unless a handler says otherwise.
struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<Header> headers;

  //! `value` serialised, with `status`.
  static Response Json(int status, const boost::json::value& value);
  //! A document already serialised, with `status`.
  static Response Json(int status, JsonText document);
  //! The error envelope with the status for `error.kind`.
  static Response FromError(const Error& error, std::string_view request_id = {});
  //! A file for the browser to save: `bytes` as `content_type`, named `file_name` (UTF-8) through
  //! `Content-Disposition: attachment`, with `Cache-Control: no-store` (downloads carry personal
  //! data).
  static Response Download(std::string bytes, std::string content_type, std::string_view file_name);

  //! Adds a header (no check for duplicates).
  void AddHeader(std::string name, std::string value) {
    headers.push_back({std::move(name), std::move(value)});
  }
  bool HasHeader(std::string_view lower_name) const;
};

}  // namespace zhibu::http
