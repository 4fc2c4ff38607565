#!/usr/bin/env bash
# Makes Debian's chromium available for the browser tests (test/web/*, driven
# by playwright-core with executablePath /usr/bin/chromium; never
# `npx playwright install`, which downloads a browser and fails here).
# Idempotent: does nothing when chromium is already installed; runs
# `apt-get update` only when the package cannot be installed otherwise.
# Skips (exit 0) when MEDCHAIN_CHROMIUM points at an existing browser.
set -euo pipefail

if [ -n "${MEDCHAIN_CHROMIUM:-}" ] && [ -x "${MEDCHAIN_CHROMIUM}" ]; then
  echo "ci/chromium: MEDCHAIN_CHROMIUM is set; using ${MEDCHAIN_CHROMIUM}"
  exit 0
fi
if [ -x /usr/bin/chromium ]; then
  echo "ci/chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1) already installed"
  exit 0
fi

bash "$(dirname "$0")/apt-install.sh" chromium chromium
[ -x /usr/bin/chromium ] || { echo "ci/chromium: chromium installed but /usr/bin/chromium is missing" >&2; exit 1; }
echo "ci/chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1) installed"
