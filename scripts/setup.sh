#!/usr/bin/env bash
# Set up .venv with everything the app and tests need, from the package registries only.
# torch's CPU wheel goes in first so nothing pulls CUDA builds; llama-cpp-python is
# compiled once into a wheel cache and reused on later runs. Re-running is cheap: it
# skips installation while pyproject.toml is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON_BIN=${PYTHON:-python3.11}
VENV=.venv
WHEELS=${CXA_WHEEL_CACHE:-$HOME/.cache/cx-advisor/wheels}
LLAMA_VERSION=0.3.36
STAMP="$VENV/.setup-$(sha256sum pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)"

if [ -f "$STAMP" ]; then
  exit 0
fi

command -v "$PYTHON_BIN" >/dev/null || { echo "setup: $PYTHON_BIN not found (Python 3.11 is required)" >&2; exit 1; }
[ -x "$VENV/bin/python" ] || "$PYTHON_BIN" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check -q)

echo "setup: installing torch (CPU) ..."
"${PIP[@]}" install --upgrade pip wheel setuptools
"${PIP[@]}" install torch==2.13.0

if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
  echo "setup: building llama-cpp-python $LLAMA_VERSION once (several minutes) into $WHEELS ..."
  mkdir -p "$WHEELS"
  CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)} \
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF" \
    "${PIP[@]}" wheel --no-deps -w "$WHEELS" "llama-cpp-python==$LLAMA_VERSION"
fi

echo "setup: installing cx-advisor and its dependencies ..."
"${PIP[@]}" install --find-links "$WHEELS" -e ".[dev]"

echo "setup: building the ONNX embedder (once, cached) ..."
HF_HUB_OFFLINE=1 "$VENV/bin/python" -m advisor.composition

rm -f "$VENV"/.setup-*
touch "$STAMP"
echo "setup: done"
