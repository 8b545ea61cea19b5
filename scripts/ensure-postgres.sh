#!/usr/bin/env bash
# Makes sure a private PostgreSQL server for the test suite runs on 127.0.0.1:54329 and prints its URL
# on the last line of stdout. Safe to run any number of times; installs PostgreSQL (Debian) when missing.
set -euo pipefail

PORT=54329
DATABASE=switchyard_test
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="$ROOT/.switchyard/test-postgres"

say() { echo "ensure-postgres: $*" >&2; }

find_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/pg_ctl" && -x "$dir/initdb" && -x "$dir/psql" ]]; then echo "$dir"; fi
}

BIN="$(find_bin)"
if [[ -z "$BIN" ]]; then
  if [[ "$(id -u)" -ne 0 ]]; then
    say "PostgreSQL is not installed and installing it needs root: apt-get install postgresql"
    exit 1
  fi
  say "installing PostgreSQL with apt-get (takes a few minutes the first time)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
  BIN="$(find_bin)"
  if [[ -z "$BIN" ]]; then
    say "PostgreSQL was installed but no pg_ctl was found under /usr/lib/postgresql/*/bin"
    exit 1
  fi
fi

# initdb and the server refuse to run as root, so root runs them as the postgres user.
if [[ "$(id -u)" -eq 0 ]]; then
  OWNER=postgres
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

mkdir -p "$BASE"
if [[ "$(id -u)" -eq 0 ]]; then chown "$OWNER" "$BASE"; fi
if ! as_owner test -w "$BASE"; then
  # The checkout sits where the postgres user cannot reach (a private home folder, say).
  BASE="${TMPDIR:-/tmp}/switchyard-test-postgres-$(echo -n "$ROOT" | cksum | cut -d' ' -f1)"
  say "the postgres user cannot write under $ROOT; using $BASE instead"
  mkdir -p "$BASE"
  if [[ "$(id -u)" -eq 0 ]]; then chown "$OWNER" "$BASE"; fi
fi
DATA="$BASE/data"
LOG="$BASE/server.log"

exec 9>"$BASE/.lock"
flock 9

psql_admin() { "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
server_answers() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 2 && psql_admin -tAc 'SELECT 1' >/dev/null 2>&1; }

if server_answers; then
  say "a PostgreSQL server already answers on 127.0.0.1:$PORT; using it"
else
  if [[ ! -s "$DATA/PG_VERSION" ]]; then
    say "creating a test cluster in $DATA"
    rm -rf "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C >&2
    # A throwaway test cluster: durability is traded for speed, and no Unix socket is needed.
    printf '%s\n' "listen_addresses = '127.0.0.1'" "port = $PORT" "unix_socket_directories = ''" \
      'fsync = off' 'synchronous_commit = off' 'full_page_writes = off' | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
  fi
  say "starting the test cluster on 127.0.0.1:$PORT"
  # The server must not inherit the lock descriptor, or it would hold the lock for its whole life.
  if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >&2 9>&-; then
    say "the server did not start; its log follows"
    tail -n 40 "$LOG" >&2 || true
    exit 1
  fi
fi

for _ in $(seq 1 30); do
  if server_answers; then break; fi
  sleep 1
done
if ! server_answers; then
  say "the server on 127.0.0.1:$PORT does not accept connections"
  exit 1
fi

if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]]; then
  say "creating database $DATABASE"
  psql_admin -c "CREATE DATABASE $DATABASE" >&2
fi

echo "postgres://postgres@127.0.0.1:$PORT/$DATABASE"
