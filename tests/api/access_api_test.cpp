// Access control on the organisation tree (spec 02 "Access"), black-box against `zhibu serve` on
// both backends: each test is an attacker with a real account trying to reach what their grant
// does not cover — guessing the ids of a sibling subtree, searching for someone outside, raising
// their own role, or (as one of the 三员) reading member data — and checks that every attempt
// fails the way the contract says, and leaves nothing changed.
//
// One demo county (2,600 organisations, 63,000 members, from `zhibu demo`) serves the whole
// suite; the accounts are made through the API as a deployment would: the system administrator
// creates them, the security administrator grants 组织部管理员 on the county, 党委书记 on one town
// and 支部书记 on one of its branches.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <deque>
#include <memory>
#include <set>

#include "harness.h"
#include "modules/member/pinyin.h"
#include "platform/util/clock.h"

namespace zhibu::apitest {
namespace {

namespace json = boost::json;

std::string Str(const json::value& v) { return std::string(v.as_string()); }
std::string Num(std::int64_t n) { return std::to_string(n); }

//! `text` percent-encoded for a query string.
std::string Encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

//! An answer as a caller can compare it: the status and the body without the request id (which
//! differs on every request by design).
struct Answer {
  int status = 0;
  json::value body;
  bool operator==(const Answer&) const = default;
};
Answer Compare(const HttpResult& r) {
  Answer a{r.status, nullptr};
  boost::system::error_code ec;
  a.body = json::parse(r.body, ec);
  if (ec) {
    a.body = json::value(r.body);
  } else if (auto* error = a.body.is_object() ? a.body.as_object().if_contains("error") : nullptr;
             error != nullptr && error->is_object()) {
    error->as_object().erase("request_id");
  }
  return a;
}
std::ostream& operator<<(std::ostream& out, const Answer& a) {
  return out << a.status << " " << json::serialize(a.body);
}

HttpResult Send(const Client& c, const std::string& method, const std::string& target,
                const std::string& body) {
  auto headers = c.Headers();
  headers["Content-Type"] = "application/json";
  return c.server->Send(method, target, method == "GET" ? "" : body, headers);
}

//! Everything the suite shares: one server on one demo county, and the people using it.
struct County {
  TestDatabase db;
  std::unique_ptr<ServerProcess> server;
  std::string today;
  Client sys, sec, aud;           // 系统管理员, 安全管理员, 审计管理员
  Client admin;                   // 组织部管理员 on the county (sees everything)
  Client town;                    // 党委书记 on town A
  Client secretary;               // 支部书记 on one branch of town A
  std::string admin_password;     // for a second session
  std::int64_t root = 0;          // the county
  std::int64_t town_a = 0;        // the town the 党委书记 holds
  std::int64_t town_b = 0;        // a sibling town
  std::int64_t branch = 0;        // the 支部书记's branch, inside A
  std::int64_t branch_b = 0;      // a branch of B
  std::set<std::int64_t> a_orgs;  // every organisation in A's subtree
  std::set<std::int64_t> b_orgs;
  std::set<std::int64_t> branch_orgs;  // the branch and its 党小组
  //! Ids that exist nowhere (the admin gets 404 for them too).
  std::int64_t missing_member = 99'999'999;
  std::int64_t missing_org = 99'999'999;
  //! The route table as the server publishes it: path → methods (lower case).
  std::map<std::string, std::vector<std::string>> routes;
};
County* county = nullptr;

//! Every organisation under `root` (inclusive), walked with `c`'s /children.
std::set<std::int64_t> Subtree(const Client& c, std::int64_t root) {
  std::set<std::int64_t> out{root};
  std::deque<std::int64_t> queue{root};
  while (!queue.empty()) {
    auto id = queue.front();
    queue.pop_front();
    auto children = c.Get("/api/v1/orgs/" + Num(id) + "/children");
    EXPECT_EQ(children.status, 200) << children.body;
    if (children.status != 200) break;
    auto list = children.Json();
    for (const auto& o : list.at("items").as_array()) {
      std::int64_t child = o.at("id").as_int64();
      out.insert(child);
      if (o.at("child_count").as_int64() > 0) queue.push_back(child);
    }
  }
  return out;
}

//! Every member `c` gets for `query` (paged through, 200 at a time).
std::vector<json::object> AllMembers(const Client& c, const std::string& query) {
  std::vector<json::object> out;
  for (int page = 1;; ++page) {
    auto r = c.Get("/api/v1/members?page_size=200&page=" + Num(page) +
                   (query.empty() ? "" : "&" + query));
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    if (r.status != 200) break;
    auto j = r.Json();
    for (const auto& m : j.at("items").as_array()) out.push_back(m.as_object());
    if (static_cast<std::int64_t>(out.size()) >= j.at("total").as_int64() ||
        j.at("items").as_array().empty()) {
      break;
    }
  }
  return out;
}

std::int64_t Total(const Client& c, const std::string& query) {
  auto r = c.Get("/api/v1/members?page_size=1" + (query.empty() ? "" : "&" + query));
  EXPECT_EQ(r.status, 200) << query << ": " << r.body;
  return r.status == 200 ? r.Json().at("total").as_int64() : -1;
}

std::set<std::int64_t> Ids(const std::vector<json::object>& members) {
  std::set<std::int64_t> out;
  for (const auto& m : members) out.insert(m.at("id").as_int64());
  return out;
}

//! The first `kind` child of `parent` (as the admin sees it) with at least `members` members
//! and not in `except`.
std::int64_t ChildOfKind(const Client& admin, std::int64_t parent, std::string_view kind,
                         std::int64_t members, const std::set<std::int64_t>& except = {}) {
  auto children = admin.Get("/api/v1/orgs/" + Num(parent) + "/children").Json();
  for (const auto& o : children.at("items").as_array()) {
    if (o.at("kind").as_string() == kind && o.at("status").as_string() == "active" &&
        o.at("member_count").as_int64() >= members && !except.contains(o.at("id").as_int64())) {
      return o.at("id").as_int64();
    }
  }
  return 0;
}

//! How many `denied` events the trail holds for `actor`, as the audit administrator reads it.
std::int64_t Denials(const Client& auditor, const std::string& actor) {
  auto r = auditor.Get("/api/v1/audit?size=1&result=denied&actor=" + actor);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().at("total").as_int64() : -1;
}

class AccessApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto c = std::make_unique<County>();
    c->today = TodayShanghai();
    auto made = RunZhibu(
        {"demo", "--scale", "county", "--db", c->db.url(), "--key-file", c->db.key_file()});
    ASSERT_EQ(made.exit_code, 0) << made.output;
    auto report = made.output.find("\"root_id\":");
    ASSERT_NE(report, std::string::npos) << made.output;
    c->root = std::stoll(made.output.substr(report + 10));
    std::string sys0 = CreateAdmin(c->db, "sysadmin", "system_admin");
    std::string sec0 = CreateAdmin(c->db, "secadmin", "security_admin");
    std::string aud0 = CreateAdmin(c->db, "auditor", "audit_admin");
    c->server = std::make_unique<ServerProcess>(c->db);
    const ServerProcess& server = *c->server;
    c->sys = FirstLogIn(server, "sysadmin", sys0, "Sys#Admin2026");
    c->sec = FirstLogIn(server, "secadmin", sec0, "Sec#Admin2026");
    c->aud = FirstLogIn(server, "auditor", aud0, "Aud#Admin2026");

