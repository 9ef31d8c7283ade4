#!/usr/bin/env bash
# Install the independent tools the tests use: npm packages (gift-pegjs, scorm-again, the SARIF
# schema) pinned in package-lock.json, the JUnit XSD (Jenkins' junit-10.xsd, which pytest's
# source release carries for its own tests), and Debian's chromium for the browser tests
# (Playwright drives it; it never downloads a browser). Re-running is cheap: it reinstalls only
# when the lock file has changed, and installs chromium only when /usr/bin/chromium is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
JUNIT_XSD_FROM=9.2.0
if ! command -v npm >/dev/null 2>&1; then
    echo "setup: npm is missing; install Node.js (Debian: apt-get install nodejs npm)" >&2
    exit 1
fi
stamp=node_modules/.coursepack-setup
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing npm test tools" >&2
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    echo "$want" > "$stamp"
fi
junit=.test-tools/junit-10.xsd
if [ ! -f "$junit" ]; then
    echo "setup: fetching the JUnit XSD (from pytest's source release)" >&2
    mkdir -p .test-tools
    work=$(mktemp -d)
    .venv/bin/python -m pip download --quiet --no-deps --no-binary :all: -d "$work" \
        "pytest==$JUNIT_XSD_FROM" >/dev/null 2>&1
    .venv/bin/python - "$work" "$junit" <<'PY'
import pathlib, sys, tarfile
work, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
with tarfile.open(next(work.glob("pytest-*.tar.gz"))) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("/junit-10.xsd"))
    data = tar.extractfile(member).read()
target.with_suffix(".part").write_bytes(data)
target.with_suffix(".part").replace(target)
PY
    rm -rf "$work"
fi
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing Debian's chromium for the browser tests" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "setup: /usr/bin/chromium is missing, so the browser tests will skip" \
             "(as root: apt-get install chromium)" >&2
    fi
fi
