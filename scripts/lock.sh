#!/usr/bin/env bash
# `make lock`: compiles the three requirement sets into lock files with every transitive pin and its hashes.
#   requirements.txt     -> requirements.lock      the Lambda runtime (scripts/build.sh installs its arm64 wheels)
#   requirements-run.txt -> requirements-run.lock  what `make run` installs
#   requirements-dev.txt -> requirements-dev.lock  what `make test` and `make check` add
#   requirements-pip.txt -> requirements-pip.lock  the installer the venv gets before the others
# Each lock is constrained by the one before, so a package has one version in all three. The resolution is
# universal (every platform, Python 3.12): the runtime lock carries the hashes of the x86_64 wheels the venv uses
# and of the arm64 wheels Lambda runs. Pass UPGRADE=1 to move unpinned transitive dependencies to their newest.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
UV="${UV:-${ROOT}/.venv/bin/uv}"
[[ -x "${UV}" ]] || { echo "lock: ${UV} missing: run 'make install-dev' first (uv is a development tool)" >&2; exit 1; }

options=(--universal --python-version 3.12 --generate-hashes --quiet --custom-compile-command "make lock")
[[ "${UPGRADE:-}" == 1 ]] && options+=(--upgrade)

compile() {  # compile SOURCE LOCK [CONSTRAINT]
    echo "lock: $1 -> $2"
    "${UV}" pip compile "$1" "${options[@]}" ${3:+--constraint "$3"} --output-file "$2"
}
compile requirements.txt requirements.lock
compile requirements-run.txt requirements-run.lock requirements.lock
compile requirements-dev.txt requirements-dev.lock requirements-run.lock
compile requirements-pip.txt requirements-pip.lock
