#!/usr/bin/env bash
# Installs the browser test's locked npm packages (playwright-core) into the build tree:
#   npm_ci.sh SOURCE_DIR TARGET_DIR
# Again only when package-lock.json changed, so a repeated ctest run does not reinstall.
set -euo pipefail
src=${1:?source dir}; dst=${2:?target dir}
for tool in node npm /usr/bin/chromium; do
  command -v "$tool" >/dev/null || { echo "npm_ci.sh: $tool is missing (scripts/install-deps.sh and scripts/install-buf.sh install it)" >&2; exit 1; }
done
mkdir -p "$dst"
if [ -f "$dst/node_modules/.package-lock.json" ] && cmp -s "$src/package-lock.json" "$dst/package-lock.json"; then
  exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$dst/"
cd "$dst"
npm ci --no-audit --no-fund
