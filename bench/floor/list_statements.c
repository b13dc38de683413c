/* bench/floor/list_statements.c — the SQLite part of one member-list request, alone: the
 * statements `GET /api/v1/members?org=BRANCH&page_size=20` runs (src/platform/auth/identity.cpp
 * kSelectSessionPrincipal, src/modules/org/subtree_scope.cpp kSelectPath,
 * src/modules/member/member_store.cpp ListedOrgInScope and ReadFewMatches), prepared once and
 * stepped in a read transaction per request on one thread, every column read as the server reads
 * it (text in place, integers as integers). No HTTP, no authentication logic, no JSON: the floor
 * under what the server can spend on the database for this page. Built and run by
 * bench/member-list.sh:
 *
 *   list_statements DB TOKEN_HASH SCOPE_ORG BRANCH REQUESTS  ->  "us_per_request ROWS"
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char* kSession =
    "SELECT s.id, s.account_id, s.csrf_token, s.last_seen_ms, s.expires_at_ms, s.revoked_at_ms,"
    " a.status, a.password_changed_at_ms, a.username, a.display_name, a.member_id,"
    " g.id, g.role, g.organisation_id"
    " FROM auth_session s JOIN account a ON a.id = s.account_id"
    " LEFT JOIN role_grant g ON g.account_id = a.id AND g.revoked_at IS NULL"
    " WHERE s.token_hash = ?1 ORDER BY g.id";
static const char* kScopePath = "SELECT path FROM organisation WHERE id = ?1";
static const char* kOrg = "SELECT path, kind FROM organisation WHERE id = ?1";
static const char* kPage =
    "SELECT m.id, m.name, m.sex, m.birth_date, m.id_number_masked, m.phone_masked, m.org_id, "
    "o.name, m.status, m.category, m.joined_on, m.confirmed_on FROM member m JOIN organisation o "
    "ON o.id = m.org_id WHERE m.org_path >= ?1 AND m.org_path < ?2 AND m.status IN ('full', "
    "'probationary') AND m.departed_on IS NULL ORDER BY m.id LIMIT 101";

static sqlite3* db;
static sqlite3_stmt* Prepare(const char* sql) {
  sqlite3_stmt* s = NULL;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
    fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
    exit(1);
  }
  return s;
}
/* Steps `s` to the end reading every column; answers the rows. */
static long Drain(sqlite3_stmt* s, long* bytes) {
  long rows = 0;
  while (sqlite3_step(s) == SQLITE_ROW) {
    int n = sqlite3_column_count(s);
    for (int i = 0; i < n; i++) {
      int type = sqlite3_column_type(s, i);
      if (type == SQLITE_INTEGER) {
        *bytes += sqlite3_column_int64(s, i) & 1;
      } else if (type != SQLITE_NULL) {
        const unsigned char* text = sqlite3_column_text(s, i);
        *bytes += sqlite3_column_bytes(s, i) + (text != NULL);
      }
    }
    rows++;
  }
  sqlite3_reset(s);
  return rows;
}
static double Now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char** argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s DB TOKEN_HASH SCOPE_ORG BRANCH REQUESTS\n", argv[0]);
    return 2;
  }
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) return 1;
  sqlite3_exec(db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);  /* as the server's readers */
  sqlite3_stmt* begin = Prepare("BEGIN");
  sqlite3_stmt* commit = Prepare("COMMIT");
  sqlite3_stmt* session = Prepare(kSession);
  sqlite3_stmt* scope = Prepare(kScopePath);
  sqlite3_stmt* org = Prepare(kOrg);
  sqlite3_stmt* page = Prepare(kPage);
  long requests = atol(argv[5]), rows = 0, bytes = 0;
  char path[256], end[256];
  double start = 0;
  for (long r = -requests / 10; r < requests; r++) { /* the first tenth warms the cache */
    if (r == 0) start = Now();
    Drain(begin, &bytes);
    sqlite3_bind_text(session, 1, argv[2], -1, SQLITE_STATIC);
    Drain(session, &bytes);
    sqlite3_bind_int64(scope, 1, atoll(argv[3]));
    Drain(scope, &bytes);
    sqlite3_bind_int64(org, 1, atoll(argv[4]));
    if (sqlite3_step(org) != SQLITE_ROW) return 1;
    snprintf(path, sizeof path, "%s", (const char*)sqlite3_column_text(org, 0));
    sqlite3_reset(org);
    snprintf(end, sizeof end, "%s", path);
    end[strlen(end) - 1] = '0'; /* org::SubtreeEnd: the trailing '/' + 1 */
    sqlite3_bind_text(page, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(page, 2, end, -1, SQLITE_STATIC);
    long n = Drain(page, &bytes);
    if (r == 0) rows = n;
    Drain(commit, &bytes);
  }
  printf("%.1f %ld\n", (Now() - start) / requests, rows);
  return bytes == 0;
}
