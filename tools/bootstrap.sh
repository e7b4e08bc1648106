#!/usr/bin/env bash
# Create a virtual environment: `tools/bootstrap.sh PYTHON VENV [REQUIREMENTS]`.
# Called by the Makefile whenever VENV is missing or older than requirements.txt, and by
# `make requirements` to install requirements.in into a fresh one.
#
# torch: on Linux, PyPI serves the CUDA build (about 2.6 GB to download, 5 GB installed),
# which the doctests do not need. Unless VENV already has the pinned torch, or pip can find
# its CPU wheel without an index (find-links, as on the project's build machines), torch is
# installed first from PyTorch's CPU index ($TORCH_CPU_INDEX), which is probed with a short
# timeout ($TORCH_INDEX_TIMEOUT seconds); where it cannot be reached, PyPI's build is
# installed after a message that says so.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
requirements=${3:-requirements.txt}
cpu_index=${TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}
index_timeout=${TORCH_INDEX_TIMEOUT:-5}

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

pip() { "$venv/bin/python" -m pip "$@" --disable-pip-version-check; }

# The CPU build of requirements' torch pin, before the rest (which then keeps it).
cpu_torch() {
  local pin version
  pin=$(grep -E '^torch==' "$requirements" | head -1 | cut -d'#' -f1 | tr -d ' ') || true
  [ -n "$pin" ] && [ "$(uname -s)" = Linux ] || return 0  # elsewhere PyPI's torch is the CPU build
  version=${pin#torch==}
  if "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('torch').split('+')[0] != '$version')" 2>/dev/null; then
    return 0  # already installed, e.g. by `make cpu-torch`
  fi
  if pip install --quiet --dry-run --no-deps --no-index "torch==$version+cpu" >/dev/null 2>&1; then
    return 0  # pip's find-links holds the CPU wheel and prefers it: no network needed
  fi
  echo "bootstrap: torch: trying the CPU build from $cpu_index (${index_timeout} s timeout)"
  if "$venv/bin/python" - "$cpu_index/torch/" "$index_timeout" <<'PROBE' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="HEAD"), timeout=float(sys.argv[2])).close()
PROBE
    pip install --quiet --index-url "$cpu_index" "$pin"
  else
    echo "bootstrap: $cpu_index cannot be reached: installing $pin from PyPI instead, which on Linux is" >&2
    echo "           the CUDA build (about 2.6 GB to download, 5 GB installed; the doctests need no GPU)." >&2
    echo "           To get the CPU build later: rm -rf $venv && make cpu-torch, then your make target." >&2
  fi
}

echo "bootstrap: creating $venv with $python ($found) from $requirements"
"$python" -m venv "$venv"
cpu_torch
pip install --quiet -r "$requirements"
touch "$venv/.installed"
echo "bootstrap: $venv is ready"
