#include "modules/exchange/commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>

#include "modules/exchange/deployment.h"
#include "modules/exchange/dues_base_import.h"
#include "modules/exchange/member_export.h"
#include "modules/exchange/member_import.h"
#include "modules/exchange/org_exchange.h"
#include "modules/exchange/templates.h"
#include "modules/org/org_store.h"
#include "platform/util/clock.h"

namespace zhibu::exchange {
namespace {

constexpr int kOk = 0;
constexpr int kUserError = 1;

int Report(const Error& e) {
  std::cerr << "错误 [" << e.code << "]：" << e.message;
  if (!e.field.empty()) std::cerr << "（字段：" << e.field << "）";
  std::cerr << '\n';
  return kUserError;
}

audit::Actor CommandLineActor() { return {std::nullopt, "cli", "", std::nullopt, "local"}; }

//! A progress bar on stderr, drawn only when stderr is a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)), tty_(isatty(2) != 0) {}
  ~ProgressBar() { Done(); }
  void Show(std::int64_t done, std::int64_t total) {
    if (!tty_) return;
    std::lock_guard lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100) && done != total) return;
    last_ = now;
    int percent = total > 0 ? static_cast<int>(std::min<std::int64_t>(100, done * 100 / total)) : 0;
    std::string bar(static_cast<std::size_t>(percent / 4), '#');
    bar.resize(25, ' ');
    std::fprintf(stderr, "\r%s [%s] %3d%% %lld/%lld", label_.c_str(), bar.c_str(), percent,
                 static_cast<long long>(done), static_cast<long long>(total));
    std::fflush(stderr);
    drawn_ = true;
  }
  void Done() {
    if (tty_ && drawn_) std::fputc('\n', stderr);
    drawn_ = false;
  }

 private:
  std::string label_;
  bool tty_;
  bool drawn_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
};

Result<FileFormat> FormatFor(const std::string& option, const std::string& file) {
  if (!option.empty()) return ParseFileFormat(option);
  if (auto f = FormatOfFileName(file)) return *f;
  return Fail(Error::Invalid("import.format_invalid",
                             "无法从文件名判断格式，请用 --format 指定 csv、jsonl 或 xlsx",
                             "format"));
}

struct Options {
  std::string kind;
  std::string path;
  std::string format;
  std::string org;
  bool unmasked = false;
};

int RunImport(const CommandContext& context, const Options& o) {
  if (o.kind == "all") {
    auto keys = InstallDeploymentKeys(o.path, context.key_file);
    if (!keys) return Report(keys.error());
    auto runtime = context.open();
    if (!runtime) return Report(runtime.error());
    ProgressBar bar("导入");
    auto digests = ImportDeployment(runtime->db, o.path, [&](const std::string& t, std::int64_t n) {
      if (isatty(2))
        std::fprintf(stderr, "\r导入 %-28s %lld 行\n", t.c_str(), static_cast<long long>(n));
    });
    if (!digests) return Report(digests.error());
    boost::json::object tables;
    for (const auto& [t, d] : *digests) tables[t] = {{"rows", d.rows}, {"sm3", d.sm3}};
    std::cout << boost::json::serialize(boost::json::object{{"tables", tables}}) << '\n';
    return kOk;
  }
  auto format = FormatFor(o.format, o.path);
  if (!format) return Report(format.error());
  auto bytes = ReadWholeFile(o.path);
  if (!bytes) return Report(bytes.error());
  auto runtime = context.open();
  if (!runtime) return Report(runtime.error());
  ImportCaller caller{
      CommandLineActor(), std::nullopt,
      [](db::Connection&) -> Result<org::SubtreeScope> { return org::SubtreeScope::Everything(); }};
  ImportProgress progress;
  ProgressBar bar(o.kind == "orgs"         ? "导入党组织"
                  : o.kind == "dues-bases" ? "导入党费基数"
                                           : "导入党员");
  progress.on_change = [&] { bar.Show(progress.processed_rows, progress.total_rows); };
  auto outcome = [&]() -> Result<ImportOutcome> {
    if (o.kind == "orgs") {
      return ImportOrgs(runtime->db, caller, *format, *bytes, TodayShanghai(), progress);
    }
    if (o.kind == "dues-bases") {
      return ImportDuesBases(runtime->db, runtime->cipher, caller, *format, *bytes, progress);
    }
    return ImportMembers(runtime->db, runtime->cipher, caller, *format, *bytes, TodayShanghai(),
                         progress);
  }();
  bar.Show(progress.processed_rows, progress.total_rows);
  bar.Done();
  if (!outcome) return Report(outcome.error());
  if (!outcome->errors.empty()) {
    std::cerr << "文件中有 " << outcome->errors.size() << " 处错误，未导入任何数据：\n";
    for (const auto& e : outcome->errors) {
      std::cerr << "第 " << e.row << " 行";
      if (!e.column.empty()) std::cerr << "「" << e.column << "」";
      if (!e.value.empty()) std::cerr << "（" << e.value << "）";
      std::cerr << "：" << e.message << '\n';
    }
    return kUserError;
  }
  std::cout << boost::json::serialize(boost::json::object{{"kind", o.kind},
                                                          {"rows", outcome->total_rows},
                                                          {"imported", outcome->imported}})
            << '\n';
  return kOk;
}

