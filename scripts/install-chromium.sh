#!/usr/bin/env bash
# Makes sure Debian's Chromium is present for the visualisation test
# (@raftkit/linearizability opens its HTML pages in headless Chromium).
# Installs it with apt-get when missing and the machine allows it (root + apt);
# otherwise says what to do. Idempotent and quiet when Chromium is there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian chromium for the visualisation test (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  # A failed install is reported, not fatal: every other test still runs, and the
  # visualisation test then fails with a message naming this script.
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown)"
  else
    echo "warning: installing chromium with apt-get failed; the visualisation test will fail." >&2
  fi
  exit 0
fi
echo "warning: Chromium is missing and cannot be installed here (needs root and apt-get)." >&2
echo "         Install Debian's 'chromium' package, or the visualisation test will fail." >&2
exit 0
