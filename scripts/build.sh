#!/usr/bin/env bash
# Builds the Lambda artifacts (`sam build`, arm64, no Docker), installs their dependencies from the lock file and
# compiles their bytecode.
#
# `sam build` would fetch the dependencies itself, but without checking any hash. So it builds the code alone (an
# empty manifest) and this script installs requirements.lock into each artifact with pip: every file checked against
# the lock's hashes, arm64 wheels only (CPython 3.12), never a source build. The wheels may need glibc 2.28 at most
# (manylinux2014 or manylinux_2_28): the python3.12 runtime runs on Amazon Linux 2023, glibc 2.34; rapidfuzz
# ships its arm64 wheels as manylinux_2_26/2_28 only.
#
# Lambda's /var/task is read-only, so an artifact without .pyc files is compiled again at every cold start: importing
# the intake handler from the bare artifact took 550 ms here, against 265 ms with its bytecode. The bytecode is
# checked by hash only (`unchecked-hash`): the archive's file times cannot invalidate it.
#
# Usage: scripts/build.sh [TEMPLATE]   (default infra/template.yaml; SAM_BUILD_DIR overrides .aws-sam/build,
#        REQUIREMENTS_LOCK the lock file)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
bash scripts/install-tools.sh

TEMPLATE="${1:-infra/template.yaml}"
BUILD_DIR="${SAM_BUILD_DIR:-.aws-sam/build}"
LOCK="${REQUIREMENTS_LOCK:-${ROOT}/requirements.lock}"  # tests point it at a tampered copy
SAM_BIN="${ROOT}/.tools/sam/bin"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" SAM_CLI_TELEMETRY=0
# `sam build` looks for python3.12 on PATH to build the python3.12 functions: the SAM venv's own interpreter.
export PATH="${SAM_BIN}:${PATH}"

NO_DEPENDENCIES="$(mktemp)"
trap 'rm -f "${NO_DEPENDENCIES}"' EXIT
echo "# none: scripts/build.sh installs requirements.lock with its hashes" >"${NO_DEPENDENCIES}"
sam build --template-file "${TEMPLATE}" --manifest "${NO_DEPENDENCIES}" --build-dir "${BUILD_DIR}"

for artifact in "${BUILD_DIR}"/*/; do
    [[ -d "${artifact}screening" ]] || continue
    echo "build: $(basename "${artifact}"): installing ${LOCK##*/} (arm64 wheels, --require-hashes)"
    "${SAM_BIN}/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
        --only-binary=:all: --platform manylinux2014_aarch64 --platform manylinux_2_28_aarch64 --implementation cp --python-version 3.12 --abi cp312 \
        --no-compile --target "${artifact}" -r "${LOCK}" 2> >(grep -v 'is ignored: it is neither' >&2)
    rm -rf "${artifact}bin"  # console scripts (jmespath's jp.py): nothing in Lambda runs them
    echo "build: $(basename "${artifact}"): $(cd "${artifact}" && ls -d ./*.dist-info | sed -E 's|^\./||; s|\.dist-info$||' | tr '\n' ' ')"
done

if "${SAM_BIN}/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))'; then
    for artifact in "${BUILD_DIR}"/*/; do
        [[ -d "${artifact}screening" ]] || continue
        "${SAM_BIN}/python" -m compileall -q -j 0 --invalidation-mode unchecked-hash "${artifact}" >/dev/null
    done
else
    echo "build: the tools' Python is not 3.12, so the artifacts carry no bytecode (Lambda compiles it at each cold start)" >&2
fi
