#!/usr/bin/env bash
# Installs one Debian package for CI (used by postgres.sh and chromium.sh):
# `bash .ci/apt-install.sh TAG PACKAGE`. Needs root or sudo; runs
# `apt-get update` only when the first install attempt fails.
set -euo pipefail
tag="$1"; pkg="$2"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ci/$tag: not root and no sudo: cannot install $pkg" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
apt_install() { $SUDO apt-get install -y --no-install-recommends "$pkg"; }

echo "ci/$tag: installing Debian's $pkg package"
if ! apt_install; then
  echo "ci/$tag: install failed; running apt-get update and retrying"
  $SUDO apt-get update
  apt_install
fi
