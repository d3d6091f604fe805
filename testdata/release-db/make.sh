#!/usr/bin/env bash
# Writes release.db: a database as a release of torikumi writes it, for the migration test
# (tests/store/release_migration_test.cc). Run with the binaries of that release:
#   testdata/release-db/make.sh RELEASE_BUILD/bin OUT.db
# The database then holds the seed plan imported and rated by the background job, a second
# rule set version, a person's rating, an outcome changed and one deleted, an initiative
# created and one deleted, a second organization, tokens of both kinds and a subscription,
# so the change feed, the rating history and the audit log are not empty.
set -euo pipefail
bin=${1:?release bin dir}; out=${2:?output db}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d); trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
listen=127.0.0.1:${PORT:-50611}
"$bin/torikumi-server" --db "$work/db" --listen "$listen" --plugin_isolation=none \
  --demo_table "$root/testdata/seed/hr-plan-progress-h30-r4.tsv" --demo_org demo \
  --default_rule_set "$root/plugins/rules/rulesets/abc-implementation.textproto" \
  >"$work/server.log" 2>&1 &
server=$!
cli() { "$bin/torikumi" --server "$listen" "$@"; }
for _ in $(seq 100); do cli health >/dev/null 2>&1 && break; sleep 0.2; done
plan=organizations/demo/plans/hr-plan-progress-h30-r4
# The background rating of the imported plan finishes before anything else is written.
for _ in $(seq 100); do cli jobs list | grep -q SUCCEEDED && break; sleep 0.2; done
read -r first area < <(cli --json initiatives list --plan "$plan" | python3 -c \
  'import json,sys; i=json.load(sys.stdin)["initiatives"][0]; print(i["name"], i["area"])')
cli outcomes set "$first" --year R4 --text "研修を3回実施した" --status implemented --as-of 2022-08-31
cli rate "$first" --grade B --rater 人事課 --reason "fixture"
cli initiatives create --plan "$plan" --area "$area" --number 99 --title "削除される取組"
doomed=$(cli --json initiatives list --plan "$plan" --text 削除される | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["initiatives"][0]["name"])')
cli initiatives delete "$doomed" --force
cli evaluate --plan "$plan"
cli rulesets create --org demo --id abc-implementation \
  --file "$root/plugins/rules/rulesets/abc-implementation.textproto" --plan "$plan" \
  --description "second version"
cli orgs create --id second --display-name "第二の市"
cli tokens create --org demo --role viewer --name fixture-viewer --id viewer
cli tokens create --name fixture-admin --id admin
cli subscriptions create --org demo --id hook --url http://127.0.0.1:9/hook --secret s3cret
cli outcomes set "$first" --year R4 --text "研修を4回実施した" --status implemented --as-of 2022-09-30
kill -TERM $server; wait $server || true
sqlite3 "$work/db" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" >/dev/null
cp "$work/db" "$out"