    // The system administrator makes the accounts; the security administrator grants.
    auto account = [&](const std::string& username, const std::string& name) {
      auto r = c->sys.Post("/api/v1/accounts",
                           R"({"username":")" + username + R"(","display_name":")" + name + "\"}");
      EXPECT_EQ(r.status, 201) << r.body;
      auto j = r.Json().at("account");
      return std::pair{j.at("id").as_int64(), Str(r.Json().at("initial_password"))};
    };
    auto grant = [&](std::int64_t id, const std::string& role, std::int64_t org) {
      auto r = c->sec.Post("/api/v1/accounts/" + Num(id) + "/grants",
                           R"({"role":")" + role + R"(","organisation_id":)" + Num(org) + "}");
      EXPECT_EQ(r.status, 201) << r.body;
    };
    auto [admin_id, admin0] = account("zuzhibu", "县委组织部管理员");
    auto [town_id, town0] = account("zhenwei", "镇党委书记");
    auto [secretary_id, secretary0] = account("shuji", "村党支部书记");
    grant(admin_id, "org_department_admin", c->root);
    c->admin_password = "Org#Dept2026";
    c->admin = FirstLogIn(server, "zuzhibu", admin0, c->admin_password);

    // Two rural towns with members; a branch of each with at least 20.
    c->town_a = ChildOfKind(c->admin, c->root, "committee", 200);
    ASSERT_NE(c->town_a, 0);
    c->branch = ChildOfKind(c->admin, c->town_a, "branch", 20);
    ASSERT_NE(c->branch, 0);
    c->town_b = ChildOfKind(c->admin, c->root, "committee", 200, {c->town_a});
    ASSERT_NE(c->town_b, 0);
    c->branch_b = ChildOfKind(c->admin, c->town_b, "branch", 20);
    ASSERT_NE(c->branch_b, 0);
    grant(town_id, "party_committee_secretary", c->town_a);
    grant(secretary_id, "branch_secretary", c->branch);
    c->town = FirstLogIn(server, "zhenwei", town0, "Town#Work2026");
    c->secretary = FirstLogIn(server, "shuji", secretary0, "Branch#Work2026");
    c->a_orgs = Subtree(c->admin, c->town_a);
    c->b_orgs = Subtree(c->admin, c->town_b);
    c->branch_orgs = Subtree(c->admin, c->branch);
    ASSERT_EQ(c->admin.Get("/api/v1/members/" + Num(c->missing_member)).status, 404);
    ASSERT_EQ(c->admin.Get("/api/v1/orgs/" + Num(c->missing_org)).status, 404);

