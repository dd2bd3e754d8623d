#!/usr/bin/env bash
# Makes sure Debian's etcd (etcd-server + etcd-client, 3.4 on Debian 12) is present for the
# cluster CLI tests (@raftkit/cluster runs its client verbs, bench and torture against a private
# etcd cluster on loopback). Installs it with apt-get when missing and the machine allows it
# (root + apt); otherwise says what to do. Idempotent and quiet when etcd is there.
set -euo pipefail
if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian etcd-server and etcd-client for the cluster CLI tests (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  # A failed install is reported, not fatal: every other test still runs, and the etcd tests
  # then fail with a message naming this script.
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends etcd-server etcd-client >/dev/null; then
    echo "etcd installed: $(etcd --version 2>/dev/null | head -1 || echo unknown)"
  else
    echo "warning: installing etcd with apt-get failed; the etcd-backed cluster tests will fail." >&2
  fi
  exit 0
fi
echo "warning: etcd is missing and cannot be installed here (needs root and apt-get)." >&2
echo "         Install Debian's 'etcd-server' and 'etcd-client' packages, or the etcd-backed tests will fail." >&2
exit 0
