#pragma once
//! SubtreeScope: what part of the organisation tree a caller may see for one permission. A grant
//! is (role, organisation) and covers that organisation's whole subtree (spec 02 "Access"), so a
//! scope is a set of materialised-path prefixes; every store query adds `Condition()` to its WHERE
//! clause, and a row outside answers 404 exactly like a row that does not exist.

#include <string>
#include <string_view>
#include <vector>

#include "platform/auth/identity.h"
#include "platform/db/database.h"

namespace zhibu::org {

class SubtreeScope {
 public:
  //! The whole deployment (the command line, system-wide roles).
  static SubtreeScope Everything();
  //! Exactly the subtrees under these paths (`/1/7/`).
  static SubtreeScope Of(std::vector<std::string> paths);

  //! The scope of `principal` for `permission`: the subtrees of the organisations of every grant
  //! whose role carries `permission` (grants on organisations no longer active still cover what
  //! now lies under them). A system-wide role carrying it sees everything. Without any such grant
  //! the scope is empty and every query answers nothing.
  static Result<SubtreeScope> For(db::Connection& connection, const auth::Principal& principal,
                                  std::string_view permission);

  bool everything() const { return everything_; }
  bool empty() const { return !everything_ && paths_.empty(); }
  //! The subtree roots' paths, none inside another.
  const std::vector<std::string>& paths() const { return paths_; }

  //! Whether an organisation at `path` lies inside.
  bool Contains(std::string_view path) const;

  //! A SQL condition restricting `path_column` to the scope, binding the bounds as parameters
  //! numbered after those already in `params` (appended to it). `1=1` for everything, `1=0` for an
  //! empty scope.
  std::string Condition(std::string_view path_column, std::vector<db::Value>& params) const;

 private:
  bool everything_ = false;
  std::vector<std::string> paths_;
};

//! The exclusive upper bound of the subtree under `path`: the same text with the final `/`
//! replaced by `0`, the next byte after `/`.
std::string SubtreeEnd(std::string_view path);

}  // namespace zhibu::org
