#pragma once
//! Deployment settings: the local practice a county or city decides (the validity of a transfer
//! letter, the day of 主题党日, the 党课 frequency). National rules are code; local ones are
//! settings, each declared by a module with its default, bounds and source, changed only through
//! `PUT /api/v1/settings/{key}` (audited) and read in the transaction that needs them.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "platform/auth/identity.h"
#include "platform/db/database.h"
#include "platform/http/router.h"

namespace zhibu::settings {

//! One integer setting a module declares in its manifest.
struct SettingSpec {
  std::string key;    //!< `module.name`, e.g. `member.transfer_letter_validity_days`
  std::string title;  //!< Chinese
  std::string unit;   //!< Chinese, e.g. `天`
  std::int64_t default_value = 0;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::string source;  //!< why this default: the practice or document it follows
};

//! Every setting of every module, in module order.
std::vector<SettingSpec> AllSettings();

//! The declaration of `key`, or null.
const SettingSpec* FindSetting(std::string_view key);

//! The current value of `key` (the stored one, else the default). An undeclared key is a bug
//! (std::logic_error).
Result<std::int64_t> Integer(db::Connection& c, std::string_view key);

//! Sets `key` to `value` within its bounds, audited with before and after (400 naming `value`
//! when out of bounds; 404 `setting.not_found` for an unknown key).
Result<boost::json::object> SetInteger(db::Connection& c, const audit::Actor& actor,
                                       std::int64_t account_id, std::string_view key,
                                       std::int64_t value);

//! Registers GET /api/v1/settings (any signed-in account) and PUT /api/v1/settings/{key}
//! (permission `setting.change`).
void RegisterSettingsRoutes(http::Router& router, auth::IdentityService& identity,
                            db::Database& db);

}  // namespace zhibu::settings
