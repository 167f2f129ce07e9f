#!/usr/bin/env bash
# Installs what the browser tests need, idempotently: Debian's Chromium (Playwright's own browser download does not
# work here, so the tests launch /usr/bin/chromium) and, through install-node-tools.sh, the pinned axe-core for the
# accessibility check. Installing Chromium needs root (CI runs as root); the node tools are local (.tools/node).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AXE_PACKAGE="$ROOT/.tools/node/node_modules/axe-core/package.json"

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
bash "$ROOT/scripts/install-node-tools.sh"
echo "install-browser: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')," \
    "axe-core $(node -p "require('$AXE_PACKAGE').version")"
