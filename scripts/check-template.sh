#!/usr/bin/env bash
# Checks infra/template.yaml with every infrastructure tool: cfn-lint, `sam validate --lint`, `sam build`, and the
# checkov security scan of the template and of its CloudFormation transform (every finding must be fixed, or skipped
# in the template's Metadata with a written reason).
# Runs offline apart from `sam build` fetching the pinned wheels from the package index; needs no AWS credentials.
# Prints one summary line per check and exits non-zero when any check fails.
# Usage: scripts/check-template.sh [TEMPLATE]   (default infra/template.yaml; SAM_BUILD_DIR overrides .aws-sam/build)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
bash scripts/install-tools.sh || exit 1

TEMPLATE="${1:-infra/template.yaml}"
BUILD_DIR="${SAM_BUILD_DIR:-.aws-sam/build}"
SAM_BIN="${ROOT}/.tools/sam/bin"
CHECKOV="${ROOT}/.tools/checkov/bin/checkov"

# The tools need a region to resolve ${AWS::Region}, never credentials; telemetry would phone home.
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export SAM_CLI_TELEMETRY=0
# `sam build` looks for python3.12 on PATH to build the python3.12 functions: the SAM venv's own interpreter.
export PATH="${SAM_BIN}:${PATH}"

WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"' EXIT
LOG="${WORK}/output.log"
failures=0

# run_check NAME COMMAND... — runs the command quietly; on failure prints its output and counts the failure.
run_check() {
    local name="$1"
    shift
    if "$@" >"${LOG}" 2>&1; then
        return 0
    fi
    echo "FAIL ${name}"
    sed 's/^/    /' "${LOG}"
    failures=$((failures + 1))
    return 1
}

run_check cfn-lint cfn-lint "${TEMPLATE}" && echo "ok   cfn-lint: no findings"

run_check "sam validate --lint" sam validate --lint --template-file "${TEMPLATE}" &&
    echo "ok   sam validate --lint: valid"

if run_check "sam build" env SAM_BUILD_DIR="${BUILD_DIR}" bash scripts/build.sh "${TEMPLATE}"; then
    echo "ok   sam build: arm64 artifact IntakeFunction with bytecode $(du -sh "${BUILD_DIR}/IntakeFunction" | cut -f1)"
fi

# checkov reads the SAM template and the CloudFormation SAM makes of it (generated roles, functions, API stage).
if run_check "sam transform" "${SAM_BIN}/python" infra/transform.py "${TEMPLATE}" "${WORK}/transformed.json" &&
    run_check checkov "${CHECKOV}" --file "${TEMPLATE}" --file "${WORK}/transformed.json" \
        --framework cloudformation --skip-download --compact --quiet; then
    echo "ok   checkov (template and its transform): $(grep -m1 -o 'Passed checks: .*' "${LOG}")," \
        "every skip with its reason in the template"
fi

if ((failures > 0)); then
    echo "check-template: ${failures} check(s) failed"
    exit 1
fi
