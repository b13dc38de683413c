#pragma once
//! The audit trail (审计, GB/T 22239-2019 8.1.4.3): every write, login, permission change, unmask
//! and export is one event — time, actor, role, organisation, action, target, result, client
//! address and a before/after detail — appended in the same transaction as the change it records,
//! so the two commit or vanish together. Events are append-only (the database refuses UPDATE and
//! DELETE) and hash-chained with SM3: each event's hash covers its fields and the previous hash,
//! and `audit_head` holds the last one, so `Verify` finds any changed, removed or inserted event.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/db/database.h"

namespace zhibu::audit {

//! Who acted, in which role, from where. An anonymous actor (a failed login) has no account id.
struct Actor {
  std::optional<std::int64_t> account_id;
  std::string name;  //!< the username, or what an anonymous caller claimed
  std::string role;  //!< the role the action used, or empty
  std::optional<std::int64_t> organisation_id;
  std::string client_address;
};

//! One event before it is written.
struct Event {
  Actor actor;
  std::string action;          //!< `module.verb`, e.g. `auth.login`, `account.create`
  std::string target;          //!< what it acted on, e.g. `account:42`
  std::string result;          //!< `success`, `failure` or `denied`
  boost::json::object detail;  //!< e.g. {"before": {...}, "after": {...}} or {"reason": "..."}
};

//! One event as stored.
struct StoredEvent {
  std::int64_t seq = 0;
  std::string at;
  std::optional<std::int64_t> actor_id;
  std::string actor;
  std::string role;
  std::optional<std::int64_t> organisation_id;
  std::string action;
  std::string target;
  std::string result;
  std::string client_address;
  std::string detail;  //!< JSON text
  std::string prev_hash;
  std::string hash;
};

//! The SM3 hash (hex) of an event's fields chained to `prev_hash`, each field length-prefixed so
//! that no two different events encode alike.
std::string ChainHash(const StoredEvent& event);

//! Appends `event` inside the caller's write transaction (serialised with every other append:
//! `FOR UPDATE` on PostgreSQL, the single writer on SQLite). Answers its sequence number.
Result<std::int64_t> Append(db::Connection& connection, const Event& event);

//! Appends `event` in a transaction of its own (for events with no other write, e.g. a refused
//! request).
Result<std::int64_t> AppendAlone(db::Database& db, const Event& event);

//! What `Verify` found.
struct VerifyReport {
  std::int64_t events = 0;
  //! The first event whose hash or link does not hold (or the head's position), when broken.
  std::optional<std::int64_t> first_broken_seq;
  std::string problem;  //!< Chinese, empty when intact
};

//! Re-computes the whole chain, in order, and checks it against `audit_head`.
Result<VerifyReport> Verify(db::Database& db);

//! Retention (网络安全法 第21条 "不少于六个月"): the default and the floor, in days.
inline constexpr int kMinRetentionDays = 184;

//! What `Archive` did.
struct ArchiveReport {
  std::int64_t events = 0;
  std::int64_t through_seq = 0;
  std::string file_sm3;
};

//! Writes every event dated before `cutoff_date` (ISO `YYYY-MM-DD`, Shanghai) to `file` as JSON
//! lines ending with an anchor line, then records the anchor and removes those events from the
//! table, in one transaction. Refuses (`audit.retention`) a cutoff less than `retention_days`
//! (≥ 184) before `today`, and refuses to run when the chain is already broken.
Result<ArchiveReport> Archive(db::Database& db, const std::string& file,
                              const std::string& cutoff_date, const std::string& today,
                              int retention_days);

//! A page of events, newest first. Every filter is optional (empty: no condition).
struct Query {
  std::int64_t page = 1;
  std::int64_t size = 50;
  std::string action_prefix;  //!< `member.` or `member.unmask`: actions starting with it
  std::string actor;          //!< exactly this actor name
  std::string target;         //!< exactly this target (`member:42`)
  std::string result;         //!< `success`, `failure` or `denied`
  std::string from;           //!< an inclusive lower time bound, as `TimeBound` answers it
  std::string to;             //!< an inclusive upper time bound, as `TimeBound` answers it
};

//! A time filter as the audit API takes it — `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or
//! `YYYY-MM-DDTHH:MM:SS` (a space for the `T` too), Asia/Shanghai — as the full stored form
//! (`2026-03-01T08:30:00+08:00`) that compares in time order with `at`. A lower bound starts at the
//! first second it names, an upper bound ends at the last (`2026-03-01` as an upper bound is
//! `2026-03-01T23:59:59+08:00`). 400 `audit.time_invalid` naming `field` for anything else.
Result<std::string> TimeBound(std::string_view text, bool upper, std::string_view field);

//! The three results an event can have.
bool IsEventResult(std::string_view result);

struct Page {
  std::vector<StoredEvent> events;
  std::int64_t total = 0;
};
Result<Page> List(db::Database& db, const Query& query);

//! `event` as JSON for the API.
boost::json::object ToJson(const StoredEvent& event);

}  // namespace zhibu::audit
