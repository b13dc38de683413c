#include "platform/app/application.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "platform/crypto/field_cipher.h"
#include "platform/util/embedded.h"

namespace zhibu {
namespace {

std::unique_ptr<Application> App() {
  ApplicationOptions options;
  options.db_url = "sqlite::memory:";
  options.enabled_optional_modules = {"diagnostics"};
  return Application::Create(options).value();
}

http::Response Call(const http::Handler& handler, http::Method method, std::string target,
                    std::string body = {}) {
  http::Request r;
  r.method = method;
  r.target = target;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  r.body = std::move(body);
  return handler(r);
}

// The OpenAPI document in docs/ must describe exactly the routes the router really has.
TEST(OpenApiTest, DocumentMatchesTheRouteTable) {
  auto app = App();
  std::string document;
  for (const auto& f : embedded::openapi_document()) document = std::string(f.contents);
  auto json = ParseJson(document, {.max_depth = 64, .max_string_bytes = 1 << 20}).value();
  std::set<std::string> documented;
  for (const auto& [path, item] : json.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      std::string upper(method);
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(upper + " " + std::string(path));
    }
  }
  std::set<std::string> routed;
  for (const auto& route : app->router()->Routes()) {
    routed.insert(std::string(http::MethodName(route.method)) + " " + route.pattern);
  }
  EXPECT_EQ(documented, routed);
}

TEST(ApplicationTest, UnknownOptionalModuleIsRefused) {
  ApplicationOptions options;
  options.db_url = "sqlite::memory:";
  options.enabled_optional_modules = {"no-such-module"};
  auto app = Application::Create(options);
  ASSERT_FALSE(app);
  EXPECT_EQ(app.error().code, "module.unknown");
}

// Several servers on one database must share one key file: a server with another key, a freshly
// generated one, or a copy from before a rotation is refused at start, naming the key file.
TEST(ApplicationTest, EveryServerOnADatabaseMustUseItsKeyFile) {
  auto dir =
      std::filesystem::temp_directory_path() / ("zhibu-keycheck-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  ApplicationOptions options;
  options.db_url = "sqlite:" + (dir / "zhibu.db").string();
  options.key_file = (dir / "first.key").string();
  ASSERT_TRUE(Application::Create(options).has_value()) << "the first start creates the key";
  ASSERT_TRUE(Application::Create(options).has_value()) << "and starts again with it";

  options.key_file = (dir / "missing.key").string();
  auto missing = Application::Create(options);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "crypto.key_file_missing");
  EXPECT_EQ(missing.error().field, "key-file");
  EXPECT_FALSE(std::filesystem::exists(options.key_file)) << "no second key is generated";

  options.key_file = (dir / "other.key").string();
  ASSERT_TRUE(crypto::EnsureKeyFile(options.key_file).value());
  auto other = Application::Create(options);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "crypto.key_mismatch");
  EXPECT_EQ(other.error().field, "key-file");

  // After a rotation on one server, a copy of the old file lacks the new version.
  std::filesystem::copy_file(dir / "first.key", dir / "before-rotation.key");
  options.key_file = (dir / "first.key").string();
  ASSERT_EQ(crypto::AddKeyVersion(options.key_file).value(), 2);
  ASSERT_TRUE(Application::Create(options).has_value());
  options.key_file = (dir / "before-rotation.key").string();
  auto stale = Application::Create(options);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, "crypto.key_version_missing");
  std::filesystem::remove_all(dir);
}

TEST(PipelineTest, HealthErrorsAndSecurityHeaders) {
  auto app = App();
  auto handler = app->Pipeline(nullptr);
  auto health = Call(handler, http::Method::kGet, "/healthz");
  EXPECT_EQ(health.status, 200);
  auto body = ParseJson(health.body, {}).value();
  EXPECT_EQ(body.at("status").as_string(), "ok");
  EXPECT_EQ(body.at("db").as_string(), "sqlite");
  EXPECT_TRUE(health.HasHeader("content-security-policy"));
  EXPECT_TRUE(health.HasHeader("x-content-type-options"));
  EXPECT_TRUE(health.HasHeader("x-request-id"));

  auto missing = Call(handler, http::Method::kGet, "/api/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ParseJson(missing.body, {})->at("error").at("code").as_string(), "request.not_found");

  auto wrong = Call(handler, http::Method::kDelete, "/healthz");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_TRUE(wrong.HasHeader("allow"));

  auto malformed = Call(handler, http::Method::kPost, "/api/v1/diagnostics/writes", "{\"batch\":");
  EXPECT_EQ(malformed.status, 400);
  auto err = ParseJson(malformed.body, {})->at("error");
  EXPECT_EQ(err.at("code").as_string(), "request.malformed_json");
  EXPECT_EQ(err.at("field").as_string(), "body");
}

TEST(PipelineTest, ExceptionInAHandlerBecomesA500Envelope) {
  auto router = std::make_shared<http::Router>();
  router->Add(http::Method::kGet, "/api/v1/boom",
              [](http::Request&) -> http::Response { throw std::runtime_error("bug"); });
  auto handler = http::BuildPipeline(router, http::StandardMiddleware(nullptr), nullptr);
  auto r = Call(handler, http::Method::kGet, "/api/v1/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(ParseJson(r.body, {})->at("error").at("code").as_string(), "server.internal");
  EXPECT_EQ(r.body.find("bug"), std::string::npos) << "internals must not leak";
}

TEST(DiagnosticsTest, WriteValidatesNamesTheFieldAndRefusesDuplicates) {
  auto app = App();
  auto handler = app->Pipeline(nullptr);
  auto bad =
      Call(handler, http::Method::kPost, "/api/v1/diagnostics/writes", R"({"batch":"a","rows":0})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ParseJson(bad.body, {})->at("error").at("field").as_string(), "rows");
  auto ok =
      Call(handler, http::Method::kPost, "/api/v1/diagnostics/writes", R"({"batch":"a","rows":3})");
  EXPECT_EQ(ok.status, 201);
  auto dup =
      Call(handler, http::Method::kPost, "/api/v1/diagnostics/writes", R"({"batch":"a","rows":3})");
  EXPECT_EQ(dup.status, 409);
  auto report = Call(handler, http::Method::kGet, "/api/v1/diagnostics/writes");
  auto json = ParseJson(report.body, {}).value();
  EXPECT_EQ(json.at("batches").as_int64(), 1);
  EXPECT_EQ(json.at("rows").as_int64(), 3);
  EXPECT_EQ(json.at("incomplete").as_int64(), 0);
}

}  // namespace
}  // namespace zhibu