    auto doc = c->admin.Get("/api/v1/openapi.json");
    ASSERT_EQ(doc.status, 200);
    auto document = doc.Json();
    for (const auto& [path, item] : document.at("paths").as_object()) {
      for (const auto& [method, operation] : item.as_object()) {
        (void)operation;
        if (method == "get" || method == "post" || method == "patch" || method == "put" ||
            method == "delete") {
          c->routes[std::string(path)].push_back(std::string(method));
        }
      }
    }
    county = c.release();
  }

  static void TearDownTestSuite() {
    if (county == nullptr) return;
    EXPECT_EQ(county->server->StopWith(SIGTERM), 0) << county->server->Log();
    delete county;
    county = nullptr;
  }

  void SetUp() override {
    if (county == nullptr) GTEST_FAIL() << "the demo county did not start";
  }

  //! The routes whose path starts with one of `prefixes`, as (METHOD, path) pairs.
  static std::vector<std::pair<std::string, std::string>> RoutesUnder(
      std::initializer_list<std::string_view> prefixes) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [path, methods] : county->routes) {
      bool under = false;
      for (auto p : prefixes) under = under || path.starts_with(p);
      if (!under) continue;
      for (const auto& m : methods) {
        std::string upper = m;
        for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        out.emplace_back(upper, path);
      }
    }
    return out;
  }

  //! `path` with `{id}` replaced by `id`.
  static std::string With(std::string path, std::int64_t id) {
    auto at = path.find("{id}");
    if (at != std::string::npos) path.replace(at, 4, Num(id));
    return path;
  }
};

