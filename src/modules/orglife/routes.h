#pragma once
//! The HTTP face of 组织生活纪实: /api/v1/meetings (list, create, read, edit, submit, withdraw,
//! review, archive, correct) and its vocabulary. Every route is scoped to the caller's subtree for
//! its permission (orglife.read, orglife.write, orglife.review); an id outside answers 404.

#include "platform/module/manifest.h"

namespace zhibu::orglife {

inline constexpr std::string_view kReadPermission = "orglife.read";
inline constexpr std::string_view kWritePermission = "orglife.write";
inline constexpr std::string_view kReviewPermission = "orglife.review";

//! Registers the routes.
void RegisterRoutes(ModuleContext& context);

}  // namespace zhibu::orglife
