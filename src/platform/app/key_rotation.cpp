#include "platform/app/key_rotation.h"

#include "platform/audit/audit_trail.h"
#include "platform/module/manifest.h"

namespace zhibu {

std::vector<EncryptedColumn> AllEncryptedColumns() {
  std::vector<EncryptedColumn> all = {{"account", "id", "totp_secret", ""}};
  for (const ModuleManifest* module : AllModules()) {
    for (const auto& c : module->encrypted_columns) all.push_back(c);
  }
  return all;
}

Result<RotationReport> RotateKeys(db::Database& db, const std::string& key_file,
                                  const std::vector<EncryptedColumn>& columns) {
  auto version = crypto::AddKeyVersion(key_file);
  if (!version) return Fail(version.error());
  auto keys = crypto::LoadKeyFile(key_file);
  if (!keys) return Fail(keys.error());
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
