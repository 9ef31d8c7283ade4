#!/usr/bin/env bash
# Set up, then compile every unit in source/ into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/coursepack build source --output build "$@"
