#!/usr/bin/env bash
# Installs the infrastructure tools into their own virtual environments under .tools/, never the project's .venv:
# the SAM CLI and checkov pin boto3/pydantic versions that conflict with the project's runtime pins.
# Idempotent: each venv carries a stamp of the pins it was built from and is rebuilt only when they change.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${ROOT}/.tools"

SAM_PINS=(aws-sam-cli==1.170.0 cfn-lint==1.58.0)
CHECKOV_PINS=(checkov==3.3.30)

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
    "${venv}/bin/python" -m pip install -qq --disable-pip-version-check "$@"
    printf '%s' "${wanted}" >"${stamp}"
}

# The SAM CLI builds python3.12 functions with the python3.12 it finds on PATH: check-template.sh puts this venv's
# interpreter there, so the venvs are made with 3.12 whenever the machine has it.
PYTHON="$(bash "${ROOT}/scripts/find-python.sh")"
mkdir -p "${TOOLS}"
install_venv sam "${SAM_PINS[@]}"
install_venv checkov "${CHECKOV_PINS[@]}"