TEST_F(AccessApiTest, GuessedIdsOutsideTheSubtreeAnswerExactlyLikeMissingOnes) {
  const County& d = *county;
  // Ids the callers cannot see, as the county's administrator knows them: the members of the
  // sibling town B, and of a sibling branch inside town A (for the 支部书记).
  auto b_members = d.admin.Get("/api/v1/members?status=all&page_size=200&org=" + Num(d.town_b));
  ASSERT_EQ(b_members.status, 200);
  std::vector<std::int64_t> b_ids;
  auto b_list = b_members.Json();
  for (const auto& m : b_list.at("items").as_array()) b_ids.push_back(m.at("id").as_int64());
  ASSERT_GE(b_ids.size(), 100u);
  std::int64_t a_member = AllMembers(d.admin, "org=" + Num(d.branch)).front().at("id").as_int64();
  std::int64_t sibling = ChildOfKind(d.admin, d.town_a, "branch", 1, {d.branch});
  ASSERT_NE(sibling, 0);
  std::int64_t sibling_member =
      AllMembers(d.admin, "org=" + Num(sibling)).front().at("id").as_int64();

  struct Caller {
    const Client* client;
    const char* name;
    std::int64_t own_org;                    // an organisation inside the caller's subtree
    std::vector<std::int64_t> foreign_orgs;  // organisations outside it
    std::vector<std::int64_t> foreign_members;
  };
  std::vector<std::int64_t> secretary_foreign = b_ids;
  secretary_foreign.push_back(sibling_member);
  const std::vector<Caller> callers = {
      {&d.town, "党委书记", d.town_a, {d.town_b, d.branch_b, d.root}, b_ids},
      {&d.secretary,
       "支部书记",
       d.branch,
       {d.town_b, d.branch_b, d.town_a, sibling},
       secretary_foreign}};

  // Guessing: the 支部书记 walks every id from 100 below their branch's first member to 100
  // above its last. Each answers either a member of the branch or exactly "does not exist".
  {
    auto own = Ids(AllMembers(d.admin, "status=all&org=" + Num(d.branch)));
    Answer missing = Compare(d.secretary.Get("/api/v1/members/" + Num(d.missing_member)));
    int seen = 0, hidden = 0;
    std::vector<std::int64_t> wrong;
    for (std::int64_t id = std::max<std::int64_t>(1, *own.begin() - 100); id <= *own.rbegin() + 100;
         ++id) {
      auto r = d.secretary.Get("/api/v1/members/" + Num(id));
      if (r.status == 200 && own.contains(id) &&
          d.branch_orgs.contains(r.Json().at("org_id").as_int64())) {
        ++seen;
      } else if (!own.contains(id) && Compare(r) == missing) {
        ++hidden;
      } else {
        wrong.push_back(id);
      }
    }
    EXPECT_TRUE(wrong.empty()) << wrong.size() << " ids answered wrongly, e.g. " << wrong.front();
    EXPECT_EQ(seen, static_cast<int>(own.size()));
    EXPECT_GE(hidden, 200);
  }

  for (const Caller& caller : callers) {
    SCOPED_TRACE(caller.name);
    const Client& c = *caller.client;
    // Walking member ids: every one outside answers as a member that does not exist.
    Answer missing = Compare(c.Get("/api/v1/members/" + Num(d.missing_member)));
    ASSERT_EQ(missing.status, 404);
    EXPECT_EQ(missing.body.at("error").at("code").as_string(), "member.not_found");
    std::vector<std::int64_t> differ;
    for (std::int64_t id : caller.foreign_members) {
      if (Compare(c.Get("/api/v1/members/" + Num(id))) != missing) differ.push_back(id);
    }
    EXPECT_TRUE(differ.empty()) << differ.size() << " members outside answered otherwise, e.g. "
                                << differ.front();
    EXPECT_EQ(c.Get("/api/v1/members/" + Num(a_member)).status, 200) << "inside is visible";

    // Every read route with an id, from the server's own route table: outside == missing.
    int checked = 0;
    for (const auto& [method, path] : RoutesUnder({"/api/v1/members/{id}", "/api/v1/orgs/{id}"})) {
      if (method != "GET") continue;
      SCOPED_TRACE(path);
      bool member_route = path.starts_with("/api/v1/members/");
      std::int64_t inside = member_route ? a_member : caller.own_org;
      auto in = c.Get(With(path, inside));
      Answer none = Compare(c.Get(With(path, member_route ? d.missing_member : d.missing_org)));
      const auto& outside_ids = member_route ? std::vector<std::int64_t>{caller.foreign_members[0],
                                                                         caller.foreign_members[1]}
                                             : caller.foreign_orgs;
      for (std::int64_t out : outside_ids) {
        Answer outside = Compare(c.Get(With(path, out)));
        EXPECT_EQ(outside, none) << out;
        if (in.status == 200) {
          EXPECT_EQ(outside.status, 404) << out;
        }
      }
      ++checked;
    }
    EXPECT_GE(checked, 7)
        << "members/{id}, events, orgs/{id}, children, history, committees, stats";

    // A list limited to an organisation outside: as if it did not exist.
    Answer no_org = Compare(c.Get("/api/v1/members?org=" + Num(d.missing_org)));
    EXPECT_EQ(no_org.status, 404);
    for (std::int64_t out : caller.foreign_orgs) {
      EXPECT_EQ(Compare(c.Get("/api/v1/members?org=" + Num(out))), no_org) << out;
    }

    // Writes aimed outside: unmask, status changes, organisation changes.
    const std::string change = R"(,"date":")" + d.today + R"(","reason":"越权尝试"})";
    struct Write {
      const char* method;
      const char* path;
      std::string body;
      bool member;
    };
    const std::vector<Write> writes = {
        {"POST", "/api/v1/members/{id}/unmask", R"({"reason":"核对身份"})", true},
        {"POST", "/api/v1/members/{id}/status", R"({"status":"suspended")" + change, true},
        {"POST", "/api/v1/members/{id}/status",
         R"({"status":"exited","exit_kind":"self_lapsed")" + change, true},
        {"PATCH", "/api/v1/orgs/{id}", R"({"name":"越权改名"})", false},
        {"POST", "/api/v1/orgs/{id}/move", R"({"parent_id":)" + Num(caller.own_org) + change,
         false},
        {"POST", "/api/v1/orgs/{id}/merge", R"({"into_id":)" + Num(d.branch) + change, false},
        {"POST", "/api/v1/orgs/{id}/dissolve", R"({"x":0)" + change, false},
        {"POST", "/api/v1/orgs/{id}/committees/extend", R"({"until":")" + d.today + "\"}", false},
        {"POST", "/api/v1/orgs/{id}/committees",
         R"({"elected_on":")" + d.today + R"(","term_years":5,"positions":[]})", false},
    };
    for (const Write& w : writes) {
      SCOPED_TRACE(std::string(w.method) + " " + w.path);
      Answer none = Compare(
          Send(c, w.method, With(w.path, w.member ? d.missing_member : d.missing_org), w.body));
      EXPECT_TRUE(none.status == 404 || none.status == 403) << none;
      std::vector<std::int64_t> targets =
          w.member
              ? std::vector<std::int64_t>{caller.foreign_members[0], caller.foreign_members.back()}
              : std::vector<std::int64_t>{d.branch_b};
      for (std::int64_t out : targets) {
        EXPECT_EQ(Compare(Send(c, w.method, With(w.path, out), w.body)), none) << out;
      }
    }
    // Organisations outside named in a body: a new organisation under B, a member placed in B,
    // the caller's own branch moved into B — each answered as for an organisation that does not
    // exist.
    auto new_org = [&](std::int64_t parent) {
      return R"({"parent_id":)" + Num(parent) +
             R"(,"code":"X-ATTACK","name":"越权新建","kind":"branch","domain":"rural"})";
    };
    // (A caller without the write permission is refused before that: 403 for both.)
    auto expect_as_missing = [&](const std::string& path, const std::string& outside,
                                 const std::string& none, std::string_view code) {
      Answer missing_answer = Compare(c.Post(path, none));
      std::string got(missing_answer.body.at("error").at("code").as_string());
      EXPECT_TRUE(got == code || got == "auth.forbidden") << path << ": " << missing_answer;
      EXPECT_EQ(Compare(c.Post(path, outside)), missing_answer) << path;
    };
    expect_as_missing("/api/v1/orgs", new_org(d.town_b), new_org(d.missing_org),
                      "org.parent_not_found");
    auto new_member = [&](std::int64_t org) {
      return R"({"org_id":)" + Num(org) +
             R"(,"name":"越权","id_number":"11010519491231002X","ethnicity":"汉族",)"
             R"("education":"bachelor","category":"rural","joined_on":"1975-07-01",)"
             R"("confirmed_on":"1976-07-01"})";
    };
    expect_as_missing("/api/v1/members", new_member(d.branch_b), new_member(d.missing_org),
                      "member.org_not_found");
    auto move = [&](std::int64_t parent) { return R"({"parent_id":)" + Num(parent) + change; };
    expect_as_missing("/api/v1/orgs/" + Num(d.branch) + "/move", move(d.town_b),
                      move(d.missing_org), "org.parent_not_found");
  }

  // Nothing outside changed: B's branch, the members tried, and the caller's own branch.
  auto b_branch = d.admin.Get("/api/v1/orgs/" + Num(d.branch_b)).Json();
  EXPECT_EQ(b_branch.at("parent_id").as_int64(), d.town_b);
  EXPECT_EQ(b_branch.at("status").as_string(), "active");
  EXPECT_NE(b_branch.at("name").as_string(), "越权改名");
  EXPECT_EQ(d.admin.Get("/api/v1/orgs/" + Num(d.branch)).Json().at("parent_id").as_int64(),
            d.town_a);
  for (std::int64_t id : {b_ids.front(), b_ids.back(), sibling_member}) {
    auto events = d.admin.Get("/api/v1/members/" + Num(id) + "/events").Json();
    for (const auto& e : events.at("items").as_array()) {
      EXPECT_NE(e.at("reason").as_string(), "越权尝试") << "member " << id;
    }
  }
  // …and the trail holds no successful business action by either caller.
  for (const char* who : {"zhenwei", "shuji"}) {
    auto done = d.aud.Get(std::string("/api/v1/audit?size=200&result=success&actor=") + who);
    ASSERT_EQ(done.status, 200) << done.body;
    auto events = done.Json();
    for (const auto& e : events.at("items").as_array()) {
      EXPECT_TRUE(e.at("action").as_string().starts_with("auth."))
          << who << ": " << json::serialize(e);
    }
  }
}

