#!/usr/bin/env bash
# Installs the infrastructure tools into their own virtual environments under .tools/, never the project's .venv:
# the SAM CLI and checkov pin boto3/pydantic versions that conflict with the project's runtime pins.
# Idempotent: each venv carries a stamp of the pins it was built from and is rebuilt only when they change.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${ROOT}/.tools"

SAM_PINS=(aws-sam-cli==1.170.0 cfn-lint==1.58.0)
CHECKOV_PINS=(checkov==3.3.30)

# The SAM CLI builds python3.12 functions with the interpreter it finds on PATH, so prefer a 3.12.
find_python() {
    if command -v python3.12 >/dev/null 2>&1 && python3.12 -c '' >/dev/null 2>&1; then
        command -v python3.12
        return
    fi
    if command -v pyenv >/dev/null 2>&1; then
        local version
        version="$(pyenv versions --bare 2>/dev/null | grep -E '^3\.12\.[0-9]+$' | sort -V | tail -n 1 || true)"
        if [[ -n "${version}" ]]; then
            echo "$(pyenv root)/versions/${version}/bin/python3.12"
            return
        fi
    fi
    command -v python3
}

# install_venv NAME PIN... — (re)creates .tools/NAME when its stamp differs from the pins.
install_venv() {
    local name="$1"
    shift
    local venv="${TOOLS}/${name}"
    local stamp="${venv}/.pins"
    local wanted
    wanted="$(printf '%s\n' "$@")"
    if [[ -f "${stamp}" && "$(cat "${stamp}")" == "${wanted}" ]]; then
        return
    fi
    echo "install-tools: installing ${name} ($*)"
    rm -rf "${venv}"
    "${PYTHON}" -m venv "${venv}"
    "${venv}/bin/python" -m pip install -qq --disable-pip-version-check --upgrade pip
    "${venv}/bin/python" -m pip install -qq --disable-pip-version-check "$@"
    printf '%s' "${wanted}" >"${stamp}"
}

PYTHON="$(find_python)"
mkdir -p "${TOOLS}"
install_venv sam "${SAM_PINS[@]}"
install_venv checkov "${CHECKOV_PINS[@]}"
