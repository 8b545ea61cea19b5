#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the console's browser tests and prints its path on the last
# line of stdout. Safe to run any number of times; installs the `chromium` package with apt when missing.
set -euo pipefail

BROWSER="${SWITCHYARD_CHROMIUM:-/usr/bin/chromium}"
say() { echo "ensure-chromium: $*" >&2; }

if [[ ! -x "$BROWSER" ]]; then
  if [[ "$(id -u)" -ne 0 ]]; then
    say "Chromium is not installed and installing it needs root: apt-get install chromium"
    exit 1
  fi
  say "installing Chromium with apt-get (takes a minute or two the first time)"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt run to finish instead of failing on its lock.
  apt-get -o DPkg::Lock::Timeout=600 update >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium fonts-dejavu-core >&2
  if [[ ! -x "$BROWSER" ]]; then
    say "chromium was installed but $BROWSER is missing"
    exit 1
  fi
fi

echo "$BROWSER"