TEST_F(AccessApiTest, OutOfScopeMembersNeverAppearInAnyListSearchOrStatistic) {
  const County& d = *county;
  // The 党委书记's whole list is exactly the admin's list of town A.
  auto mine = AllMembers(d.town, "status=all");
  auto admins = AllMembers(d.admin, "status=all&org=" + Num(d.town_a));
  ASSERT_GT(mine.size(), 200u);
  EXPECT_EQ(Ids(mine), Ids(admins));
  for (const auto& m : mine) {
    EXPECT_TRUE(d.a_orgs.contains(m.at("org_id").as_int64())) << json::serialize(m);
  }
  EXPECT_EQ(Total(d.town, "status=full"), Total(d.admin, "status=full&org=" + Num(d.town_a)));
  EXPECT_EQ(Total(d.town, ""), Total(d.admin, "org=" + Num(d.town_a)));

  // Someone in the sibling town, with a phone number: every way a person could look for them.
  std::optional<json::object> target;
  std::string id_number, phone;
  for (const auto& m : AllMembers(d.admin, "org=" + Num(d.branch_b))) {
    auto clear = d.admin.Post("/api/v1/members/" + Num(m.at("id").as_int64()) + "/unmask",
                              R"({"reason":"越权检索测试：取得检索条件"})");
    ASSERT_EQ(clear.status, 200) << clear.body;
    if (clear.Json().at("phone").is_string()) {
      target = m;
      id_number = Str(clear.Json().at("id_number"));
      phone = Str(clear.Json().at("phone"));
      break;
    }
  }
  ASSERT_TRUE(target) << "a member of B with a phone number";
  const std::int64_t x = target->at("id").as_int64();
  const std::string name = Str(target->at("name"));
  const std::string initials = member::PinyinInitials(name);
  ASSERT_FALSE(initials.empty());
  const std::vector<std::string> searches = {name,     name.substr(0, 3),  // full, surname
                                             initials, initials.substr(0, 1), id_number, phone};
  for (const std::string& q : searches) {
    SCOPED_TRACE("q=" + q);
    // The search itself works: the admin finds them.
    EXPECT_TRUE(Ids(AllMembers(d.admin, "status=all&org=" + Num(d.town_b) + "&q=" + Encode(q)))
                    .contains(x));
    auto found = AllMembers(d.town, "status=all&q=" + Encode(q));
    EXPECT_FALSE(Ids(found).contains(x));
    for (const auto& m : found) EXPECT_TRUE(d.a_orgs.contains(m.at("org_id").as_int64()));
    EXPECT_EQ(Ids(found),
              Ids(AllMembers(d.admin, "status=all&org=" + Num(d.town_a) + "&q=" + Encode(q))));
  }
  EXPECT_EQ(Total(d.town, "status=all&q=" + Encode(id_number)), 0);
  EXPECT_EQ(Total(d.town, "status=all&q=" + Encode(phone)), 0);

  // The 支部书记 sees their branch only; a neighbour in the same town is outside.
  auto own = AllMembers(d.secretary, "status=all");
  EXPECT_EQ(Ids(own), Ids(AllMembers(d.admin, "status=all&org=" + Num(d.branch))));
  for (const auto& m : own) EXPECT_TRUE(d.branch_orgs.contains(m.at("org_id").as_int64()));
  std::int64_t sibling = ChildOfKind(d.admin, d.town_a, "branch", 1, {d.branch});
  auto neighbour = AllMembers(d.admin, "org=" + Num(sibling)).front();
  auto neighbour_id =
      d.admin.Post("/api/v1/members/" + Num(neighbour.at("id").as_int64()) + "/unmask",
                   R"({"reason":"越权检索测试：取得检索条件"})");
  ASSERT_EQ(neighbour_id.status, 200);
  for (const std::string& q :
       {Str(neighbour.at("name")), Str(neighbour_id.Json().at("id_number"))}) {
    auto found = AllMembers(d.secretary, "status=all&q=" + Encode(q));
    EXPECT_FALSE(Ids(found).contains(neighbour.at("id").as_int64())) << q;
    EXPECT_EQ(Ids(found),
              Ids(AllMembers(d.admin, "status=all&org=" + Num(d.branch) + "&q=" + Encode(q))));
  }

  // Statistics of the caller's own subtree equal the admin's for it, and count only it.
  for (auto [client, org] : {std::pair{&d.town, d.town_a}, std::pair{&d.secretary, d.branch}}) {
    auto theirs = client->Get("/api/v1/orgs/" + Num(org) + "/stats");
    ASSERT_EQ(theirs.status, 200) << theirs.body;
    auto admin_view = d.admin.Get("/api/v1/orgs/" + Num(org) + "/stats");
    EXPECT_EQ(theirs.Json(), admin_view.Json());
    EXPECT_EQ(theirs.Json().at("members").at("total").as_int64(),
              Total(d.admin, "org=" + Num(org)));
    EXPECT_EQ(theirs.Json().at("organisations").at("total").as_int64(),
              static_cast<std::int64_t>((org == d.town_a ? d.a_orgs : d.branch_orgs).size()));
  }
  // The tree itself: the caller's roots are their grant, with the admin's counts.
  auto roots = d.town.Get("/api/v1/orgs/roots").Json().at("items").as_array();
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(roots[0].at("id").as_int64(), d.town_a);
  EXPECT_EQ(roots[0].at("member_count").as_int64(), Total(d.admin, "org=" + Num(d.town_a)));
  auto path = d.town.Get("/api/v1/orgs/" + Num(d.branch)).Json().at("ancestors").as_array();
  ASSERT_EQ(path.size(), 1u) << "the county above the town is not shown";
  EXPECT_EQ(path[0].at("id").as_int64(), d.town_a);
}

