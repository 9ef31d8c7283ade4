#!/usr/bin/env bash
# Set up, then run every check: lint (ruff), types (mypy), content (coursepack validate), tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff" && .venv/bin/ruff check src tests benchmarks
echo "== mypy" && .venv/bin/mypy
echo "== coursepack validate" && .venv/bin/coursepack validate source --strict
echo "== pytest" && exec .venv/bin/pytest "$@"
