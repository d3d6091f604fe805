#!/usr/bin/env bash
# deploy/systemd: the unit passes `systemd-analyze verify`, scores at most 2.0 ("OK") in
# `systemd-analyze security --offline`, keeps the hardening it promises, and the sysusers.d
# entry creates the user the unit runs as. Needs no running systemd.
#   systemd_verify_test.sh DEPLOY_SYSTEMD_DIR SERVER_BINARY SYSTEMD_ANALYZE SYSTEMD_SYSUSERS
set -euo pipefail
dir=$(realpath "$1") server=$2 analyze=$3 sysusers=$4
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# verify checks that ExecStart's program exists: point it at this build's binary, the one
# thing that differs from an installed host.
unit=$scratch/torikumi.service
sed "s|/usr/local/bin/torikumi-server|$server|" "$dir/torikumi.service" > "$unit"
grep -q "ExecStart=$server " "$unit" || fail "ExecStart does not start /usr/local/bin/torikumi-server"
if ! out=$("$analyze" verify "$unit" 2>&1) || [ -n "$out" ]; then
  fail "systemd-analyze verify: $out"
fi

"$analyze" security --offline=true --threshold=20 "$unit" > "$scratch/security.txt" 2>&1 ||
  fail "exposure above 2.0: $(tail -1 "$scratch/security.txt")"

for setting in User=torikumi StateDirectory=torikumi ProtectSystem=strict NoNewPrivileges=true \
               MemoryMax= PrivateTmp=true CapabilityBoundingSet= ; do
  grep -q "^$setting" "$dir/torikumi.service" || fail "torikumi.service lacks $setting"
done

mkdir -p "$scratch/root/etc"
created=$("$sysusers" --dry-run --root="$scratch/root" "$dir/torikumi.sysusers" 2>&1) ||
  fail "systemd-sysusers: $created"
grep -q "Creating user 'torikumi'" <<<"$created" || fail "sysusers creates no user torikumi: $created"
grep -q "Creating group 'torikumi'" <<<"$created" || fail "sysusers creates no group: $created"
echo "deploy/systemd: verify clean, $(tail -1 "$scratch/security.txt" | sed 's/^→ //')"
