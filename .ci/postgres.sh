#!/usr/bin/env bash
# Makes Debian's PostgreSQL server binaries available for the storage tests
# (test/support/postgres.ts starts a throwaway cluster from them; nothing is
# started here). Idempotent: does nothing when initdb is already installed;
# runs `apt-get update` only when the package cannot be found otherwise.
# Skips (exit 0) when MEDCHAIN_TEST_PG_URL points at an existing server.
set -euo pipefail

have_initdb() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }

if [ -n "${MEDCHAIN_TEST_PG_URL:-}" ]; then
  echo "ci/postgres: MEDCHAIN_TEST_PG_URL is set; using that server"
  exit 0
fi
if have_initdb; then
  echo "ci/postgres: $(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1) already installed"
  exit 0
fi

bash "$(dirname "$0")/apt-install.sh" postgres postgresql
have_initdb || { echo "ci/postgres: postgresql installed but no initdb under /usr/lib/postgresql/*/bin" >&2; exit 1; }
echo "ci/postgres: $(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1) installed"
