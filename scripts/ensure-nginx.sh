#!/usr/bin/env bash
# Makes sure Debian's nginx is installed for the load-balancer test, without starting the system's own nginx
# service, and prints the binary's path on the last line of stdout. Needs root and apt the first time.
set -euo pipefail

say() { echo "ensure-nginx: $*" >&2; }

if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
  if [[ "$(id -u)" -ne 0 ]]; then
    say "nginx is not installed and installing it needs root: apt-get install nginx"
    exit 1
  fi
  say "installing nginx with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the package's scripts from starting a system nginx on port 80: the test runs its own.
  created_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  apt-get update >&2
  apt-get install -y --no-install-recommends nginx >&2 || status=$?
  if [[ "$created_policy" -eq 1 ]]; then rm -f /usr/sbin/policy-rc.d; fi
  if [[ "${status:-0}" -ne 0 ]]; then exit "$status"; fi
fi
command -v nginx 2>/dev/null || echo /usr/sbin/nginx
