#include "platform/cli/cli.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "platform/app/application.h"
#include "platform/app/key_rotation.h"
#include "platform/app/periodic.h"
#include "platform/audit/audit_trail.h"
#include "platform/db/migrations.h"
#include "platform/http/server.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"
#include "platform/util/log_sink.h"

namespace zhibu::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUserError = 1;
constexpr int kExitUsage = 2;

//! Options every command shares.
struct CommonOptions {
  std::string db_url;
  std::string log_level;
  std::string key_file;  //!< empty: DefaultKeyFile(db_url)

  std::string KeyFile() const { return key_file.empty() ? DefaultKeyFile(db_url) : key_file; }
  ApplicationOptions App() const {
    ApplicationOptions options;
    options.db_url = db_url;
    options.key_file = KeyFile();
    return options;
  }
};

//! Prints an expected failure as one line and answers exit code 1.
int Report(const Error& error) {
  std::cerr << "错误 [" << error.code << "]：" << error.message;
  if (!error.field.empty()) std::cerr << "（字段：" << error.field << "）";
  std::cerr << '\n';
  return kExitUserError;
}

void SetUpLogging(const std::string& level, bool async) {
  std::shared_ptr<spdlog::logger> logger;
  if (async) {
    // The server logs from many threads; one background thread formats and writes.
    spdlog::init_thread_pool(8192, 1);
    logger = std::make_shared<spdlog::async_logger>("zhibu", std::make_shared<BufferedStderrSink>(),
                                                    spdlog::thread_pool(),
                                                    spdlog::async_overflow_policy::block);
    logger->flush_on(spdlog::level::warn);
    spdlog::flush_every(std::chrono::seconds(1));
  } else {
    logger = spdlog::stderr_logger_mt("zhibu");
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

std::string DefaultDbUrl() {
  const char* env = std::getenv("ZHIBU_DB");
  return env != nullptr && *env != '\0' ? env : "sqlite:zhibu.db";
}

//! Splits `host:port` (IPv6 as `[::1]:8080`).
Result<std::pair<std::string, std::uint16_t>> ParseListen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    return Fail(Error::Invalid("cli.listen_invalid", "监听地址应为 主机:端口，如 127.0.0.1:8080",
                               "listen"));
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = -1;
  try {
    std::size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    return Fail(Error::Invalid("cli.listen_invalid", "端口应为 0–65535 的整数", "listen"));
  }
  return std::pair{host, static_cast<std::uint16_t>(port)};
}

//! The web console build to serve: the explicit option, else the first that exists of
//! <binary>/../share/zhibu/web, ./web/dist.
std::optional<std::filesystem::path> FindWebRoot(const std::string& option) {
  if (!option.empty()) return std::filesystem::path(option);
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::filesystem::path> candidates;
  if (!ec) candidates.push_back(exe.parent_path() / ".." / "share" / "zhibu" / "web");
  candidates.emplace_back("web/dist");
  for (const auto& c : candidates) {
    if (std::filesystem::is_regular_file(c / "index.html", ec)) return c;
  }
  return std::nullopt;
}

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  int threads = 0;
  std::string web_root;
  bool demo = false;
  std::vector<std::string> enable_modules;
  std::string port_file;
  std::size_t max_body_bytes = 1u << 20;
  int shutdown_grace_seconds = 30;
  int pool_size = 0;
  auth::AuthSettings auth;
  int idle_minutes = 30;
  int lockout_minutes = 15;
  bool insecure_cookie = false;
  std::vector<std::string> trusted_proxies;
};

