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

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ci/chromium: not root and no sudo: cannot install chromium" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
apt_install() { $SUDO apt-get install -y --no-install-recommends chromium; }

echo "ci/chromium: installing Debian's chromium package"
if ! apt_install; then
  echo "ci/chromium: install failed; running apt-get update and retrying"
  $SUDO apt-get update
  apt_install
fi
[ -x /usr/bin/chromium ] || { echo "ci/chromium: chromium installed but /usr/bin/chromium is missing" >&2; exit 1; }
echo "ci/chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1) installed"
