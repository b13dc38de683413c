//! 党费 (spec 05): the monthly dues of the 2008 rules (中组发〔2008〕3号). This first part is the
//! quote: `GET /api/v1/dues/quote?category=&base=[&amount=]` for any signed-in user (an API token
//! needs the `dues.quote` scope) and `zhibu dues quote --category … --base …`, both answering the
//! JSON of spec 05 with the article that produced the amount (the rules are in quote.h).

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "modules/dues/quote.h"
#include "platform/auth/auth_routes.h"
#include "platform/auth/identity.h"
#include "platform/module/manifest.h"

namespace zhibu::modules {
namespace {

constexpr std::string_view kQuoteScope = "dues.quote";
constexpr int kExitOk = 0;
constexpr int kExitUserError = 1;

http::Response QuoteRoute(auth::IdentityService& identity, http::Request& request) {
  auto caller = auth::RequireSignedIn(identity, request, kQuoteScope);
  if (!caller) return http::Response::FromError(caller.error(), request.request_id);
  auto category = request.QueryParam("category");
  if (!category || category->empty()) {
    return http::Response::FromError(
        Error::Invalid("dues.category_missing", "category：缺少党员类别", "category"),
        request.request_id);
  }
  auto base = request.QueryParam("base");
  auto amount = request.QueryParam("amount");
  auto quote =
      dues::QuoteFromText(*category, base ? std::optional<std::string_view>(*base) : std::nullopt,
                          amount ? std::optional<std::string_view>(*amount) : std::nullopt);
  if (!quote) return http::Response::FromError(quote.error(), request.request_id);
  return http::Response::Json(200, dues::QuoteJson(*quote));
}

void RegisterRoutes(ModuleContext& context) {
  auth::IdentityService& identity = context.identity;
  context.router.Add(
      http::Method::kGet, "/api/v1/dues/quote",
      [&identity](http::Request& request) { return QuoteRoute(identity, request); },
      "党费测算（中组发〔2008〕3号）");
}

struct QuoteOptions {
  std::string category;
  std::optional<std::string> base;
  std::optional<std::string> amount;
};

//! `zhibu dues quote --category C [--base B] [--amount A]`: the quote's JSON on stdout (exit 0),
//! or the error naming the option's field on stderr (exit 1).
void RegisterCommands(CommandRegistry& registry) {
  auto options = std::make_shared<QuoteOptions>();
  CLI::App* dues_cmd = registry.Add("dues", "党费", [options](const CommandContext&) {
    auto quote = dues::QuoteFromText(
        options->category,
        options->base ? std::optional<std::string_view>(*options->base) : std::nullopt,
        options->amount ? std::optional<std::string_view>(*options->amount) : std::nullopt);
    if (!quote) {
      const Error& e = quote.error();
      std::cerr << "错误 [" << e.code << "]：" << e.message << "（字段：" << e.field << "）\n";
      return kExitUserError;
    }
    std::cout << boost::json::serialize(dues::QuoteJson(*quote)) << '\n';
    return kExitOk;
  });
  dues_cmd->require_subcommand(1);
  CLI::App* quote = dues_cmd->add_subcommand(
      "quote", "按中组发〔2008〕3号计算每月应交党费，输出 JSON（含依据条款）");
  quote
      ->add_option("--category", options->category,
                   "党员类别：employed annual_salary self_employed retired farmer student "
                   "unemployed relief low_income")
      ->required();
  quote->add_option("--base", options->base, "计算基数（元，最多两位小数），如 5000.01");
  quote->add_option("--amount", options->amount, "农民党员：党支部确定的月交纳额（0.20–1.00 元）");
}

}  // namespace

const ModuleManifest& dues_module() {
  static const ModuleManifest manifest{
      .name = "dues",
      .title = "党费管理",
      .optional = false,
      .depends_on = {},
      .migrations = nullptr,
      .register_routes = RegisterRoutes,
      .permissions = {{std::string(kQuoteScope), "党费测算"}},
      .role_permissions = {{"integration", {std::string(kQuoteScope)}}},
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
