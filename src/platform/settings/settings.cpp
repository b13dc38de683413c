#include "platform/settings/settings.h"

#include <stdexcept>

#include "platform/audit/audit_trail.h"
#include "platform/auth/auth_routes.h"
#include "platform/auth/roles.h"
#include "platform/http/params.h"
#include "platform/json/json.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"

namespace zhibu::settings {
namespace {

constexpr std::string_view kSelect = "SELECT value FROM setting WHERE key = $1";
constexpr std::string_view kSelectAll = "SELECT key, value, updated_at FROM setting";
constexpr std::string_view kUpsert =
    "INSERT INTO setting (key, value, updated_at, account_id) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
    "account_id = excluded.account_id";

boost::json::object ToJson(const SettingSpec& spec, std::int64_t value,
                           const std::string& updated_at) {
  boost::json::object out{{"key", spec.key}, {"title", spec.title},           {"unit", spec.unit},
                          {"value", value},  {"default", spec.default_value}, {"min", spec.min},
                          {"max", spec.max}, {"source", spec.source}};
  out["updated_at"] =
      updated_at.empty() ? boost::json::value(nullptr) : boost::json::value(updated_at);
  return out;
}

std::int64_t ParseStored(const SettingSpec& spec, const std::string& text) {
  try {
    std::size_t used = 0;
    std::int64_t v = std::stoll(text, &used);
    if (used == text.size() && v >= spec.min && v <= spec.max) return v;
  } catch (const std::exception&) {
  }
  return spec.default_value;  // a value from an older binary's bounds: the default applies
}

}  // namespace

std::vector<SettingSpec> AllSettings() {
  std::vector<SettingSpec> out;
  for (const ModuleManifest* m : AllModules()) {
    out.insert(out.end(), m->settings.begin(), m->settings.end());
  }
  return out;
}

const SettingSpec* FindSetting(std::string_view key) {
  for (const ModuleManifest* m : AllModules()) {
    for (const auto& spec : m->settings) {
      if (spec.key == key) return &spec;
    }
  }
  return nullptr;
}

Result<std::int64_t> Integer(db::Connection& c, std::string_view key) {
  const SettingSpec* spec = FindSetting(key);
  if (spec == nullptr) throw std::logic_error("undeclared setting " + std::string(key));
  auto rows = c.Query(kSelect, {std::string(key)});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return spec->default_value;
  return ParseStored(*spec, rows->Text(0, 0));
}

Result<boost::json::object> SetInteger(db::Connection& c, const audit::Actor& actor,
                                       std::int64_t account_id, std::string_view key,
                                       std::int64_t value) {
  const SettingSpec* spec = FindSetting(key);
  if (spec == nullptr) {
    return Fail(Error::NotFound("setting.not_found", "没有这个设置项"));
  }
  if (value < spec->min || value > spec->max) {
    return Fail(Error::Invalid("setting.out_of_range",
                               spec->title + "应在" + std::to_string(spec->min) + "至" +
                                   std::to_string(spec->max) + spec->unit + "之间",
                               "value"));
  }
  auto before = Integer(c, key);
  if (!before) return Fail(before.error());
  std::string now = NowShanghaiIso();
  auto written = c.Execute(kUpsert, {std::string(key), std::to_string(value), now, account_id});
  if (!written) return Fail(written.error());
  auto logged =
      audit::Append(c, {actor,
                        "setting.change",
                        "setting:" + std::string(key),
                        "success",
                        {{"before", {{"value", *before}}}, {"after", {{"value", value}}}}});
  if (!logged) return Fail(logged.error());
  return ToJson(*spec, value, now);
}

void RegisterSettingsRoutes(http::Router& router, auth::IdentityService& identity,
                            db::Database& db) {
  router.Add(
      http::Method::kGet, "/api/v1/settings",
      [&identity, &db](http::Request& r) {
        auto caller = auth::RequireSignedIn(identity, r, "setting.read");
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto answer = db.Read([&](db::Connection& c) -> Result<boost::json::value> {
          auto rows = c.Query(kSelectAll, {});
          if (!rows) return Fail(rows.error());
          std::map<std::string, std::pair<std::string, std::string>, std::less<>> stored;
          for (std::size_t i = 0; i < rows->size(); ++i) {
            stored[rows->Text(i, 0)] = {rows->Text(i, 1), rows->Text(i, 2)};
          }
          boost::json::array items;
          for (const auto& spec : AllSettings()) {
            auto found = stored.find(spec.key);
            if (found == stored.end()) {
              items.push_back(ToJson(spec, spec.default_value, ""));
            } else {
              items.push_back(
                  ToJson(spec, ParseStored(spec, found->second.first), found->second.second));
            }
          }
          return boost::json::object{{"items", std::move(items)}};
        });
        if (!answer) return http::ErrorResponse(answer.error(), r);
        return http::Response::Json(200, *answer);
      },
      "本地设置项（默认值、当前值及依据）");
  router.Add(
      http::Method::kPut, "/api/v1/settings/{key}",
      [&identity, &db](http::Request& r) {
        auto caller = auth::Require(identity, db, r, auth::permission::kSettingChange);
        if (!caller) return http::ErrorResponse(caller.error(), r);
        auto body = r.JsonBody();
        if (!body) return http::ErrorResponse(body.error(), r);
        auto value = IntField(*body, "value", true);
        if (!value) return http::ErrorResponse(value.error(), r);
        std::string key(r.PathParam("key"));
        auto answer = db.Write([&](db::Connection& c) -> Result<boost::json::value> {
          auto set =
              SetInteger(c, caller->AsActor(r.client_address), caller->account_id, key, **value);
          if (!set) return Fail(set.error());
          return boost::json::value(std::move(*set));
        });
        if (!answer) return http::ErrorResponse(answer.error(), r);
        return http::Response::Json(200, *answer);
      },
      "修改本地设置项（记入审计）");
}

}  // namespace zhibu::settings
