#!/usr/bin/env bash
# Makes sure a private Redis server for the test suite runs on 127.0.0.1:63790 and prints its URL on the
# last line of stdout. Safe to run any number of times; installs Redis (Debian) when missing. The server
# keeps nothing on disk: it holds throwaway test counters only.
set -euo pipefail

PORT=63790
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="$ROOT/.switchyard/test-redis"
URL="redis://127.0.0.1:$PORT"

say() { echo "ensure-redis: $*" >&2; }

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  if [[ "$(id -u)" -ne 0 ]]; then
    say "Redis is not installed and installing it needs root: apt-get install redis-server"
    exit 1
  fi
  say "installing Redis with apt-get (takes a minute the first time)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends redis-server redis-tools >&2
  if ! command -v redis-server >/dev/null 2>&1; then
    say "redis-server was installed but is not on PATH"
    exit 1
  fi
fi

server_answers() { [[ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null || true)" == "PONG" ]]; }

mkdir -p "$BASE"
exec 9>"$BASE/.lock"
flock 9

if server_answers; then
  say "a Redis server already answers on 127.0.0.1:$PORT; using it"
else
  say "starting a test Redis server on 127.0.0.1:$PORT"
  # No RDB snapshots and no append-only file: nothing written besides the pid and the log. The daemon
  # must not inherit the lock's descriptor, or it would hold the lock for as long as it runs.
  if ! redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --save '' --appendonly no \
    --dir "$BASE" --pidfile "$BASE/redis.pid" --logfile "$BASE/redis.log" >&2 9>&-; then
    say "redis-server did not start"
    tail -n 40 "$BASE/redis.log" >&2 || true
    exit 1
  fi
  for _ in $(seq 1 50); do
    if server_answers; then break; fi
    sleep 0.1
  done
  if ! server_answers; then
    say "the server on 127.0.0.1:$PORT does not answer PING; its log follows"
    tail -n 40 "$BASE/redis.log" >&2 || true
    exit 1
  fi
fi

echo "$URL"
