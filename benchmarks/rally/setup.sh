#!/usr/bin/env bash
# Install Rally 5.1.1 from PyPI into its own venv, for the side-by-side benchmarks.
#
# Idempotent: a venv that already runs Rally 5.1.1 is left as it is. Nothing of Rally is
# committed; the venv lives in .benchmarks-venv/rally (git-ignored).
#
#   bash benchmarks/rally/setup.sh            # installs, then checks `rally db create`
#   RALLY_VENV=/some/dir bash benchmarks/rally/setup.sh
#
# Rally 5.1.1 needs nothing beyond PyPI on Python 3.11: its wheel pulls SQLAlchemy 2,
# oslo.*, typer and friends; `rally db create` into a throwaway SQLite file proves it.
set -euo pipefail

RALLY_VERSION="5.1.1"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${RALLY_VENV:-$repo_root/.benchmarks-venv/rally}"
python="${PYTHON:-python3}"

installed_version() {
    "$venv/bin/rally" --version 2>/dev/null | awk '{print $NF}'
}

if [[ -x "$venv/bin/rally" && "$(installed_version)" == "$RALLY_VERSION" ]]; then
    echo "rally $RALLY_VERSION already installed in $venv"
else
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
        || { echo "Rally $RALLY_VERSION needs Python >= 3.10 ($python is older)" >&2; exit 1; }
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet "rally==$RALLY_VERSION"
    "$venv/bin/pip" check
    echo "rally $(installed_version) installed in $venv"
fi

# Prove the install can create its database (Rally keeps ~/.rally/globals: use a scratch HOME).
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
printf '[database]\nconnection = sqlite:///%s/rally.sqlite\n' "$scratch" > "$scratch/rally.conf"
HOME="$scratch" "$venv/bin/rally" --config-file "$scratch/rally.conf" db create > "$scratch/db.log" 2>&1 \
    || { cat "$scratch/db.log" >&2; echo "rally db create failed" >&2; exit 1; }
echo "rally db create: ok"
