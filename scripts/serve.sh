#!/usr/bin/env bash
# Starts torikumi-server on the embedded SQLite file, loading the demo plan into an empty database.
set -euo pipefail
bin=${1:?bin dir}; db=${2:?db path}; listen=${3:?listen address}
exec "$bin/torikumi-server" --db "$db" --listen "$listen"
