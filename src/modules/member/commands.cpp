#include "modules/member/commands.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <memory>

#include "modules/member/demo.h"
#include "modules/member/member_store.h"
#include "modules/member/statistics.h"
#include "modules/member/statistics_counters.h"
#include "platform/util/clock.h"

namespace zhibu::member {
namespace {

struct StatsOptions {
  CLI::App* rebuild = nullptr;
  CLI::App* check = nullptr;
  std::int64_t org = 0;
  std::string as_of;
};

void Report(const Error& error) {
  std::cerr << "错误 [" << error.code << "]：" << error.message << '\n';
}

std::int64_t MicrosecondsSince(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               started)
      .count();
}

//! `zhibu stats rebuild`: recomputes the subtree counters from the registry (after the upgrade
//! that added them, or after a bulk load that bypassed the stores), in one transaction.
int Rebuild(CommandRuntime& runtime) {
  auto started = std::chrono::steady_clock::now();
  auto report = runtime.db.Write([](db::Connection& c) { return RebuildStatistics(c); });
  if (!report) {
    Report(report.error());
    return 1;
  }
  std::cout << "{\"spans\":" << report->spans << ",\"organisations\":" << report->organisations
            << ",\"counters\":" << report->counters
            << ",\"ms\":" << MicrosecondsSince(started) / 1000 << "}\n";
  return 0;
}

//! `zhibu stats check --org ID [--as-of DATE]`: one subtree's statistics by the scan (the
//! reference) and by the counters, their times, and whether they are identical (exit 1 if not).
int Check(CommandRuntime& runtime, const StatsOptions& options) {
  std::string as_of = options.as_of.empty() ? TodayShanghai() : options.as_of;
  auto everything = org::SubtreeScope::Everything();
  auto timed = [&](StatisticsMethod method) {
    auto started = std::chrono::steady_clock::now();
    auto out = runtime.db.Read([&](db::Connection& c) {
      return SubtreeStatistics(c, everything, options.org, as_of, method);
    });
    return std::pair{std::move(out), MicrosecondsSince(started)};
  };
  auto [scanned, scan_us] = timed(StatisticsMethod::kScan);
  if (!scanned) {
    Report(scanned.error());
    return 1;
  }
  auto [counted, counters_us] = timed(StatisticsMethod::kCounters);
  std::cout << "{\"org\":" << options.org << ",\"as_of\":\"" << as_of
            << "\",\"members\":" << scanned->at("members").at("total").as_int64()
            << ",\"scan_ms\":" << scan_us / 1000.0;
  if (!counted) {
    std::cout << ",\"counters\":\"" << counted.error().code << "\"}\n";
    return 0;
  }
  bool same = *scanned == *counted;
  std::cout << ",\"counters_ms\":" << counters_us / 1000.0
            << ",\"identical\":" << (same ? "true" : "false") << "}\n";
  return same ? 0 : 1;
}

void RegisterStatisticsCommand(CommandRegistry& registry) {
  auto options = std::make_shared<StatsOptions>();
  CLI::App* stats = registry.Add("stats", "统计计数表（按组织子树汇总的党员和组织计数）",
                                 [options](const CommandContext& context) {
                                   auto runtime = context.open();
                                   if (!runtime) {
                                     Report(runtime.error());
                                     return 1;
                                   }
                                   if (options->check->parsed()) return Check(*runtime, *options);
                                   return Rebuild(*runtime);
                                 });
  stats->require_subcommand(1);
  stats->fallthrough();  // `zhibu stats rebuild --db URL` as well as `zhibu stats --db URL rebuild`
  options->rebuild =
      stats->add_subcommand("rebuild", "由党员、组织关系和组织树历史重新计算全部统计计数");
  options->check = stats->add_subcommand(
      "check", "对比某组织子树的统计：全量扫描（基准实现）与计数表，输出耗时和是否一致");
  options->check->add_option("--org", options->org, "组织 id")->required();
  options->check->add_option("--as-of", options->as_of, "统计日期 YYYY-MM-DD（默认今天）");
}

}  // namespace

void RegisterCommands(CommandRegistry& registry) {
  InstallTreeHooks();
  RegisterDemoCommand(registry);
  RegisterStatisticsCommand(registry);
}

}  // namespace zhibu::member
