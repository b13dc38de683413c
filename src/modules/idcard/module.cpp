//! 身份证号码校验: GB 11643-1999 checks on the API (`GET /api/v1/idcard/check?number=`, for any
//! signed-in user) and on the command line (`zhibu idcard check NUMBER`). The rules themselves are
//! in platform/identity/id_number.h, where the member registry and imports use them too.

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "platform/auth/auth_routes.h"
#include "platform/auth/identity.h"
#include "platform/auth/roles.h"
#include "platform/identity/id_number.h"
#include "platform/json/json.h"
#include "platform/module/manifest.h"

namespace zhibu::modules {
namespace {

//! The answer for one number: valid with what it says, or invalid with the reason. A check is not
//! a failed request, so both are 200 on the API and printed on the CLI.
boost::json::object CheckResult(std::string_view number) {
  auto parsed = identity::ParseIdNumber(number);
  if (!parsed) {
    boost::json::object out = ErrorEnvelope(parsed.error());
    out["valid"] = false;
    return out;
  }
  return {{"valid", true},
          {"number", parsed->number},
          {"masked", identity::MaskIdNumber(parsed->number)},
          {"birth_date", parsed->birth_date},
          {"sex", parsed->male ? "male" : "female"},
          {"area_code", parsed->area_code},
          {"converted_from_15", parsed->converted_from_15}};
}

void RegisterRoutes(ModuleContext& context) {
  auth::IdentityService& identity = context.identity;
  context.router.Add(
      http::Method::kGet, "/api/v1/idcard/check",
      [&identity](http::Request& request) {
        auto caller = auth::RequireSignedIn(identity, request, auth::permission::kIdNumberCheck);
        if (!caller) return http::Response::FromError(caller.error(), request.request_id);
        auto number = request.QueryParam("number");
        if (!number || number->empty()) {
          return http::Response::FromError(
              Error::Invalid("idcard.number_missing", "缺少参数 number", "number"),
              request.request_id);
        }
        if (number->size() > 64) {
          return http::Response::FromError(
              Error::Invalid("idcard.length", "身份证号码过长", "number"), request.request_id);
        }
        return http::Response::Json(200, CheckResult(*number));
      },
      "身份证号码校验（GB 11643-1999）");
}

void RegisterCommands(CommandRegistry& registry) {
  auto number = std::make_shared<std::string>();
  // `idcard` requires exactly one subcommand, and `check` is the only one.
  CLI::App* idcard =
      registry.Add("idcard", "身份证号码（GB 11643-1999）", [number](const CommandContext&) {
        boost::json::object result = CheckResult(*number);
        std::cout << boost::json::serialize(result) << '\n';
        return result.at("valid").as_bool() ? 0 : 1;
      });
  idcard->require_subcommand(1);
  CLI::App* check_cmd = idcard->add_subcommand(
      "check", "校验号码：校验码、出生日期、性别；输出 JSON，无效时退出码 1");
  check_cmd->add_option("NUMBER", *number, "18 位或 15 位身份证号码")->required();
}

}  // namespace

const ModuleManifest& idcard_module() {
  static const ModuleManifest manifest{
      .name = "idcard",
      .title = "身份证号码校验",
      .optional = false,
      .migrations = nullptr,
      .register_routes = RegisterRoutes,
      .permissions = {},
      .encrypted_columns = {},
      .register_commands = RegisterCommands,
      .load_demo = nullptr,
  };
  return manifest;
}

}  // namespace zhibu::modules
