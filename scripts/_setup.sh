# Sourced by scripts/run, scripts/test and .ci/run: make the virtual environment and install
# the locked dependencies into it (every file checked against its hash), then the project
# itself without dependencies; reinstall only when pyproject.toml or a lock file changed.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv ..."
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.ktnsite-installed"
wanted="$(cat pyproject.toml requirements.lock requirements-dev.lock | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing the locked dependencies and ktnsite into .venv ..."
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes -r requirements-dev.lock
  .venv/bin/python -m pip install --quiet --no-deps -e .
  # A dependency in pyproject.toml that the lock files lack (or pin outside its range)
  # fails here: run scripts/lock.
  .venv/bin/python -m pip check >/dev/null || {
    .venv/bin/python -m pip check
    echo "The lock files do not match pyproject.toml: run scripts/lock." >&2
    exit 1
  }
  echo "$wanted" > "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
