#!/usr/bin/env bash
# Installs what the browser tests need, idempotently: Debian's Chromium (Playwright's own browser download does not
# work here, so the tests launch /usr/bin/chromium) and a pinned axe-core for the accessibility check.
# Installing Chromium needs root (CI runs as root); everything else is local to the repository (.tools/node).
set -euo pipefail

AXE_CORE_VERSION="4.14.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_PREFIX="$ROOT/.tools/node"
AXE_FILE="$NODE_PREFIX/node_modules/axe-core/axe.min.js"
AXE_PACKAGE="$NODE_PREFIX/node_modules/axe-core/package.json"

apt_updated=""
apt_install() {
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "install-browser: $* missing; run as root (or: sudo apt-get install -y $*)" >&2
        exit 1
    fi
    if [[ -z "$apt_updated" ]]; then
        apt-get update
        apt_updated=1
    fi
    echo "install-browser: installing Debian $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

if [[ ! -x /usr/bin/chromium ]]; then
    apt_install chromium
fi
# A font with Simplified Chinese glyphs, so the zh-Hans form renders (and its screenshots show text, not boxes).
if [[ -z "$(fc-list :lang=zh-cn 2>/dev/null)" ]]; then
    apt_install fonts-wqy-zenhei
fi
if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi

installed_axe=""
if [[ -f "$AXE_PACKAGE" ]]; then
    installed_axe="$(node -p "require('$AXE_PACKAGE').version")"
fi
if [[ ! -f "$AXE_FILE" || "$installed_axe" != "$AXE_CORE_VERSION" ]]; then
    echo "install-browser: installing axe-core@$AXE_CORE_VERSION into .tools/node"
    mkdir -p "$NODE_PREFIX"
    npm install --prefix "$NODE_PREFIX" --no-save --no-audit --no-fund --loglevel=error "axe-core@$AXE_CORE_VERSION"
fi

echo "install-browser: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), axe-core $AXE_CORE_VERSION"
