#pragma once
//! The request pipeline: a chain of middleware around the router. Every response, including the
//! ones the server makes itself for requests it could not read, passes through the same chain, so
//! request ids, access logging, security headers and the JSON error envelope apply everywhere.

#include <functional>
#include <memory>
#include <vector>

#include "platform/http/access_log.h"
#include "platform/http/router.h"
#include "platform/http/static_files.h"

namespace zhibu::http {

//! Wraps the rest of the chain: may change the request, call `next`, change the response.
using Middleware = std::function<Response(Request&, const Handler& next)>;

//! Sets `request.request_id` from a well-formed `X-Request-Id` header (1–64 of [A-Za-z0-9._-]) or a
//! new random one, and echoes it in the response.
Middleware RequestIdMiddleware();

//! One access-log line per request: time, method, path, status, bytes, duration, client, request
//! id. Control characters in the path are replaced so a request cannot forge log lines.
Middleware AccessLogMiddleware(std::shared_ptr<AccessLog> log);

//! CSP, X-Content-Type-Options, X-Frame-Options, Referrer-Policy and Cache-Control: no-store for
//! API answers (GB/T 22239 8.1.4.x; spec 02 "Input and transport").
Middleware SecurityHeadersMiddleware();

//! Turns an exception escaping a handler (a bug) into a logged 500 envelope.
Middleware ExceptionMiddleware();

//! Builds the root handler: `middleware` (outermost first) around routing. Requests with
//! `early_error` are answered with that error; unknown API paths get a 404 envelope, known paths
//! with another method a 405 with Allow; other GET/HEAD paths go to `static_files` when given.
Handler BuildPipeline(std::shared_ptr<const Router> router, std::vector<Middleware> middleware,
                      std::shared_ptr<const StaticFiles> static_files);

//! The standard chain: request id, access log (when `log` is given), security headers, exceptions.
std::vector<Middleware> StandardMiddleware(std::shared_ptr<AccessLog> log);

}  // namespace zhibu::http
