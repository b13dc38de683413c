#include "platform/app/key_rotation.h"

#include "platform/audit/audit_trail.h"
#include "platform/crypto/sm3.h"
#include "platform/module/manifest.h"
#include "platform/util/clock.h"

namespace zhibu {

std::vector<EncryptedColumn> AllEncryptedColumns() {
  std::vector<EncryptedColumn> all = {{"account", "id", "totp_secret", ""}};
  for (const ModuleManifest* module : AllModules()) {
    for (const auto& c : module->encrypted_columns) all.push_back(c);
  }
  return all;
}

namespace {

constexpr std::string_view kKeyCheckLabel = "zhibu field key check";
constexpr std::string_view kRecordKeyCheck =
    "INSERT INTO field_key_check (version, check_value, recorded_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (version) DO NOTHING";
constexpr std::string_view kSelectKeyChecks =
    "SELECT version, check_value FROM field_key_check ORDER BY version";
constexpr std::string_view kCountKeyChecks = "SELECT COUNT(*) FROM field_key_check";

}  // namespace

Result<void> CheckKeysMatchDatabase(db::Database& db, const std::map<int, std::string>& keys) {
  return db.Write([&](db::Connection& c) -> Result<void> {
    std::string now = NowShanghaiIso();
    for (const auto& [version, key] : keys) {
      auto recorded = c.Execute(
          kRecordKeyCheck,
          {std::int64_t{version}, crypto::ToHex(crypto::HmacSm3(key, kKeyCheckLabel)), now});
      if (!recorded) return Fail(recorded.error());
    }
    auto rows = c.Query(kSelectKeyChecks);
    if (!rows) return Fail(rows.error());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      int version = static_cast<int>(rows->Int(i, 0));
      auto key = keys.find(version);
      if (key == keys.end()) {
        return Fail(Error::Conflict(
            "crypto.key_version_missing",
            "密钥文件缺少数据库已使用的密钥版本 v" + std::to_string(version) +
                "（密钥轮换后未更新本机的密钥文件？）：请从其他服务器复制最新的密钥文件",
            "key-file"));
      }
      if (rows->Text(i, 1) != crypto::ToHex(crypto::HmacSm3(key->second, kKeyCheckLabel))) {
        return Fail(Error::Conflict(
            "crypto.key_mismatch",
            "密钥文件的 v" + std::to_string(version) +
                " 与数据库所用的密钥不同：连接同一数据库的所有服务器须使用同一个密钥文件",
            "key-file"));
      }
    }
    return {};
  });
}

Result<bool> DatabaseHasKeys(db::Database& db) {
  return db.Read([](db::Connection& c) -> Result<bool> {
    auto rows = c.Query(kCountKeyChecks);
    if (!rows) return Fail(rows.error());
    return rows->Int(0, 0) > 0;
  });
}

Result<RotationReport> RotateKeys(db::Database& db, const std::string& key_file,
                                  const std::vector<EncryptedColumn>& columns) {
  auto version = crypto::AddKeyVersion(key_file);
  if (!version) return Fail(version.error());
  auto keys = crypto::LoadKeyFile(key_file);
  if (!keys) return Fail(keys.error());
  if (auto ok = CheckKeysMatchDatabase(db, *keys); !ok) return Fail(ok.error());
  crypto::FieldCipher cipher(*keys);
  RotationReport report{*version, 0};
  for (const auto& column : columns) {
    // Identifiers come from code (the manifests), never from input.
    std::string select = "SELECT " + column.id_column + ", " + column.column + " FROM " +
                         column.table + " WHERE " + column.column + " IS NOT NULL";
    std::string update =
        "UPDATE " + column.table + " SET " + column.column + " = $2" +
        (column.blind_index_column.empty() ? std::string()
                                           : ", " + column.blind_index_column + " = $3") +
        " WHERE " + column.id_column + " = $1";
    auto changed = db.Write([&](db::Connection& c) -> Result<std::int64_t> {
      auto rows = c.Query(select);
      if (!rows) return Fail(rows.error());
      std::int64_t n = 0;
      for (std::size_t i = 0; i < rows->size(); ++i) {
        const std::string& record = rows->Bytes(i, 1).bytes;
        if (crypto::FieldCipher::VersionOf(record) == cipher.current_version()) continue;
        auto plain = cipher.Decrypt(record);
        if (!plain) return Fail(plain.error());
        auto ok = column.blind_index_column.empty()
                      ? c.Execute(update, {rows->Int(i, 0), db::Blob{cipher.Encrypt(*plain)}})
                      : c.Execute(update, {rows->Int(i, 0), db::Blob{cipher.Encrypt(*plain)},
                                           cipher.BlindIndex(*plain)});
        if (!ok) return Fail(ok.error());
        ++n;
      }
      auto logged = audit::Append(c, {{std::nullopt, "cli", "", std::nullopt, "local"},
                                      "keys.rotate",
                                      column.table + "." + column.column,
                                      "success",
                                      {{"key_version", *version}, {"re_encrypted", n}}});
      if (!logged) return Fail(logged.error());
      return n;
    });
    if (!changed) return Fail(changed.error());
    report.re_encrypted += *changed;
  }
  return report;
}

}  // namespace zhibu
