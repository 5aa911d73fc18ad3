# Shared by scripts/serve and scripts/test: make .venv with Python >= 3.11 and install Pith into it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PITH_VENV:-$ROOT/.venv}"

find_python() {
  for py in python3.13 python3.12 python3.11 python3; do
    if command -v "$py" >/dev/null 2>&1 &&
       "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "Pith needs Python 3.11 or newer (apt-get install python3 python3-venv)." >&2
  return 1
}

# as_root CMD…: run a system package command as root (directly, or through sudo).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "Need root to run: $*" >&2; return 1; fi
}

# ensure_venv EXTRAS: create the venv once and (re)install when pyproject.toml changed.
ensure_venv() {
  local extras="$1" stamp
  if [ ! -x "$VENV/bin/python" ]; then
    local py; py="$(find_python)"
    if ! "$py" -m venv "$VENV" 2>/dev/null; then
      echo "Installing python3-venv…" >&2
      as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv >/dev/null
      "$py" -m venv "$VENV"
    fi
  fi
  stamp="$VENV/.pith-installed-$extras"
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    echo "Installing Pith into $VENV…" >&2
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$ROOT${extras:+[$extras]}"
    touch "$stamp"
  fi
}