TEST_F(AccessApiTest, BranchSecretaryCannotRaiseItselfOrAnyoneElse) {
  const County& d = *county;
  auto accounts_before = d.sec.Get("/api/v1/accounts");
  ASSERT_EQ(accounts_before.status, 200);
  std::int64_t admin_id = d.admin.Get("/api/v1/me").Json().at("id").as_int64();
  std::int64_t admin_grant = 0;
  auto before = accounts_before.Json();
  for (const auto& a : before.at("items").as_array()) {
    if (a.at("id").as_int64() == admin_id) {
      admin_grant = a.at("grants").as_array().at(0).at("id").as_int64();
    }
  }
  ASSERT_NE(admin_grant, 0);

  for (const Client* attacker : {&d.secretary, &d.town}) {
    auto me = attacker->Get("/api/v1/me").Json();
    const std::string username = Str(me.at("username"));
    SCOPED_TRACE(username);
    const std::int64_t denials_before = Denials(d.aud, username);
    const std::string self = Num(me.at("id").as_int64());
    const std::vector<std::string> roles = {
        R"({"role":"org_department_admin","organisation_id":)" + Num(d.root) + "}",
        R"({"role":"branch_secretary","organisation_id":)" + Num(d.root) + "}",
        R"({"role":"party_committee_secretary","organisation_id":)" + Num(d.town_b) + "}",
        R"({"role":"organising_member","organisation_id":)" + Num(d.town_a) + "}",
        R"({"role":"system_admin"})",
        R"({"role":"security_admin"})",
        R"({"role":"audit_admin"})",
        R"({"role":"integration"})"};
    std::vector<std::tuple<std::string, std::string, std::string>> attempts;
    for (const auto& role : roles) {
      for (const std::string& who : {self, Num(admin_id)}) {
        attempts.emplace_back("POST", "/api/v1/accounts/" + who + "/grants", role);
      }
    }
    attempts.emplace_back("POST", "/api/v1/accounts",
                          R"({"username":"shadow","display_name":"影子账号"})");
    attempts.emplace_back("POST", "/api/v1/grants/" + Num(admin_grant) + "/revoke", "{}");
    attempts.emplace_back("POST", "/api/v1/accounts/" + Num(admin_id) + "/reset-password", "{}");
    attempts.emplace_back("POST", "/api/v1/accounts/" + Num(admin_id) + "/disable", "{}");
    attempts.emplace_back(
        "POST", "/api/v1/accounts/" + self + "/tokens",
        R"({"name":"后门","scopes":["member.unmask","grant.change"],"expires_in_days":365})");
    attempts.emplace_back("GET", "/api/v1/accounts", "");
    attempts.emplace_back("GET", "/api/v1/accounts/" + Num(admin_id), "");
    attempts.emplace_back("GET", "/api/v1/audit", "");
    // …and every other account, grant, token or audit route the server has.
    for (const auto& [method, path] :
         RoutesUnder({"/api/v1/accounts", "/api/v1/grants", "/api/v1/tokens", "/api/v1/audit"})) {
      attempts.emplace_back(method,
                            With(path, path.starts_with("/api/v1/grants") ? admin_grant : admin_id),
                            method == "GET" ? "" : R"({"role":"system_admin"})");
    }
    for (const auto& [method, path, body] : attempts) {
      auto r = Send(*attacker, method, path, body);
      EXPECT_EQ(r.status, 403) << method << " " << path << " " << body << " → " << r.body;
      EXPECT_EQ(r.ErrorCode(), "auth.forbidden") << method << " " << path;
    }
    EXPECT_EQ(attacker->Get("/api/v1/me").Json().at("permissions"), me.at("permissions"));
    // Every refusal is in the trail as `denied`, once.
    EXPECT_EQ(Denials(d.aud, username) - denials_before,
              static_cast<std::int64_t>(attempts.size()));
  }

  // The security administrator sees every account and grant exactly as before, and the 组织部
  // account still works with its password.
  EXPECT_EQ(d.sec.Get("/api/v1/accounts").Json(), accounts_before.Json());
  EXPECT_EQ(d.admin.Get("/api/v1/me").status, 200);
  auto again = LogInRaw(*d.server, "zuzhibu", d.admin_password);
  EXPECT_EQ(again.status, 200) << "the password was not reset";
}

