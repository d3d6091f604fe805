#!/usr/bin/env bash
# Installs the buf linter (npm package @bufbuild/buf, which ships the binary) into $1.
set -euo pipefail
dest=${1:?usage: install-buf.sh DIR}
[ -x "$dest/node_modules/.bin/buf" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "install-buf: npm not found; installing Debian's npm"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm
fi
mkdir -p "$dest"
npm install --silent --no-audit --no-fund --prefix "$dest" @bufbuild/buf@1.75.0 >/dev/null
"$dest/node_modules/.bin/buf" --version >/dev/null
