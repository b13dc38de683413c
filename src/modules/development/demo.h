#pragma once
//! The demo county's 发展党员 (spec 06): in the demo 支部书记's town, applicants, activists and
//! development targets at every stage — some of them due soon or overdue — and the development
//! records of the town's probationary members, whose 支部大会 is their 入党时间 in the registry.
//! Every date is built to satisfy the table's gates and limits.

#include <string>

#include "platform/crypto/field_cipher.h"
#include "platform/db/database.h"

namespace zhibu::development {

//! Loads the demo cases unless there are cases already; answers a one-line summary.
Result<std::string> LoadDemoDevelopment(db::Database& db, const crypto::FieldCipher& cipher,
                                        const std::string& today);

}  // namespace zhibu::development
