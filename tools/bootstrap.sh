#!/usr/bin/env bash
# Create a virtual environment: `tools/bootstrap.sh PYTHON VENV [REQUIREMENTS]`.
# Called by the Makefile whenever VENV is missing or older than requirements.txt, and by
# `make requirements` to install requirements.in into a fresh one.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
requirements=${3:-requirements.txt}

if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: '$python' was not found. Install Python 3.11 or newer, or run 'make PYTHON=/path/to/python3.11 ...'." >&2
  exit 1
fi
found=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo unknown)
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: Python 3.11 or newer is required; '$python' is Python $found." >&2
  echo "       Run 'make PYTHON=/path/to/python3.11 ...' to choose another interpreter." >&2
  exit 1
fi

echo "bootstrap: creating $venv with $python ($found) from $requirements"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
touch "$venv/.installed"
echo "bootstrap: $venv is ready"
