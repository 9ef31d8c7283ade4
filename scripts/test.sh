#!/usr/bin/env bash
# Set up, then run every check: lint (ruff), types (mypy), content (coursepack validate), tests.
# Tests that import into real Moodle run when a harness is installed (../shared/moodle/README.md):
# $MOODLE_HARNESS, or ~/moodle-harness if it exists; otherwise they are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-test-tools.sh
if [ -z "${MOODLE_HARNESS:-}" ] && [ -f "$HOME/moodle-harness/env.sh" ]; then
    # shellcheck disable=SC1091
    source "$HOME/moodle-harness/env.sh"
fi
if [ -n "${MOODLE_HARNESS:-}" ]; then
    if ! pg_isready -q -h 127.0.0.1 2>/dev/null; then
        pg_ctlcluster "${MOODLE_PG_VERSION:-15}" "${MOODLE_PG_CLUSTER:-main}" start 2>/dev/null || true
    fi
    if pg_isready -q -h 127.0.0.1 2>/dev/null; then
        echo "== Moodle harness: $MOODLE_HARNESS"
        export MOODLE_HARNESS
    else
        echo "== Moodle harness at $MOODLE_HARNESS has no database running; Moodle tests skip"
        unset MOODLE_HARNESS
    fi
fi
echo "== ruff" && .venv/bin/ruff check src tests benchmarks
echo "== mypy" && .venv/bin/mypy
echo "== coursepack validate" && .venv/bin/coursepack validate source --strict
echo "== pytest" && exec .venv/bin/pytest "$@"