int RunExport(const CommandContext& context, const Options& o) {
  auto runtime = context.open();
  if (!runtime) return Report(runtime.error());
  if (o.kind == "all") {
    auto digests = ExportDeployment(
        runtime->db, context.key_file, o.path, [&](const std::string& t, std::int64_t n) {
          if (isatty(2)) {
            std::fprintf(stderr, "\r导出 %-28s %lld 行", t.c_str(), static_cast<long long>(n));
          }
        });
    if (isatty(2)) std::fputc('\n', stderr);
    if (!digests) return Report(digests.error());
    boost::json::object tables;
    for (const auto& [t, d] : *digests) tables[t] = {{"rows", d.rows}, {"sm3", d.sm3}};
    std::cout << boost::json::serialize(boost::json::object{{"tables", tables}}) << '\n';
    return kOk;
  }
  auto format = FormatFor(o.format, o.path);
  if (!format) return Report(format.error());
  std::ofstream out;
  if (*format != FileFormat::kXlsx) {
    out.open(o.path, std::ios::binary | std::ios::trunc);
    if (!out) return Report(Error::Invalid("export.file_failed", "无法写入文件 " + o.path, "file"));
  }
  bool members = o.kind == "members";
  auto sink = OpenSink(*format, members ? MemberSinkColumns() : OrgSinkColumns(), out, o.path,
                       members ? "党员名册" : "党组织");
  if (!sink) return Report(sink.error());
  auto count = runtime->db.Read([&](db::Connection& c) -> Result<std::int64_t> {
    if (!members) return ExportOrgs(c, o.org, **sink);
    std::optional<std::int64_t> org_id;
    auto scope = org::SubtreeScope::Everything();
    if (!o.org.empty()) {
      auto root = org::GetOrgByCode(c, scope, o.org);
      if (!root) return Fail(root.error());
      org_id = root->id;
    }
    auto summary = ExportMembers(c, scope, runtime->cipher, org_id, o.unmasked, **sink);
    if (!summary) return Fail(summary.error());
    return summary->members;
  });
  if (!count) return Report(count.error());
  auto finished = (*sink)->Finish();
  if (!finished) return Report(finished.error());
  auto logged = audit::AppendAlone(runtime->db, {CommandLineActor(),
                                                 members ? "member.export" : "org.export",
                                                 o.org.empty() ? "all" : "org:" + o.org,
                                                 "success",
                                                 {{"rows", *count},
                                                  {"format", std::string(FormatName(*format))},
                                                  {"unmasked", o.unmasked},
                                                  {"file", o.path}}});
  if (!logged) return Report(logged.error());
  std::cout << boost::json::serialize(boost::json::object{{"kind", o.kind}, {"rows", *count}})
            << '\n';
  return kOk;
}

}  // namespace

void RegisterCommands(CommandRegistry& registry) {
  auto in = std::make_shared<Options>();
  CLI::App* import_cmd = registry.Add(
      "import", "从文件导入党员、党组织或党费基数（全部成功或全部不导入），或从目录导入整个系统",
      [in](const CommandContext& context) { return RunImport(context, *in); });
  import_cmd
      ->add_option("KIND", in->kind,
                   "members（党员）、orgs（党组织）、dues-bases（党费基数）或 all（整个系统）")
      ->required()
      ->check(CLI::IsMember({"members", "orgs", "dues-bases", "all"}));
  import_cmd->add_option("FILE", in->path, "文件（.csv .jsonl .xlsx），all 时为导出目录")
      ->required();
  import_cmd->add_option("--format", in->format, "csv、jsonl 或 xlsx（默认按扩展名）")
      ->check(CLI::IsMember({"csv", "jsonl", "ndjson", "xlsx"}));

  auto out = std::make_shared<Options>();
  CLI::App* export_cmd =
      registry.Add("export", "把党员或党组织导出到文件，或把整个系统导出到目录（可换库导入）",
                   [out](const CommandContext& context) { return RunExport(context, *out); });
  export_cmd->add_option("KIND", out->kind, "members（党员）、orgs（党组织）或 all（整个系统）")
      ->required()
      ->check(CLI::IsMember({"members", "orgs", "all"}));
  export_cmd->add_option("FILE", out->path, "文件（.csv .jsonl .xlsx），all 时为新目录")
      ->required();
  export_cmd->add_option("--format", out->format, "csv、jsonl 或 xlsx（默认按扩展名）")
      ->check(CLI::IsMember({"csv", "jsonl", "ndjson", "xlsx"}));
  export_cmd->add_option("--org", out->org, "只导出此组织编码的下级（含本级）");
  export_cmd->add_flag("--unmasked", out->unmasked, "党员的身份证号和手机号不脱敏（记入审计）");
}

}  // namespace zhibu::exchange
