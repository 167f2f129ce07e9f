#!/usr/bin/env bash
# Installs dynalite, a second DynamoDB implementation (Node, on LevelDB/memory), pinned, idempotently. The integration
# and end-to-end tests run once on moto and once on dynalite, which the tests start themselves
# (tests/dynalite.py finds it here). It gets its own npm prefix, .tools/dynalite: an `npm install --no-save` into a
# shared prefix would prune the other tools installed there (axe-core).
set -euo pipefail

DYNALITE_VERSION="4.0.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$ROOT/.tools/dynalite"
PACKAGE="$PREFIX/node_modules/dynalite/package.json"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "install-dynalite: node and npm are needed (Debian: apt-get install -y nodejs npm)" >&2
    exit 1
fi
installed=""
if [[ -f "$PACKAGE" ]]; then
    installed="$(node -p "require('$PACKAGE').version")"
fi
if [[ "$installed" != "$DYNALITE_VERSION" ]]; then
    echo "install-dynalite: installing dynalite@$DYNALITE_VERSION into .tools/dynalite"
    mkdir -p "$PREFIX"
    npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --loglevel=error "dynalite@$DYNALITE_VERSION"
fi
echo "install-dynalite: dynalite $DYNALITE_VERSION, node $(node --version)"
