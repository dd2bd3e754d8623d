#!/usr/bin/env bash
# Makes sure the Debian packages the tests use are present, installing the
# missing ones with apt-get when the machine allows it (root + apt):
#   chromium                  the HTML pages (checker visualisation, trace viewer) in headless Chromium
#   etcd-server, etcd-client  a real etcd 3.4 for the cluster tools' tests (client verbs, bench, torture)
# Idempotent and silent when everything is there. A failed install is reported,
# not fatal: every other test still runs, and the test that needs the package
# fails with a message naming this script.
set -euo pipefail
wanted=(chromium etcd-server etcd-client)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages for the tests: ${missing[*]} (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "installed: ${missing[*]}"
  else
    echo "warning: apt-get could not install ${missing[*]}; the tests that need them will fail." >&2
  fi
  exit 0
fi
echo "warning: missing Debian packages ${missing[*]}, and they cannot be installed here (needs root and apt-get)." >&2
exit 0
