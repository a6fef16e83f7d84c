#!/usr/bin/env bash
# Installs headless Chromium from Debian's packages for the app's browser
# tests (one time; idempotent: does nothing when `chromium` is on PATH).
set -euo pipefail
if command -v chromium >/dev/null; then
    exit 0
fi
echo "installing chromium with apt (one time)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends chromium >&2 \
    || { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends chromium >&2; }
command -v chromium >/dev/null
