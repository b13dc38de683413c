#include "platform/http/message.h"

#include <gtest/gtest.h>

namespace zhibu::http {
namespace {

TEST(PercentDecodeTest, DecodesAndRejectsBadEscapes) {
  EXPECT_EQ(PercentDecode("%E5%BC%A0a+b", true).value(), "张a b");
  EXPECT_EQ(PercentDecode("a+b", false).value(), "a+b");
  EXPECT_FALSE(PercentDecode("%", false).has_value());
  EXPECT_FALSE(PercentDecode("%4", false).has_value());
  EXPECT_FALSE(PercentDecode("%G1", false).has_value());
  EXPECT_FALSE(PercentDecode("a%00b", false).has_value());
}

TEST(RequestTest, QueryParamsAndHeaders) {
  Request r;
  r.query = "category=%E5%9C%A8%E8%81%8C&base=5000.00&flag&x=1";
  r.headers = {{"content-type", "application/json"}};
  EXPECT_EQ(r.QueryParam("category").value(), "在职");
  EXPECT_EQ(r.QueryParam("base").value(), "5000.00");
  EXPECT_EQ(r.QueryParam("flag").value(), "");
  EXPECT_FALSE(r.QueryParam("missing").has_value());
  EXPECT_EQ(r.HeaderValue("content-type"), "application/json");
  EXPECT_EQ(r.HeaderValue("accept"), "");
}

TEST(RequestTest, JsonBodyAppliesLimitsAndNamesTheField) {
  Request r;
  r.body = "{\"a\":[1,2,";
  auto bad = r.JsonBody();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "request.malformed_json");
  EXPECT_EQ(bad.error().field, "body");
  EXPECT_EQ(HttpStatusFor(bad.error().kind), 400);

  r.json_limits.max_depth = 3;
  r.body = "[[[[1]]]]";
  EXPECT_EQ(r.JsonBody().error().code, "request.json_too_deep");
  r.body = "[[[1]]]";
  EXPECT_TRUE(r.JsonBody().has_value());

  r.json_limits.max_string_bytes = 4;
  r.body = "{\"k\":\"12345\"}";
  EXPECT_EQ(r.JsonBody().error().code, "request.json_string_too_long");
  r.body = "{\"k\":\"1234\"}";
  EXPECT_TRUE(r.JsonBody().has_value());

  r.body.clear();
  EXPECT_EQ(r.JsonBody().error().code, "request.body_missing");
  r.body = "{}";
  r.headers = {{"content-type", "text/plain"}};
  EXPECT_EQ(r.JsonBody().error().field, "content-type");
}

TEST(ResponseTest, ErrorEnvelopeCarriesCodeMessageFieldRule) {
  Error e =
      Error::Unprocessable("dues.base_negative", "缴费基数不能为负数", "base", "中组发〔2008〕3号");
  Response r = Response::FromError(e, "rid1");
  EXPECT_EQ(r.status, 422);
  auto v = ParseJson(r.body, {}).value();
  const auto& err = v.at("error");
  EXPECT_EQ(err.at("code").as_string(), "dues.base_negative");
  EXPECT_EQ(err.at("message").as_string(), "缴费基数不能为负数");
  EXPECT_EQ(err.at("field").as_string(), "base");
  EXPECT_EQ(err.at("rule").as_string(), "中组发〔2008〕3号");
  EXPECT_EQ(err.at("request_id").as_string(), "rid1");
}

TEST(ResponseTest, DownloadNamesTheFileInUtf8WithAnAsciiFallback) {
  Response r = Response::Download("PK\x03\x04", "application/zip", "张三 政审.docx");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/zip");
  EXPECT_EQ(r.body, "PK\x03\x04");
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0].name, "Content-Disposition");
  EXPECT_EQ(r.headers[0].value,
            "attachment; filename=\"__ __.docx\"; "
            "filename*=UTF-8''%E5%BC%A0%E4%B8%89%20%E6%94%BF%E5%AE%A1.docx");
  EXPECT_EQ(r.headers[1].name, "Cache-Control");
  EXPECT_EQ(r.headers[1].value, "no-store");
  // Quotes, backslashes and semicolons cannot end the fallback's quoted string or the header.
  EXPECT_EQ(ContentDisposition("inline", "a\"b\\c;d~e.png"),
            "inline; filename=\"a_b_c_d~e.png\"; filename*=UTF-8''a%22b%5Cc%3Bd~e.png");
}

TEST(ErrorKindTest, EveryKindMapsToItsStatus) {
  EXPECT_EQ(HttpStatusFor(ErrorKind::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kMethodNotAllowed), 405);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kPayloadTooLarge), 413);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kHeadersTooLarge), 431);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kUnprocessable), 422);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kRateLimited), 429);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(ErrorKind::kInternal), 500);
}

TEST(ClientAddressTest, ThePeerUnlessItIsATrustedProxy) {
  const std::vector<std::string> none;
  EXPECT_EQ(ClientAddress("203.0.113.7", "198.51.100.1", none), "203.0.113.7")
      << "without trusted proxies the header is never believed";
  const std::vector<std::string> nginx{"127.0.0.1"};
  EXPECT_EQ(ClientAddress("203.0.113.7", "198.51.100.1", nginx), "203.0.113.7")
      << "a client that is not the proxy cannot name another address";
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.1", nginx), "198.51.100.1");
  EXPECT_EQ(ClientAddress("::ffff:127.0.0.1", "198.51.100.1", nginx), "198.51.100.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "", nginx), "127.0.0.1")
      << "a proxy that sent no header is its own client";
}

TEST(ClientAddressTest, TakesTheRightMostUntrustedHopAndIgnoresWhatTheClientWrote) {
  const std::vector<std::string> proxies{"127.0.0.1", "10.0.0.2"};
  // The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw.
  EXPECT_EQ(ClientAddress("127.0.0.1", "1.2.3.4, 198.51.100.1", proxies), "198.51.100.1");
  // Two proxies in a row: the outer one's address is skipped.
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.1, 10.0.0.2", proxies), "198.51.100.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "2001:db8::1", proxies), "2001:db8::1");
  // Garbage stops the walk at the last trusted hop.
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.1, not-an-address, 10.0.0.2", proxies),
            "10.0.0.2");
  EXPECT_EQ(ClientAddress("127.0.0.1", "unknown", proxies), "127.0.0.1");
}

}  // namespace
}  // namespace zhibu::http
