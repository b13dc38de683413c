#include "platform/app/application.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "platform/app/health.h"
#include "platform/app/key_rotation.h"
#include "platform/audit/audit_trail.h"
#include "platform/auth/auth_routes.h"
#include "platform/db/migrations.h"
#include "platform/module/manifest.h"
#include "platform/settings/settings.h"
#include "platform/util/embedded.h"

namespace zhibu {

Result<std::unique_ptr<Application>> Application::Create(const ApplicationOptions& options) {
  for (const auto& name : options.enabled_optional_modules) {
    bool found = false;
    for (const ModuleManifest* m : AllModules()) found = found || (m->name == name && m->optional);
    if (!found) {
      return Fail(
          Error::Invalid("module.unknown", "没有名为 " + name + " 的可选模块", "enable-module"));
    }
  }
  auto db = db::Database::Open(options.db_url, options.db_options);
  if (!db) return Fail(db.error());
  auto migrations = AllMigrations();
  if (options.migrate) {
    auto report = db::ApplyMigrations(**db, migrations);
    if (!report) return Fail(report.error());
    for (const auto& applied : report->applied) spdlog::info("migration applied: {}", applied);
  } else if (auto current = db::CheckSchemaCurrent(**db, migrations); !current) {
    return Fail(current.error());
  }

  if (!std::filesystem::exists(options.key_file)) {
    // Another server on this database already encrypts with its key: a new one would not do.
    auto has_keys = DatabaseHasKeys(**db);
    if (!has_keys) return Fail(has_keys.error());
    if (*has_keys) {
      return Fail(Error::Invalid("crypto.key_file_missing",
                                 "密钥文件 " + options.key_file +
                                     " 不存在，而数据库已有加密数据：请复制其他服务器的密钥文件",
                                 "key-file"));
    }
  }
  auto created = crypto::EnsureKeyFile(options.key_file);
  if (!created) return Fail(created.error());
  if (*created) {
    spdlog::warn("created the field-encryption key file {} — back it up apart from the database",
                 options.key_file);
  }
  auto keys = crypto::LoadKeyFile(options.key_file);
  if (!keys) return Fail(keys.error());
  if (auto ok = CheckKeysMatchDatabase(**db, *keys); !ok) return Fail(ok.error());
  auto cipher = std::make_unique<crypto::FieldCipher>(*keys);

  auto router = std::make_shared<http::Router>();
  std::unique_ptr<Application> app(
      new Application(std::move(*db), router, options.auth, std::move(cipher)));
  app->db_url_ = options.db_url;
  app->RegisterPlatformRoutes(*router);
  auth::RegisterAuthRoutes(*router, *app->identity_, *app->db_);
  settings::RegisterSettingsRoutes(*router, *app->identity_, *app->db_);
  ApplyModuleRolePermissions();
  ModuleContext context{*app->db_, *router, *app->identity_, *app->cipher_};
  for (const ModuleManifest* module : ModulesInDependencyOrder()) {
    if (!module->register_routes) continue;
    if (module->optional && !options.enabled_optional_modules.contains(module->name)) continue;
    module->register_routes(context);
  }
  return app;
}

std::string DefaultKeyFile(const std::string& db_url) {
  const char* env = std::getenv("ZHIBU_KEY_FILE");
  if (env != nullptr && *env != '\0') return env;
  constexpr std::string_view kSqlite = "sqlite:";
  if (db_url.rfind(kSqlite, 0) == 0 && db_url != "sqlite::memory:") {
    return db_url.substr(kSqlite.size()) + ".key";
  }
  return "zhibu.key";
}

void Application::RegisterPlatformRoutes(http::Router& router) {
  auto probe = std::make_shared<HealthProbe>(*db_);
  std::string backend(db::BackendName(db_->backend()));
  router.Add(
      http::Method::kGet, "/healthz",
      [probe, backend](http::Request&) {
        bool up = probe->DatabaseUp();
        boost::json::object body{
            {"status", up ? "ok" : "unavailable"}, {"db", backend}, {"version", ZHIBU_VERSION}};
        return http::Response::Json(up ? 200 : 503, body);
      },
      "健康检查（无需登录）");

  std::string document;
  for (const auto& file : embedded::openapi_document()) {
    if (file.path == "openapi.json") document = std::string(file.contents);
  }
  router.Add(
      http::Method::kGet, "/api/v1/openapi.json",
      [document](http::Request&) {
        http::Response r;
        r.body = document;
        return r;
      },
      "OpenAPI 3 接口文档");
}

http::Handler Application::Pipeline(std::shared_ptr<const http::StaticFiles> static_files,
                                    std::shared_ptr<http::AccessLog> access_log) const {
  return http::BuildPipeline(router_, http::StandardMiddleware(std::move(access_log)),
                             std::move(static_files));
}

namespace {

//! Taken by a server loading the demo, so that others starting at once wait for it.
constexpr std::string_view kPostgresDemoLock = "SELECT pg_advisory_xact_lock(727370)";

//! An exclusive flock(2) on a file, released when closed. Not on the database file itself:
//! closing another descriptor of it would drop SQLite's own (fcntl) locks.
class LockFile {
 public:
  explicit LockFile(const std::string& path)
      : fd_(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~LockFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;

 private:
  int fd_;
};

}  // namespace

Result<std::vector<std::string>> Application::LoadDemo() {
  if (db_->backend() == db::Backend::kPostgres) {
    // The lock is held by a transaction on a connection of its own while the loaders write
    // through the pool.
    db::DatabaseOptions one;
    one.pool_size = 1;
    auto lock_db = db::Database::Open(db_url_, one);
    if (!lock_db) return Fail(lock_db.error());
    return (*lock_db)->Write([&](db::Connection& c) -> Result<std::vector<std::string>> {
      if (auto locked = c.Query(kPostgresDemoLock); !locked) return Fail(locked.error());
      return LoadDemoNow();
    });
  }
  constexpr std::string_view kSqlite = "sqlite:";
  std::optional<LockFile> lock;
  if (db_url_.rfind(kSqlite, 0) == 0 && db_url_ != "sqlite::memory:") {
    lock.emplace(db_url_.substr(kSqlite.size()) + ".demo-lock");
  }
  return LoadDemoNow();
}

Result<std::vector<std::string>> Application::LoadDemoNow() {
  std::vector<std::string> lines;
  // The three administrators (三员), once: only a database without any account gets them.
  auto accounts = identity_->ListAccounts();
  if (!accounts) return Fail(accounts.error());
  if (accounts->empty()) {
    audit::Actor actor{std::nullopt, "demo", "", std::nullopt, "local"};
    const std::array<std::array<std::string_view, 3>, 3> admins = {{
        {"sysadmin", "演示系统管理员", "system_admin"},
        {"secadmin", "演示安全管理员", "security_admin"},
        {"auditor", "演示审计管理员", "audit_admin"},
    }};
    for (const auto& [username, name, role] : admins) {
      auto created = identity_->CreateAccount(actor, username, name, "", /*must_change=*/true);
      if (!created) return Fail(created.error());
      auto granted = identity_->GrantRole(actor, created->account.id, role, std::nullopt);
      if (!granted) return Fail(granted.error());
      lines.push_back("登录 " + std::string(username) + "（" + std::string(role) + "）初始密码 " +
                      created->password + "（只显示这一次；首次登录须改密码并绑定身份验证器）");
    }
  }
  DemoContext demo{*db_, *identity_, *cipher_, lines};
  for (const ModuleManifest* module : ModulesInDependencyOrder()) {
    if (!module->load_demo) continue;
    auto summary = module->load_demo(demo);
    if (!summary) return Fail(summary.error());
    if (!summary->empty()) lines.push_back(module->title + "：" + *summary);
  }
  return lines;
}

}  // namespace zhibu
