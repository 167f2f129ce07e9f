#!/usr/bin/env bash
# Prints a Python interpreter for the project: 3.12 first (the Lambda runtime), else any newer 3.x.
# pyenv shims exist for versions that are installed but not activated, so every candidate is actually run.
set -u
candidates=(python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12
            /usr/bin/python3.12 python3.13 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13 python3)
for candidate in "${candidates[@]}"; do
  if "$candidate" -c 'import sys, venv; sys.exit(sys.version_info[:2] < (3, 12))' >/dev/null 2>&1; then
    command -v "$candidate" 2>/dev/null || echo "$candidate"
    exit 0
  fi
done
echo "find-python: no Python 3.12 or newer found (the Lambda runtime is python3.12); install one, e.g. 'apt-get install python3.12' or pyenv" >&2
exit 1
