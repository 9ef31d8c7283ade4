#!/usr/bin/env bash
# Install the independent tools the tests use: npm packages (gift-pegjs, scorm-again) pinned in
# package-lock.json, and Debian's chromium for the browser tests (Playwright drives it; it never
# downloads a browser). Re-running is cheap: it reinstalls only when the lock file has changed,
# and installs chromium only when /usr/bin/chromium is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
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