int Serve(const CommonOptions& common, const ServeOptions& serve) {
  auto listen = ParseListen(serve.listen);
  if (!listen) return Report(listen.error());
  for (const auto& proxy : serve.trusted_proxies) {
    boost::system::error_code ec;
    (void)boost::asio::ip::make_address(proxy, ec);
    if (ec) {
      return Report(Error::Invalid("serve.trusted_proxy_invalid",
                                   "--trusted-proxy 须为 IP 地址：" + proxy, "trusted-proxy"));
    }
  }
  int threads = serve.threads > 0
                    ? serve.threads
                    : std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));

  ApplicationOptions app_options = common.App();
  app_options.db_options.pool_size = serve.pool_size > 0 ? serve.pool_size : threads;
  app_options.enabled_optional_modules = {serve.enable_modules.begin(), serve.enable_modules.end()};
  app_options.auth = serve.auth;
  app_options.auth.idle_timeout = std::chrono::minutes(serve.idle_minutes);
  app_options.auth.lockout = std::chrono::minutes(serve.lockout_minutes);
  app_options.auth.secure_cookie = !serve.insecure_cookie;
  auto app = Application::Create(app_options);
  if (!app) return Report(app.error());

  if (serve.demo) {
    auto loaded = (*app)->LoadDemo();
    if (!loaded) return Report(loaded.error());
    if (loaded->empty()) std::cout << "演示数据：已载入过（账号已存在），不再重复\n";
    for (const auto& line : *loaded) std::cout << "演示数据 " << line << '\n';
  }

  std::shared_ptr<const http::StaticFiles> static_files;
  if (auto root = FindWebRoot(serve.web_root)) {
    auto loaded = http::StaticFiles::Load(*root);
    if (!loaded) return Report(loaded.error());
    spdlog::info("serving the web console from {} ({} files)", root->string(),
                 loaded->file_count());
    static_files = std::make_shared<http::StaticFiles>(std::move(*loaded));
  } else {
    spdlog::warn("web console not built (no web/dist/index.html); serving the API only");
  }

  http::ServerOptions options;
  options.trusted_proxies = serve.trusted_proxies;
  options.host = listen->first;
  options.port = listen->second;
  options.threads = threads;
  options.max_body_bytes = serve.max_body_bytes;
  options.body_limit_for = [router = (*app)->router()](http::Method method, std::string_view path) {
    return router->BodyLimit(method, path);
  };
  options.shutdown_grace = std::chrono::seconds(serve.shutdown_grace_seconds);
  // Access lines are info-level: kept unless the operator asks for warnings only.
  std::shared_ptr<http::AccessLog> access_log;
  if (spdlog::get_level() <= spdlog::level::info) access_log = std::make_shared<http::AccessLog>();
  http::Server server(options, (*app)->Pipeline(static_files, access_log));
  auto port = server.Listen();
  if (!port) return Report(port.error());
  if (!serve.port_file.empty()) {
    std::string tmp = serve.port_file + ".tmp";
    std::ofstream(tmp) << *port << '\n';
    std::filesystem::rename(tmp, serve.port_file);
  }
  std::cout << "zhibu " << ZHIBU_VERSION << " listening on http://"
            << serve.listen.substr(0, serve.listen.rfind(':')) << ':' << *port << " (db "
            << (*app)->db().DisplayUrl() << ", " << threads << " threads)" << std::endl;
  PeriodicRunner background((*app)->db(), AllPeriodicTasks());
  bool clean = server.Run();
  background.Stop();
  spdlog::info("stopped {}", clean ? "cleanly" : "after the grace period");
  spdlog::shutdown();
  return clean ? kExitOk : kExitUserError;
}

int Migrate(const CommonOptions& common, bool check_only) {
  auto db = db::Database::Open(common.db_url);
  if (!db) return Report(db.error());
  auto migrations = AllMigrations();
  if (check_only) {
    if (auto ok = db::CheckSchemaCurrent(**db, migrations); !ok) return Report(ok.error());
    std::cout << "数据库结构已是最新（" << migrations.size() << " 个迁移）\n";
    return kExitOk;
  }
  auto report = db::ApplyMigrations(**db, migrations);
  if (!report) return Report(report.error());
  for (const auto& line : report->applied) std::cout << "已执行迁移 " << line << '\n';
  std::cout << "完成：新执行 " << report->applied.size() << " 个，之前已执行 "
            << report->already_applied << " 个\n";
  return kExitOk;
}

int Backup(const CommonOptions& common, const std::string& file) {
  auto db = db::Database::Open(common.db_url);
  if (!db) return Report(db.error());
  if (auto ok = db::CheckSchemaCurrent(**db, AllMigrations());
      !ok && ok.error().code == "db.schema_too_new") {
    return Report(ok.error());
  }
  if (auto ok = (*db)->Backup(file); !ok) return Report(ok.error());
  std::cout << "已备份到 " << file << '\n';
  return kExitOk;
}

int Restore(const CommonOptions& common, const std::string& file) {
  auto db = db::Database::Open(common.db_url);
  if (!db) return Report(db.error());
  if ((*db)->backend() == db::Backend::kSqlite) {
    // Refuse a copy written by a newer binary before touching anything.
    auto source = db::Database::Open("sqlite:" + file);
    if (!source) return Report(source.error());
    if (auto ok = db::CheckSchemaCurrent(**source, AllMigrations());
        !ok && ok.error().code == "db.schema_too_new") {
      return Report(ok.error());
    }
  }
  if (auto ok = (*db)->Restore(file); !ok) return Report(ok.error());
  auto report = db::ApplyMigrations(**db, AllMigrations());
  if (!report) return Report(report.error());
  std::cout << "已从 " << file << " 恢复";
  if (!report->applied.empty()) std::cout << "，并执行了 " << report->applied.size() << " 个新迁移";
  std::cout << '\n';
  return kExitOk;
}

