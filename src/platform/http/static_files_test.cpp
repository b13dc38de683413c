#include "platform/http/static_files.h"

#include <gtest/gtest.h>

#include <fstream>

namespace zhibu::http {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("zhibu-static-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<html>支部</html>";
    std::ofstream(root_ / "assets" / "app.3f2a.js") << "console.log(1)";
    // A file beside the root that no request may reach.
    secret_ = root_.parent_path() / (root_.filename().string() + "-secret.txt");
    std::ofstream(secret_) << "secret";
  }
  void TearDown() override {
    std::filesystem::remove_all(root_);
    std::filesystem::remove(secret_);
  }

  Request Get(std::string path) {
    Request r;
    r.path = std::move(path);
    return r;
  }

  std::filesystem::path root_;
  std::filesystem::path secret_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  auto files = StaticFiles::Load(root_).value();
  auto index = files.Serve(Get("/")).value();
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<html>支部</html>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  auto js = files.Serve(Get("/assets/app.3f2a.js")).value();
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  bool immutable = false;
  std::string etag;
  for (const auto& h : js.headers) {
    if (h.name == "Cache-Control") immutable = h.value.find("immutable") != std::string::npos;
    if (h.name == "ETag") etag = h.value;
  }
  EXPECT_TRUE(immutable);
  Request again = Get("/assets/app.3f2a.js");
  again.headers = {{"if-none-match", etag}};
  auto not_modified = files.Serve(again).value();
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
}

TEST_F(StaticFilesTest, ClientRoutesFallBackToIndexButMissingFilesDoNot) {
  auto files = StaticFiles::Load(root_).value();
  EXPECT_EQ(files.Serve(Get("/members/42")).value().body, "<html>支部</html>");
  EXPECT_FALSE(files.Serve(Get("/assets/missing.js")).has_value());
}

TEST_F(StaticFilesTest, TraversalNeverLeavesTheRoot) {
  auto files = StaticFiles::Load(root_).value();
  std::string name = secret_.filename().string();
  for (std::string path : {"/../" + name, "/%2e%2e/" + name, "/assets/../../" + name,
                           "/..%2f" + name, std::string("//etc/passwd.txt")}) {
    auto r = files.Serve(Get(path));
    EXPECT_TRUE(!r.has_value() || r->body.find("secret") == std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, MissingRootIsAClearError) {
  auto r = StaticFiles::Load(root_ / "nope");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "static.root_missing");
  EXPECT_EQ(r.error().field, "web-root");
}

}  // namespace
}  // namespace zhibu::http
