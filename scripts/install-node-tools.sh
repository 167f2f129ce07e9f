#!/usr/bin/env bash
# Installs the pinned Node tools (ESLint for `make lint-js`, axe-core for the browser tests' accessibility check) into
# .tools/node with `npm ci`, which checks every package against the integrity hashes in
# scripts/node-tools/package-lock.json. Idempotent: reinstalls only when that lock changes. Needs Node.js and npm
# (Debian's nodejs and npm are installed when missing, as root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOURCE="${ROOT}/scripts/node-tools"
PREFIX="${ROOT}/.tools/node"

if ! command -v npm >/dev/null 2>&1; then
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "install-node-tools: npm missing; run as root (or: sudo apt-get install -y nodejs npm)" >&2
        exit 1
    fi
    echo "install-node-tools: installing Debian nodejs and npm"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi

if cmp -s "${SOURCE}/package-lock.json" "${PREFIX}/package-lock.json" && [[ -x "${PREFIX}/node_modules/.bin/eslint" ]]; then
    exit 0
fi
echo "install-node-tools: npm ci into .tools/node (scripts/node-tools/package-lock.json)"
mkdir -p "${PREFIX}"
cp "${SOURCE}/package.json" "${SOURCE}/package-lock.json" "${PREFIX}/"
npm ci --prefix "${PREFIX}" --no-audit --no-fund --loglevel=error
