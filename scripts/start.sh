#!/usr/bin/env bash
# Set up, ingest the starter corpus (a no-op when already ingested) and run the web app at
# http://localhost:8501 on the embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
.venv/bin/cx-advisor ingest corpus/research --kind research --prune
.venv/bin/cx-advisor ingest corpus/internal --kind internal --prune
exec .venv/bin/streamlit run app.py --server.port "${PORT:-8501}" "$@"
