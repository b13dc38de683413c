#pragma once
//! The HTTP face of 组织生活纪实: /api/v1/meetings (list, create, read, edit, submit, withdraw,
//! review, archive, correct), its vocabulary, and the review's checklist, queue, problem
//! statistics and compliance board. Every route is scoped to the caller's subtree for
//! its permission (orglife.read, orglife.write, orglife.review); an id outside answers 404.

#include "platform/module/manifest.h"

namespace zhibu::orglife {

inline constexpr std::string_view kReadPermission = "orglife.read";
inline constexpr std::string_view kWritePermission = "orglife.write";
inline constexpr std::string_view kReviewPermission = "orglife.review";

//! Registers the routes (and RegisterReviewRoutes).
void RegisterRoutes(ModuleContext& context);

//! Registers the review's routes (review_routes.cpp): the checklist (read: orglife.read; add and
//! retire items: setting.change, as every local setting), the review queue (orglife.review), the
//! problem statistics and the compliance board of a subtree (orglife.read).
void RegisterReviewRoutes(ModuleContext& context);

}  // namespace zhibu::orglife
