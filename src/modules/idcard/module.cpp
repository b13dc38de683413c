//! 身份证号码校验: GB 11643-1999 checks on the API (`GET /api/v1/idcard/check?number=`, for any
//! signed-in user; an API token needs the `idcard.check` scope) and on the command line (`zhibu
//! idcard check NUMBER`). The rules themselves are in platform/identity/id_number.h, where the
//! member registry and imports use them too; the JSON both answer with is in check_result.h.

#include <CLI/CLI.hpp>
#include <cstddef>
#include <iostream>
#include <memory>
#include <string>

#include "modules/idcard/check_result.h"
#include "platform/auth/auth_routes.h"
#include "platform/auth/identity.h"
#include "platform/auth/roles.h"
#include "platform/module/manifest.h"

namespace zhibu::modules {
namespace {

constexpr std::string_view kPath = "/api/v1/idcard/check";
constexpr std::string_view kParam = "number";
//! The longest `number` accepted (docs/openapi.json maxLength): 18 full-width characters are 54
//! bytes of UTF-8, plus room for the spaces around them. Longer is a malformed request (400), not
//! a number to check.
constexpr std::size_t kMaxParamBytes = 64;
constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;

http::Response Check(auth::IdentityService& identity, http::Request& request) {
  auto caller = auth::RequireSignedIn(identity, request, auth::permission::kIdNumberCheck);
  if (!caller) return http::Response::FromError(caller.error(), request.request_id);
  auto number = request.QueryParam(kParam);
  if (!number || number->empty()) {
    return http::Response::FromError(
        Error::Invalid("idcard.number_missing", "缺少查询参数 number（身份证号码）",
                       std::string(kParam)),
        request.request_id);
  }
  if (number->size() > kMaxParamBytes) {
    return http::Response::FromError(
        Error::Invalid("idcard.number_too_long",
                       "查询参数 number 过长：最多 " + std::to_string(kMaxParamBytes) + " 字节",
                       std::string(kParam)),
        request.request_id);
  }
  return http::Response::Json(200, idcard::CheckResult(*number));
}

void RegisterRoutes(ModuleContext& context) {
  auth::IdentityService& identity = context.identity;
  context.router.Add(
      http::Method::kGet, std::string(kPath),
      [&identity](http::Request& request) { return Check(identity, request); },
      "身份证号码校验（GB 11643-1999）");
}

//! `zhibu idcard check NUMBER`: prints the CheckResult JSON on stdout; exit 0 when valid, 1 when
//! not (usage errors are 2, from the platform's parser).
void RegisterCommands(CommandRegistry& registry) {
  auto number = std::make_shared<std::string>();
  CLI::App* idcard =
      registry.Add("idcard", "身份证号码（GB 11643-1999）", [number](const CommandContext&) {
        boost::json::object result = idcard::CheckResult(*number);
        std::cout << boost::json::serialize(result) << '\n';
        return idcard::IsValid(result) ? kExitValid : kExitInvalid;
      });
  // `check` is the only subcommand, and `zhibu idcard` alone is a usage error.
  idcard->require_subcommand(1);
  CLI::App* check = idcard->add_subcommand(
      "check", "校验号码（校验码、出生日期、地址码），输出 JSON；有效退出码 0，无效 1");
  check->add_option("NUMBER", *number, "18 位或旧式 15 位身份证号码（可含全角字符、小写 x）")
      ->required();
}

}  // namespace

const ModuleManifest& idcard_module() {
  static const ModuleManifest manifest{
      .name = "idcard",
      .title = "身份证号码校验",
      .optional = false,
      .depends_on = {},
      .migrations = nullptr,
      .register_routes = RegisterRoutes,
      .permissions = {},
      .role_permissions = {},
      .encrypted_columns = {},
      .settings = {},
      .rules = {},
      .periodic_tasks = {},
      .register_commands = RegisterCommands,
      .load_demo = nullptr,
  };
  return manifest;
}

}  // namespace zhibu::modules