TEST_F(AccessApiTest, AdministratorsOfTheThreeSeeNoMemberData) {
  const County& d = *county;
  std::int64_t member = AllMembers(d.admin, "org=" + Num(d.branch)).front().at("id").as_int64();
  // Every organisation, member, transfer, import and export route the server has — including
  // /api/v1/members/export when the exchange module provides it.
  auto routes = RoutesUnder({"/api/v1/members", "/api/v1/orgs", "/api/v1/transfers",
                             "/api/v1/imports", "/api/v1/exports"});
  bool export_route = county->routes.contains("/api/v1/members/export");
  RecordProperty("members_export_route", export_route ? "tested" : "absent");
  const std::string query = "?org=" + Num(d.root) + "&format=csv&unmasked=1&q=" + Encode("张");
  int gets = 0;
  std::map<std::string, std::int64_t> refused, denials_before;
  for (const char* who : {"sysadmin", "secadmin", "auditor"}) {
    denials_before[who] = Denials(d.aud, who);
  }
  for (const auto& [client, who] : {std::pair{&d.sys, "sysadmin"}, std::pair{&d.sec, "secadmin"},
                                    std::pair{&d.aud, "auditor"}}) {
    SCOPED_TRACE(who);
    auto me = client->Get("/api/v1/me").Json();
    for (const auto& permission : me.at("permissions").as_array()) {
      EXPECT_FALSE(permission.as_string().starts_with("member."));
      EXPECT_FALSE(permission.as_string().starts_with("org."));
    }
    for (const auto& [method, path] : routes) {
      if (path == "/api/v1/orgs/vocabulary") continue;  // the code lists, no data
      std::int64_t id = path.starts_with("/api/v1/members") ? member : d.branch;
      std::string target = With(path, id) + (method == "GET" ? query : "");
      auto r = Send(*client, method, target, R"({"reason":"审计需要"})");
      if (r.ErrorCode() == "auth.forbidden") ++refused[who];
      if (method == "GET" && path == "/api/v1/imports/template") {
        // The blank import template, open to anyone signed in: its header row and nothing else.
        std::size_t rows = 0;
        for (std::size_t at = 0; at < r.body.size();) {
          auto end = std::min(r.body.find('\n', at), r.body.size());
          if (r.body.find_first_not_of("\r", at) < end) ++rows;
          at = end + 1;
        }
        EXPECT_LE(rows, 1u) << target << " → " << r.body;
      } else if (method == "GET" &&
                 (path.starts_with("/api/v1/members") || path.starts_with("/api/v1/orgs"))) {
        ++gets;
        EXPECT_EQ(r.status, 403) << target << " → " << r.body;
        EXPECT_EQ(r.ErrorCode(), "auth.forbidden") << target;
      } else if (method == "GET") {
        // Transfers and import jobs: refused, or — for a job, which only its owner may read — as
        // absent as a job that does not exist.
        EXPECT_TRUE(r.status == 403 || r.status == 404) << target << " → " << r.body;
      } else {
        EXPECT_TRUE(r.status >= 400 && r.status < 500)
            << method << " " << target << " → " << r.status << " " << r.body;
      }
    }
    auto unmask =
        client->Post("/api/v1/members/" + Num(member) + "/unmask", R"({"reason":"审计需要核对"})");
    EXPECT_EQ(unmask.status, 403) << unmask.body;
    EXPECT_EQ(unmask.ErrorCode(), "auth.forbidden");
    ++refused[who];
    if (export_route) {
      auto exported = client->Get("/api/v1/members/export?org=" + Num(d.root) + "&format=csv");
      EXPECT_EQ(exported.status, 403) << exported.body;
      ++refused[who];
    }
  }
  EXPECT_GE(gets, 3 * 7);
  // Each refusal is recorded once; none of them unmasked anyone.
  for (const auto& [who, count] : refused) {
    EXPECT_EQ(Denials(d.aud, who) - denials_before[who], count) << who;
  }
  auto unmasked = d.aud.Get(
      "/api/v1/audit?size=1&action=member.unmask&target=member:" + Num(member) + "&result=success");
  EXPECT_EQ(unmasked.Json().at("total").as_int64(), 0);
}