//! The actor for changes made from the command line: the operating-system user.
audit::Actor CliActor() {
  const char* user = std::getenv("USER");
  return audit::Actor{std::nullopt, std::string("cli:") + (user != nullptr ? user : "unknown"), "",
                      std::nullopt, "local"};
}

struct AdminCreateOptions {
  std::string username;
  std::string display_name;
  std::string role;
};

//! `zhibu admin create`: the first administrators. No default password exists anywhere: a strong
//! one is generated, printed once, and must be changed at first login.
int AdminCreate(const CommonOptions& common, const AdminCreateOptions& options) {
  auto app = Application::Create(common.App());
  if (!app) return Report(app.error());
  auto& identity = (*app)->identity();
  auto created =
      identity.CreateAccount(CliActor(), options.username,
                             options.display_name.empty() ? options.username : options.display_name,
                             "", /*must_change=*/true);
  if (!created) return Report(created.error());
  if (!options.role.empty()) {
    auto granted = identity.GrantRole(CliActor(), created->account.id, options.role, std::nullopt);
    if (!granted) return Report(granted.error());
  }
  std::cout << "已创建账号 " << options.username
            << (options.role.empty() ? "" : "（" + options.role + "）")
            << "\n初始密码（只显示这一次，首次登录须修改）：" << created->password << '\n';
  return kExitOk;
}

int AdminResetPassword(const CommonOptions& common, const std::string& username) {
  auto app = Application::Create(common.App());
  if (!app) return Report(app.error());
  auto& identity = (*app)->identity();
  auto id = identity.FindAccountId(username);
  if (!id) return Report(id.error());
  auto password = identity.ResetPassword(CliActor(), *id);
  if (!password) return Report(password.error());
  std::cout << "已重置 " << username
            << " 的密码（并结束其所有会话）\n新密码（只显示这一次，登录后须修改）：" << *password
            << '\n';
  return kExitOk;
}

int AdminRotateKeys(const CommonOptions& common) {
  auto app = Application::Create(common.App());  // migrates, and checks the key file loads
  if (!app) return Report(app.error());
  auto report = RotateKeys((*app)->db(), common.KeyFile(), AllEncryptedColumns());
  if (!report) return Report(report.error());
  std::cout << "已启用第 " << report->new_version << " 版密钥，重新加密 " << report->re_encrypted
            << " 个字段值；旧版本密钥仍保留在 " << common.KeyFile() << " 中以读取旧备份\n";
  return kExitOk;
}

//! `zhibu audit verify`: exit 0 when the chain holds, 1 naming the first broken link.
int AuditVerify(const CommonOptions& common) {
  auto db = db::Database::Open(common.db_url);
  if (!db) return Report(db.error());
  if (auto ok = db::CheckSchemaCurrent(**db, AllMigrations()); !ok) return Report(ok.error());
  auto report = audit::Verify(**db);
  if (!report) return Report(report.error());
  if (report->first_broken_seq) {
    std::cout << "{\"intact\":false,\"events\":" << report->events
              << ",\"first_broken_seq\":" << *report->first_broken_seq << "}\n";
    std::cerr << "审计链断裂：" << report->problem << '\n';
    return kExitUserError;
  }
  std::cout << "{\"intact\":true,\"events\":" << report->events << "}\n";
  return kExitOk;
}

struct ArchiveOptions {
  std::string before;
  std::string file;
  int retention_days = audit::kMinRetentionDays;
};

//! `zhibu audit archive`: events older than the retention period to a file, with a chain anchor.
int AuditArchive(const CommonOptions& common, const ArchiveOptions& options) {
  auto db = db::Database::Open(common.db_url);
  if (!db) return Report(db.error());
  if (auto ok = db::CheckSchemaCurrent(**db, AllMigrations()); !ok) return Report(ok.error());
  auto report =
      audit::Archive(**db, options.file, options.before, TodayShanghai(), options.retention_days);
  if (!report) return Report(report.error());
  std::cout << "{\"archived\":" << report->events << ",\"through_seq\":" << report->through_seq
            << ",\"file_sm3\":\"" << report->file_sm3 << "\"}\n";
  return kExitOk;
}

