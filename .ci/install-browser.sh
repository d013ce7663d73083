#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (Playwright drives it via executable_path).
# Playwright's own browser download cannot work here, so never run `playwright install`.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version