TEST_F(AccessApiTest, AnEndedSessionOrAMissingCsrfTokenReachesNoMemberData) {
  // auth_api_test covers /me after logout and POST /accounts without the token; this is the same
  // gate in front of the scoped business routes (PATCH included), and the token of one session
  // does not serve another.
  const County& d = *county;
  std::int64_t member = AllMembers(d.admin, "org=" + Num(d.branch)).back().at("id").as_int64();
  const std::string unmask = "/api/v1/members/" + Num(member) + "/unmask";
  const std::string org = "/api/v1/orgs/" + Num(d.branch);
  Client second = LogIn(*d.server, "zuzhibu", d.admin_password);
  ASSERT_NE(second.csrf, d.admin.csrf);
  auto name = [&](const std::string& n) { return R"({"name":")" + n + "\"}"; };
  for (const auto& headers : {std::map<std::string, std::string>{{"Cookie", second.cookie}},
                              std::map<std::string, std::string>{{"Cookie", second.cookie},
                                                                 {"X-CSRF-Token", d.admin.csrf}}}) {
    auto h = headers;
    h["Content-Type"] = "application/json";
    auto r = d.server->Send("POST", unmask, R"({"reason":"核对"})", h);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.ErrorCode(), "auth.csrf");
    auto p = d.server->Send("PATCH", org, name("无令牌改名"), h);
    EXPECT_EQ(p.status, 403);
    EXPECT_EQ(p.ErrorCode(), "auth.csrf");
  }
  ASSERT_EQ(second.Post("/api/v1/auth/logout").status, 200);
  for (const auto& r : {second.Get("/api/v1/members/" + Num(member)),
                        second.Get("/api/v1/members?q=" + Encode("张")),
                        second.Post(unmask, R"({"reason":"核对"})"),
                        Send(second, "PATCH", org, name("退出后改名"))}) {
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(r.ErrorCode(), "auth.unauthenticated");
  }
  EXPECT_EQ(d.admin.Get("/api/v1/members/" + Num(member)).status, 200)
      << "the other session goes on";
  auto trail = d.aud.Get("/api/v1/audit?size=1&action=member.unmask&target=member:" + Num(member));
  EXPECT_EQ(trail.Json().at("total").as_int64(), 0) << "nothing was unmasked";
  auto branch = d.admin.Get(org).Json();
  EXPECT_NE(branch.at("name").as_string(), "无令牌改名");
  EXPECT_NE(branch.at("name").as_string(), "退出后改名");
}

TEST_F(AccessApiTest, AuditAdministratorFiltersTheTrailByObjectActorResultAndTime) {
  const County& d = *county;
  std::int64_t member = AllMembers(d.admin, "org=" + Num(d.branch)).at(1).at("id").as_int64();
  ASSERT_EQ(
      d.admin.Post("/api/v1/members/" + Num(member) + "/unmask", R"({"reason":"审计筛选测试"})")
          .status,
      200);
  const std::string object = "target=member:" + Num(member);
  auto one = d.aud.Get("/api/v1/audit?" + object + "&actor=zuzhibu&result=success&from=" + d.today +
                       "&to=" + d.today);
  ASSERT_EQ(one.status, 200) << one.body;
  ASSERT_EQ(one.Json().at("total").as_int64(), 1);
  auto found = one.Json();
  const auto& event = found.at("items").at(0);
  EXPECT_EQ(event.at("action").as_string(), "member.unmask");
  EXPECT_EQ(event.at("detail").at("reason").as_string(), "审计筛选测试");
  for (const char* other : {"&to=2000-01-01", "&actor=shuji", "&result=denied", "&action=auth."}) {
    auto none = d.aud.Get("/api/v1/audit?" + object + other);
    ASSERT_EQ(none.status, 200) << none.body;
    EXPECT_EQ(none.Json().at("total").as_int64(), 0) << other;
  }
  for (const auto& [query, field] :
       {std::pair{"from=2026-13-01", "from"}, std::pair{"to=yesterday", "to"},
        std::pair{"result=maybe", "result"}}) {
    auto bad = d.aud.Get(std::string("/api/v1/audit?") + query);
    EXPECT_EQ(bad.status, 400) << query;
    EXPECT_EQ(bad.Json().at("error").at("field").as_string(), field) << query;
  }
  EXPECT_TRUE(d.aud.Get("/api/v1/audit/verify").Json().at("intact").as_bool());
}

}  // namespace
}  // namespace zhibu::apitest
