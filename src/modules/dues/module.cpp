//! 党费 (spec 05): the monthly dues of
//! 《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号) — the quote of 第二～六条 on the
//! API and the CLI (quote.h), members' bases and approved reductions, payments with receipts, the
//! branch ledger, subtree totals, arrears and the yearly remittance (dues_store.h), and the
//! six-month rule in the compliance engine (rules.h).

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "modules/dues/demo.h"
#include "modules/dues/dues_store.h"
#include "modules/dues/quote.h"
#include "modules/dues/routes.h"
#include "modules/dues/rules.h"
#include "platform/db/migrations.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"

namespace zhibu::modules {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUserError = 1;

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
      .depends_on = {"org", "member"},
      .migrations = [] { return db::MigrationsFromFiles("dues", embedded::dues_migrations()); },
      .register_routes = dues::RegisterRoutes,
      .permissions = {{"dues.quote", "党费测算"},
                      {std::string(dues::kReadPermission), "查看党费台账"},
                      {std::string(dues::kWritePermission), "登记党费基数与交纳"}},
      .role_permissions = {{"integration", {"dues.quote"}},
                           {"org_department_admin", {"dues.read", "dues.write"}},
                           {"party_committee_secretary", {"dues.read", "dues.write"}},
                           {"branch_secretary", {"dues.read", "dues.write"}},
                           {"organising_member", {"dues.read", "dues.write"}}},
      .encrypted_columns = {},
      .settings = {{std::string(dues::kAllowPrepaymentSetting),
                    "允许预交以后月份的党费（1 允许，0 不允许）", "", 0, 0, 1,
                    "中组发〔2008〕3号 "
                    "只规定按月、按季交纳和补交，没有规定预交；有的地方明确不得一次交一年"},
                   {std::string(dues::kYearlyBaseSetting),
                    "每年初核定一次月交纳额（1 是：基数自 1 月起执行；0 否：自工资变化当月起执行）",
                    "", 0, 0, 1,
                    "中组发〔2008〕3号 "
                    "第十条（自领取新工资当月起）；中央和国家机关做法为每年初核定、年内一般不变"},
                   {std::string(dues::kArrearsNoticeSetting), "连续欠交几个月起提示", "个月", 3, 1,
                    5, "第十三条以 6 个月为限；提前提示便于补交（第十二条补交一般不超过 6 个月）"},
                   {std::string(dues::kRemittancePercentSetting), "党费上缴比例", "%", 5, 5, 10,
                    "中组发〔2008〕3号 第十五条 5%；第十六条 铁路、民航系统 10%"}},
      .rules = dues::Rules(),
      .periodic_tasks = {},
      .register_commands = RegisterCommands,
      .load_demo =
          [](DemoContext& context) { return dues::LoadDemoDues(context.db, TodayShanghai()); },
  };
  return manifest;
}

}  // namespace zhibu::modules
