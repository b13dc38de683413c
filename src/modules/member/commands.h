#pragma once
//! The member registry's `zhibu` subcommands: `demo` (demo.h) and `stats rebuild`.

#include "platform/module/manifest.h"

namespace zhibu::member {

//! Adds `zhibu demo` and `zhibu stats rebuild`, and installs the tree hooks so that commands
//! writing organisations (`zhibu org add`) keep the statistics' counters right too.
void RegisterCommands(CommandRegistry& registry);

}  // namespace zhibu::member
