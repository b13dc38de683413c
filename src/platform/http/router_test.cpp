#include "platform/http/router.h"

#include <gtest/gtest.h>

namespace zhibu::http {
namespace {

Handler Answer(int status) {
  return [status](Request&) {
    Response r;
    r.status = status;
    return r;
  };
}

int Call(const Router::Match& m) {
  Request req;
  return (*m.handler)(req).status;
}

TEST(RouterTest, StaticBeatsCaptureAndCapturesAreDecoded) {
  Router router;
  router.Add(Method::kGet, "/api/v1/members/{id}", Answer(201));
  router.Add(Method::kGet, "/api/v1/members/search", Answer(202));
  auto search = router.Find(Method::kGet, "/api/v1/members/search");
  ASSERT_NE(search.handler, nullptr);
  EXPECT_EQ(Call(search), 202);
  auto by_id = router.Find(Method::kGet, "/api/v1/members/%E5%BC%A0%E4%B8%89");
  ASSERT_NE(by_id.handler, nullptr);
  EXPECT_EQ(Call(by_id), 201);
  ASSERT_EQ(by_id.params.size(), 1u);
  EXPECT_EQ(by_id.params[0].first, "id");
  EXPECT_EQ(by_id.params[0].second, "张三");
}

TEST(RouterTest, UnknownPathAndWrongMethod) {
  Router router;
  router.Add(Method::kGet, "/api/v1/things", Answer(200));
  router.Add(Method::kPost, "/api/v1/things", Answer(201));
  auto none = router.Find(Method::kGet, "/api/v1/other");
  EXPECT_EQ(none.handler, nullptr);
  EXPECT_FALSE(none.path_exists);
  auto wrong = router.Find(Method::kDelete, "/api/v1/things");
  EXPECT_EQ(wrong.handler, nullptr);
  EXPECT_TRUE(wrong.path_exists);
  EXPECT_EQ(wrong.allow, "GET, POST");
}

TEST(RouterTest, HeadFallsBackToGetAndEmptyCaptureDoesNotMatch) {
  Router router;
  router.Add(Method::kGet, "/a/{id}", Answer(200));
  auto head = router.Find(Method::kHead, "/a/7");
  ASSERT_NE(head.handler, nullptr);
  EXPECT_EQ(router.Find(Method::kGet, "/a/").handler, nullptr);
  EXPECT_EQ(router.Find(Method::kGet, "/a/7/extra").handler, nullptr);
}

TEST(RouterTest, MalformedEscapeInCaptureIsReported) {
  Router router;
  router.Add(Method::kGet, "/a/{id}", Answer(200));
  auto m = router.Find(Method::kGet, "/a/%ZZ");
  EXPECT_TRUE(m.malformed_path);
  EXPECT_EQ(m.handler, nullptr);
}

TEST(RouterTest, DuplicatesAndMalformedPatternsAreProgrammingErrors) {
  Router router;
  router.Add(Method::kGet, "/a/{id}", Answer(200));
  EXPECT_THROW(router.Add(Method::kGet, "/a/{id}", Answer(200)), std::logic_error);
  EXPECT_THROW(router.Add(Method::kGet, "/a/{other}/x", Answer(200)), std::logic_error);
  EXPECT_THROW(router.Add(Method::kGet, "no-slash", Answer(200)), std::logic_error);
  EXPECT_THROW(router.Add(Method::kGet, "/a/x{y}", Answer(200)), std::logic_error);
  EXPECT_EQ(router.Routes().size(), 1u);
}

}  // namespace
}  // namespace zhibu::http
