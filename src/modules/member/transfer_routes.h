#pragma once
//! The HTTP face of 组织关系转接 (/api/v1/transfers) and of 流动党员/失联/registry corrections
//! (/api/v1/members/{id}/mobility, /lost-contact, PATCH /api/v1/members/{id},
//! /api/v1/orgs/{id}/attached-members). The contract is docs/api-org-member.md.

#include "platform/module/manifest.h"

namespace zhibu::member {

//! Registers the transfer routes.
void RegisterTransferRoutes(ModuleContext& context);

//! Registers the mobility, lost-contact, correction and attached-member routes.
void RegisterMobilityRoutes(ModuleContext& context);

}  // namespace zhibu::member