//! Collects the modules' subcommands.
class ModuleCommands final : public CommandRegistry {
 public:
  ModuleCommands(CLI::App& app, std::function<void(CLI::App*)> add_common)
      : app_(app), add_common_(std::move(add_common)) {}

  CLI::App* Add(const std::string& name, const std::string& description,
                std::function<int(const CommandContext&)> run) override {
    CLI::App* sub = app_.add_subcommand(name, description);
    add_common_(sub);
    commands_.emplace_back(sub, std::move(run));
    return sub;
  }

  //! Runs the chosen module command, if one was chosen.
  std::optional<int> RunChosen(const CommandContext& context) const {
    for (const auto& [sub, run] : commands_) {
      if (sub->parsed()) return run(context);
    }
    return std::nullopt;
  }

 private:
  CLI::App& app_;
  std::function<void(CLI::App*)> add_common_;
  std::vector<std::pair<CLI::App*, std::function<int(const CommandContext&)>>> commands_;
};

}  // namespace

int Run(int argc, char** argv) {
  // Every time Zhibu prints or stores is Asia/Shanghai (UTC+8, no daylight saving); the POSIX form
  // needs no tzdata on the machine.
  ::setenv("TZ", "CST-8", 1);
  ::tzset();
  CLI::App app{"Zhibu（支部）— 基层党建综合管理平台\nZhibu — grassroots Party-building platform",
               "zhibu"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("zhibu ") + ZHIBU_VERSION);

  CommonOptions common;
  common.db_url = DefaultDbUrl();
  common.log_level = "info";
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--db", common.db_url,
                    "数据库：sqlite:路径（默认，环境变量 ZHIBU_DB）或 postgres://用户@主机:端口/库")
        ->capture_default_str();
    cmd->add_option("--key-file", common.key_file,
                    "字段加密密钥文件（默认 $ZHIBU_KEY_FILE，或 SQLite 文件旁的 .key）");
    cmd->add_option("--log-level", common.log_level, "日志级别：trace debug info warn error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
        ->capture_default_str();
  };

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "迁移数据库并启动 HTTP 服务（API 与网页控制台）");
  add_common(serve_cmd);
  serve_cmd->add_option("--listen", serve.listen, "监听地址 主机:端口（端口 0 由系统分配）")
      ->capture_default_str();
  serve_cmd->add_option("--threads", serve.threads, "工作线程数（默认 max(4, 2×CPU)）")
      ->check(CLI::Range(0, 256));
  serve_cmd->add_option("--pool-size", serve.pool_size, "数据库连接池大小（默认等于线程数）")
      ->check(CLI::Range(0, 512));
  serve_cmd->add_option("--web-root", serve.web_root, "网页控制台构建目录（默认 web/dist）");
  serve_cmd->add_flag("--demo", serve.demo, "首次启动时载入演示县数据");
  serve_cmd->add_option("--enable-module", serve.enable_modules,
                        "启用可选模块（如 diagnostics：供测试与压测使用的诊断接口）");
  serve_cmd->add_option("--port-file", serve.port_file, "监听成功后把实际端口写入此文件");
  serve_cmd->add_option("--max-body-bytes", serve.max_body_bytes, "请求体上限（字节）")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{512} << 20))
      ->capture_default_str();
  serve_cmd
      ->add_option("--shutdown-grace", serve.shutdown_grace_seconds,
                   "收到 SIGTERM 后等待进行中请求完成的秒数")
      ->check(CLI::Range(0, 3600))
      ->capture_default_str();

  serve_cmd->add_option("--session-idle-minutes", serve.idle_minutes, "会话空闲超时（分钟）")
      ->check(CLI::Range(1, 24 * 60))
      ->capture_default_str();
  serve_cmd
      ->add_option("--lockout-minutes", serve.lockout_minutes,
                   "连续 5 次登录失败后锁定账号的分钟数")
      ->check(CLI::Range(1, 24 * 60))
      ->capture_default_str();
  serve_cmd
      ->add_option("--password-max-age-days", serve.auth.password_max_age_days,
                   "密码有效期（天，0 为不过期）")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  serve_cmd->add_flag("--insecure-cookie", serve.insecure_cookie,
                      "会话 Cookie 不加 Secure（仅限无 TLS 的内网测试）");
  serve_cmd->add_option("--trusted-proxy", serve.trusted_proxies,
                        "反向代理的 IP 地址（可重复）：来自它的请求按 X-Forwarded-For "
                        "最右侧的非代理地址认定客户端地址（登录限流、审计按此地址）");

  bool check_only = false;
  auto* migrate_cmd =
      app.add_subcommand("migrate", "执行待执行的数据库迁移；拒绝比程序更新的数据库");
  add_common(migrate_cmd);
  migrate_cmd->add_flag("--check", check_only, "只检查，不修改");

  std::string backup_file;
  auto* backup_cmd =
      app.add_subcommand("backup", "在线备份整个数据库到文件（SQLite 备份接口 / pg_dump）");
  add_common(backup_cmd);
  backup_cmd->add_option("FILE", backup_file, "备份文件")->required();

  std::string restore_file;
  auto* restore_cmd = app.add_subcommand("restore", "用备份文件替换整个数据库（须先停止服务）");
  add_common(restore_cmd);
  restore_cmd->add_option("FILE", restore_file, "备份文件")->required()->check(CLI::ExistingFile);

  AdminCreateOptions admin_create;
  auto* admin_cmd = app.add_subcommand("admin", "管理账号：创建首批管理员、重置密码");
  admin_cmd->require_subcommand(1);
  auto* admin_create_cmd =
      admin_cmd->add_subcommand("create", "创建账号并生成初始密码（只显示一次，首次登录须修改）");
  add_common(admin_create_cmd);
  admin_create_cmd->add_option("USERNAME", admin_create.username, "用户名（小写字母、数字、. _ -）")
      ->required();
  admin_create_cmd->add_option("--display-name", admin_create.display_name, "姓名");
  admin_create_cmd->add_option("--role", admin_create.role, "三员角色")
      ->check(CLI::IsMember({"system_admin", "security_admin", "audit_admin"}));
  std::string reset_username;
  auto* admin_reset_cmd =
      admin_cmd->add_subcommand("reset-password", "重置密码并结束该账号的所有会话");
  add_common(admin_reset_cmd);
  admin_reset_cmd->add_option("USERNAME", reset_username, "用户名")->required();

  auto* admin_rotate_cmd =
      admin_cmd->add_subcommand("rotate-keys", "新增一版字段加密密钥并重新加密全部加密字段");
  add_common(admin_rotate_cmd);

  auto* audit_cmd = app.add_subcommand("audit", "审计记录");
  audit_cmd->require_subcommand(1);
  auto* audit_verify_cmd =
      audit_cmd->add_subcommand("verify", "重新校验审计哈希链，指出第一处断裂");
  add_common(audit_verify_cmd);

  ArchiveOptions archive;
  auto* audit_archive_cmd = audit_cmd->add_subcommand(
      "archive", "把保留期以前的审计记录归档到文件（带哈希链锚点），不做无痕删除");
  add_common(audit_archive_cmd);
  audit_archive_cmd->add_option("--before", archive.before, "归档此日期（YYYY-MM-DD）之前的记录")
      ->required();
  audit_archive_cmd->add_option("--file", archive.file, "归档文件（JSON Lines）")->required();
  audit_archive_cmd
      ->add_option("--retention-days", archive.retention_days, "保留天数（不少于 184，只能调高）")
      ->capture_default_str();

  ModuleCommands module_commands(app, add_common);
  for (const ModuleManifest* module : AllModules()) {
    if (module->register_commands) module->register_commands(module_commands);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  SetUpLogging(common.log_level, serve_cmd->parsed());
  if (serve_cmd->parsed()) return Serve(common, serve);
  if (migrate_cmd->parsed()) return Migrate(common, check_only);
  if (backup_cmd->parsed()) return Backup(common, backup_file);
  if (restore_cmd->parsed()) return Restore(common, restore_file);
  if (admin_create_cmd->parsed()) return AdminCreate(common, admin_create);
  if (admin_reset_cmd->parsed()) return AdminResetPassword(common, reset_username);
  if (admin_rotate_cmd->parsed()) return AdminRotateKeys(common);
  if (audit_verify_cmd->parsed()) return AuditVerify(common);
  if (audit_archive_cmd->parsed()) return AuditArchive(common, archive);
  std::unique_ptr<Application> opened;
  auto open = [&common, &opened]() -> Result<CommandRuntime> {
    if (!opened) {
      auto app = Application::Create(common.App());
      if (!app) return Fail(app.error());
      opened = std::move(*app);
    }
    return CommandRuntime{opened->db(), opened->identity(), opened->cipher()};
  };
  if (auto code = module_commands.RunChosen(CommandContext{common.db_url, open, common.KeyFile()}))
    return *code;
  return kExitUsage;
}

}  // namespace zhibu::cli
