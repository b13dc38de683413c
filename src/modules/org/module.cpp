//! 组织 (organisation tree): kinds, 领域, units, committees with terms and history, moves, merges
//! and dissolutions with history, all limited to the caller's subtree. The HTTP contract is in
//! docs/api-org-member.md; `zhibu org add` creates the first organisations from the command line.

#include <CLI/CLI.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <memory>

#include "modules/org/committee.h"
#include "modules/org/org_store.h"
#include "modules/org/rules.h"
#include "modules/org/scoped_route.h"
#include "modules/org/vocabulary.h"
#include "platform/json/json.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"

namespace zhibu::modules {
namespace {

using http::Method;
using http::Request;
using org::ScopedCall;

constexpr std::string_view kRead = "org.read";
constexpr std::string_view kWrite = "org.write";

//! The change a request describes: `{date, reason}` from the body and the caller.
Result<org::Change> ChangeFrom(const ScopedCall& call, const boost::json::value& body,
                               bool required) {
  auto date = StringField(body, "date", required, 10);
  if (!date) return Fail(date.error());
  auto reason = StringField(body, "reason", required, 1000);
  if (!reason) return Fail(reason.error());
  return org::Change{call.Actor(), call.caller.account_id, date->value_or(""),
                     reason->value_or("")};
}

Result<boost::json::value> Detail(ScopedCall& call, std::int64_t id) {
  auto o = org::GetOrg(call.connection, call.scope, id);
  if (!o) return Fail(o.error());
  boost::json::object j = o->Summary();
  j["founded_on"] = o->founded_on ? boost::json::value(*o->founded_on) : nullptr;
  j["status_on"] = o->status_on ? boost::json::value(*o->status_on) : nullptr;
  j["merged_into"] = o->merged_into ? boost::json::value(*o->merged_into) : nullptr;
  j["approval_document"] = o->approval_document;
  j["address"] = o->address;
  j["units"] = boost::json::parse(o->units);
  auto ancestors = org::AncestorsOf(call.connection, call.scope, *o);
  if (!ancestors) return Fail(ancestors.error());
  j["ancestors"] = std::move(*ancestors);
  auto committee = org::CurrentCommittee(call.connection, id, TodayShanghai());
  if (!committee) return Fail(committee.error());
  j["committee"] = std::move(*committee);
  return boost::json::value(std::move(j));
}

boost::json::value Items(const std::vector<org::OrgRecord>& orgs) {
  boost::json::array items;
  for (const auto& o : orgs) items.push_back(o.Summary());
  return boost::json::object{{"items", std::move(items)}};
}

Result<org::OrgInput> InputFrom(const boost::json::value& body) {
  org::OrgInput input;
  const auto* object = body.if_object();
  if (object == nullptr) {
    return Fail(Error::Invalid("request.body_not_object", "请求体应为 JSON 对象"));
  }
  auto parent = IntField(body, "parent_id", true);
  if (!parent) return Fail(parent.error());
  input.parent_id = *parent;
  for (auto [name, into, required] :
       {std::tuple{"code", &input.code, true}, std::tuple{"name", &input.name, true},
        std::tuple{"kind", &input.kind, true}, std::tuple{"domain", &input.domain, true},
        std::tuple{"approval_document", &input.approval_document, false},
        std::tuple{"address", &input.address, false}}) {
    auto v = StringField(body, name, required, 400);
    if (!v) return Fail(v.error());
    if (*v) *into = **v;
  }
  auto founded = StringField(body, "founded_on", false, 10);
  if (!founded) return Fail(founded.error());
  input.founded_on = *founded;
  if (const auto* units = object->if_contains("units"); units && !units->is_null()) {
    if (!units->is_array()) {
      return Fail(Error::Invalid("org.units_invalid", "所在单位应为数组", "units"));
    }
    input.units = units->get_array();
  }
  return input;
}

void RegisterRoutes(ModuleContext& context) {
  auto& identity = context.identity;
  auto& db = context.db;
  identity.set_organisation_check([](db::Connection& c, std::int64_t id) -> Result<void> {
    auto found = org::GetOrg(c, org::SubtreeScope::Everything(), id);
    if (!found) {
      return Fail(Error::Invalid("grant.organisation_not_found", "组织不存在", "organisation_id"));
    }
    return {};
  });
  auto& router = context.router;
  auto read = [&identity, &db](auto body) {
    return [&identity, &db, body](Request& r) {
      return org::ScopedRead(identity, db, r, kRead, [&](ScopedCall& call) { return body(call); });
    };
  };
  auto read_id = [&identity, &db](auto body) {
    return [&identity, &db, body](Request& r) {
      auto id = http::IdParam(r, "id");
      if (!id) return http::ErrorResponse(id.error(), r);
      return org::ScopedRead(identity, db, r, kRead,
                             [&](ScopedCall& call) { return body(call, *id); });
    };
  };
  auto write_id = [&identity, &db](auto body) {
    return [&identity, &db, body](Request& r) {
      auto id = http::IdParam(r, "id");
      if (!id) return http::ErrorResponse(id.error(), r);
      auto json = r.JsonBody();
      if (!json) return http::ErrorResponse(json.error(), r);
      return org::ScopedWrite(identity, db, r, kWrite, 200,
                              [&](ScopedCall& call) { return body(call, *id, *json); });
    };
  };

  router.Add(Method::kGet, "/api/v1/orgs/roots",
             read([](ScopedCall& call) -> Result<boost::json::value> {
               auto roots = org::ScopeRoots(call.connection, call.scope);
               if (!roots) return Fail(roots.error());
               return Items(*roots);
             }),
             "我的管理范围顶层组织");
  router.Add(Method::kGet, "/api/v1/orgs/{id}",
             read_id([](ScopedCall& call, std::int64_t id) { return Detail(call, id); }),
             "组织详情（含班子）");
  router.Add(Method::kGet, "/api/v1/orgs/{id}/children",
             read_id([](ScopedCall& call, std::int64_t id) -> Result<boost::json::value> {
               auto children = org::ChildrenOf(call.connection, call.scope, id);
               if (!children) return Fail(children.error());
               return Items(*children);
             }),
             "下级组织");
  router.Add(Method::kGet, "/api/v1/orgs/{id}/history",
             read_id([](ScopedCall& call, std::int64_t id) -> Result<boost::json::value> {
               auto history = org::HistoryOf(call.connection, call.scope, id);
               if (!history) return Fail(history.error());
               return boost::json::object{{"items", std::move(*history)}};
             }),
             "组织沿革（成立、调整、合并、撤销）");
  router.Add(Method::kGet, "/api/v1/orgs/{id}/committees",
             read_id([](ScopedCall& call, std::int64_t id) -> Result<boost::json::value> {
               auto list = org::CommitteesOf(call.connection, call.scope, id, TodayShanghai());
               if (!list) return Fail(list.error());
               return boost::json::object{{"items", std::move(*list)}};
             }),
             "历届委员会");
  router.Add(Method::kPost, "/api/v1/orgs/{id}/committees",
             write_id([](ScopedCall& call, std::int64_t id,
                         const boost::json::value& body) -> Result<boost::json::value> {
               if (!body.is_object()) {
                 return Fail(Error::Invalid("request.body_not_object", "请求体应为 JSON 对象"));
               }
               org::Change change{call.Actor(), call.caller.account_id, "", ""};
               auto elected =
                   org::ElectCommittee(call.connection, call.scope, change, id, body.get_object());
               if (!elected) return Fail(elected.error());
               return boost::json::value(std::move(*elected));
             }),
             "登记新一届委员会（换届选举结果）");
  router.Add(Method::kPost, "/api/v1/orgs/{id}/committees/extend",
             write_id([](ScopedCall& call, std::int64_t id,
                         const boost::json::value& body) -> Result<boost::json::value> {
               auto until = StringField(body, "until", true, 10);
               if (!until) return Fail(until.error());
               auto change = ChangeFrom(call, body, false);
               if (!change) return Fail(change.error());
               auto extended = org::ExtendTerm(call.connection, call.scope, *change, id, **until);
               if (!extended) return Fail(extended.error());
               return boost::json::value(std::move(*extended));
             }),
             "批准延期换届（不超过 1 年）");
  router.Add(
      Method::kPost, "/api/v1/orgs",
      [&identity, &db](Request& r) {
        auto json = r.JsonBody();
        if (!json) return http::ErrorResponse(json.error(), r);
        return org::ScopedWrite(
            identity, db, r, kWrite, 201, [&](ScopedCall& call) -> Result<boost::json::value> {
              auto input = InputFrom(*json);
              if (!input) return Fail(input.error());
              auto change = ChangeFrom(call, *json, false);
              if (!change) return Fail(change.error());
              auto created = org::CreateOrg(call.connection, call.scope, *change, *input);
              if (!created) return Fail(created.error());
              return Detail(call, created->id);
            });
      },
      "新建组织");
  router.Add(Method::kPatch, "/api/v1/orgs/{id}",
             write_id([](ScopedCall& call, std::int64_t id,
                         const boost::json::value& body) -> Result<boost::json::value> {
               if (!body.is_object()) {
                 return Fail(Error::Invalid("request.body_not_object", "请求体应为 JSON 对象"));
               }
               org::Change change{call.Actor(), call.caller.account_id, "", ""};
               auto updated =
                   org::UpdateOrg(call.connection, call.scope, change, id, body.get_object());
               if (!updated) return Fail(updated.error());
               return Detail(call, id);
             }),
             "修改组织信息");
  router.Add(Method::kPost, "/api/v1/orgs/{id}/move",
             write_id([](ScopedCall& call, std::int64_t id,
                         const boost::json::value& body) -> Result<boost::json::value> {
               auto parent = IntField(body, "parent_id", true);
               if (!parent) return Fail(parent.error());
               auto change = ChangeFrom(call, body, true);
               if (!change) return Fail(change.error());
               auto moved = org::MoveOrg(call.connection, call.scope, *change, id, **parent);
               if (!moved) return Fail(moved.error());
               return Detail(call, id);
             }),
             "调整隶属关系");
  router.Add(Method::kPost, "/api/v1/orgs/{id}/merge",
             write_id([](ScopedCall& call, std::int64_t id,
                         const boost::json::value& body) -> Result<boost::json::value> {
               auto into = IntField(body, "into_id", true);
               if (!into) return Fail(into.error());
               auto change = ChangeFrom(call, body, true);
               if (!change) return Fail(change.error());
               auto merged = org::MergeOrg(call.connection, call.scope, *change, id, **into);
               if (!merged) return Fail(merged.error());
               return Detail(call, id);
             }),
             "合并到另一组织（党员和下级组织随之转入）");
  router.Add(Method::kPost, "/api/v1/orgs/{id}/dissolve",
             write_id([](ScopedCall& call, std::int64_t id,
                         const boost::json::value& body) -> Result<boost::json::value> {
               auto change = ChangeFrom(call, body, true);
               if (!change) return Fail(change.error());
               auto dissolved = org::DissolveOrg(call.connection, call.scope, *change, id);
               if (!dissolved) return Fail(dissolved.error());
               return Detail(call, id);
             }),
             "撤销组织（须无下级组织和党员）");
  router.Add(
      Method::kGet, "/api/v1/orgs/vocabulary",
      [&identity](Request& r) {
        auto caller = auth::RequireSignedIn(identity, r, kRead);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto list = [](std::span<const org::Term> terms) {
          boost::json::array out;
          for (const auto& t : terms) {
            out.push_back(boost::json::object{{"id", t.id}, {"title", t.title}});
          }
          return out;
        };
        return http::Response::Json(200,
                                    boost::json::object{{"kinds", list(org::Kinds())},
                                                        {"domains", list(org::Domains())},
                                                        {"statuses", list(org::Statuses())},
                                                        {"positions", list(org::Positions())}});
      },
      "组织类别、领域、状态和职务的取值");
}

//! `zhibu org add`: creates an organisation from the command line (the first root of a new
//! deployment, before anyone can sign in), audited as the operator. Prints the new id and path.
void RegisterCommands(CommandRegistry& registry) {
  struct Options {
    org::OrgInput input;
    std::string parent_code;
    std::string founded_on;
  };
  auto options = std::make_shared<Options>();
  CLI::App* group =
      registry.Add("org", "组织树（命令行）", [options](const CommandContext& context) {
        auto runtime = context.open();
        if (!runtime) {
          std::cerr << "错误 [" << runtime.error().code << "]：" << runtime.error().message << '\n';
          return 1;
        }
        org::OrgInput input = options->input;
        if (!options->founded_on.empty()) input.founded_on = options->founded_on;
        org::Change change{
            {std::nullopt, "cli", "", std::nullopt, "local"}, std::nullopt, "", "命令行新建组织"};
        auto created = runtime->db.Write([&](db::Connection& c) -> Result<org::OrgRecord> {
          auto everything = org::SubtreeScope::Everything();
          if (!options->parent_code.empty()) {
            auto parent = org::GetOrgByCode(c, everything, options->parent_code);
            if (!parent) {
              return Fail(Error::Invalid("org.parent_not_found",
                                         "上级组织编码不存在：" + options->parent_code, "parent"));
            }
            input.parent_id = parent->id;
          }
          return org::CreateOrg(c, everything, change, input);
        });
        if (!created) {
          std::cerr << "错误 [" << created.error().code << "]：" << created.error().message;
          if (!created.error().field.empty())
            std::cerr << "（字段：" << created.error().field << "）";
          std::cerr << '\n';
          return 1;
        }
        std::cout << boost::json::serialize(created->Summary()) << '\n';
        return 0;
      });
  group->require_subcommand(1);
  group->fallthrough();  // `zhibu org add --db URL …` as well as `zhibu org --db URL add …`
  CLI::App* add = group->add_subcommand("add", "新建组织，输出其 JSON（含 id）");
  add->add_option("--code", options->input.code, "组织编码（唯一）")->required();
  add->add_option("--name", options->input.name, "组织名称")->required();
  add->add_option("--kind", options->input.kind, "组织类别（department、committee、branch …）")
      ->required();
  add->add_option("--domain", options->input.domain, "领域（rural、community、government …）")
      ->required();
  add->add_option("--parent", options->parent_code, "上级组织编码（不填则为顶层组织）");
  add->add_option("--founded-on", options->founded_on, "成立日期 YYYY-MM-DD");
}

}  // namespace

const ModuleManifest& org_module() {
  static const ModuleManifest manifest{
      .name = "org",
      .title = "组织",
      .optional = false,
      .depends_on = {},
      .migrations = [] { return db::MigrationsFromFiles("org", embedded::org_migrations()); },
      .register_routes = RegisterRoutes,
      .permissions = {{"org.read", "查看组织"},
                      {"org.write", "维护组织（新建、调整、合并、撤销、换届）"}},
      .role_permissions = {{"org_department_admin", {"org.read", "org.write"}},
                           {"party_committee_secretary", {"org.read", "org.write"}},
                           {"organising_member", {"org.read"}},
                           {"branch_secretary", {"org.read"}},
                           {"publicity_member", {"org.read"}},
                           {"discipline_member", {"org.read"}},
                           {"party_member", {"org.read"}}},
      .encrypted_columns = {},
      .settings = {{.key = std::string(org::kTermWarningSetting),
                    .title = "委员会换届提前提醒",
                    .unit = "个月",
                    .default_value = 6,
                    .min = 1,
                    .max = 12,
                    .source = "本地做法：届满前提前筹备换届（党章 第三十一条规定任期）"}},
      .rules = org::TreeRules(),
      .periodic_tasks = {},
      .register_commands = RegisterCommands,
      .load_demo = nullptr,
  };
  return manifest;
}

}  // namespace zhibu::modules
