#!/usr/bin/env bash
# Starts torikumi-server on the embedded SQLite file, loading the demo plan into an empty database.
#   scripts/serve.sh BIN_DIR DB LISTEN [HTTP_LISTEN]
# With HTTP_LISTEN the same API is also served as HTTP/JSON there (--http_listen), and the web
# view under /web/ (its address is printed first).
# The demo plan is the seed table the repository carries (testdata/seed/…, or $DEMO_TABLE); the
# server imports it into organizations/${DEMO_ORG:-demo} only when the database has no plan
# yet, and starts empty with a warning when the file is missing. The default rule set
# abc-implementation is created in that organization when missing and set on its plan; the
# evaluator plugins come from the build's plugins directory (--plugins_dir to change).
set -euo pipefail
bin=${1:?bin dir}; db=${2:?db path}; listen=${3:?listen address}; http_listen=${4:-}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
demo_table=${DEMO_TABLE:-$root/testdata/seed/hr-plan-progress-h30-r4.tsv}
demo_org=${DEMO_ORG:-demo}
http=()
if [ -n "$http_listen" ]; then
  http=(--http_listen "$http_listen")
  echo "serve: the web view for HR staff: http://$http_listen/web/ (the demo organization's plans: http://$http_listen/web/organizations/$demo_org)"
fi
exec "$bin/torikumi-server" --db "$db" --listen "$listen" "${http[@]}" \
  --demo_table "$demo_table" --demo_org "$demo_org" \
  --default_rule_set "$root/plugins/rules/rulesets/abc-implementation.textproto"
