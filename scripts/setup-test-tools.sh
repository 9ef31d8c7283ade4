#!/usr/bin/env bash
# Install the independent tools the tests use: npm packages (gift-pegjs, scorm-again) pinned in
# package-lock.json. Re-running is cheap: it reinstalls only when the lock file has changed.
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
