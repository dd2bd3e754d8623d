#!/usr/bin/env bash
# Makes sure Debian's fiu-utils (libfiu: fiu-run, fiu-ctrl) is present for the
# fsync fault-injection test of @raftkit/persister. Installs it with apt-get
# when missing and the machine allows it (root + apt). Unlike Chromium, a
# missing libfiu is an error: the test it serves must fail, not skip.
set -euo pipefail
if command -v fiu-run >/dev/null 2>&1 && command -v fiu-ctrl >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian fiu-utils for the fsync fault-injection test (apt-get)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends fiu-utils >/dev/null
  command -v fiu-run >/dev/null 2>&1 && exit 0
fi
echo "error: fiu-run (Debian package fiu-utils) is missing and cannot be installed here (needs root and apt-get)." >&2
echo "       Install it (apt-get install fiu-utils); the fsync fault-injection test cannot run without it." >&2
exit 1
