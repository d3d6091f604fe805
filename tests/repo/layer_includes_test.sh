#!/usr/bin/env bash
# The layer include check (scripts/check_layer_includes.sh) passes on this tree and catches
# each kind of forbidden include in a tree made to break it.
#   layer_includes_test.sh SOURCE_DIR
set -u
src=${1:?source dir}
check="$src/scripts/check_layer_includes.sh"
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

if out=$(bash "$check" "$src"); then pass; else fail "the tree itself breaks a layer rule:"; echo "$out"; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/services/{common,store/sqlite,table,domain,server,cli,evaluators} "$tmp/plugins/rules"
# Allowed: each of these is a use the rules permit, and must not be reported.
printf '#include "services/common/errors.h"\n#include "services/store/store.h"\n#include "services/table/records.h"\n#include "services/evaluators/evaluator_host.h"\n' \
  >"$tmp/services/domain/fine.cc"
printf '#include <grpcpp/grpcpp.h>\n#include "services/domain/plans.h"\n' >"$tmp/services/server/fine.cc"
printf '#include "services/store/sqlite/records.h"\n' >"$tmp/services/store/sqlite/fine.cc"
if out=$(bash "$check" "$tmp"); then pass; else fail "allowed includes were reported:"; echo "$out"; fi

# Forbidden, one of each kind.
printf '#include <grpcpp/server_context.h>\n' >"$tmp/services/domain/grpc_in_domain.cc"
printf '  #  include "torikumi/v1/plan_service.grpc.pb.h"\n' >"$tmp/services/common/stub.h"
printf '#include "services/domain/plans.h"\n' >"$tmp/services/store/sqlite/up.cc"
printf '#include "services/server/server.h"\n' >"$tmp/services/domain/edge.h"
printf '#include "services/domain/plans.h"\n' >"$tmp/services/cli/deep.cc"
printf '#include "services/store/store.h"\n' >"$tmp/services/table/store.cc"
printf '#include "services/common/log.h"\n' >"$tmp/plugins/rules/host.cc"
out=$(bash "$check" "$tmp")
rc=$?
if [ "$rc" -eq 1 ]; then pass; else fail "a tree with forbidden includes exited $rc, not 1"; fi
for expected in \
  "services/domain/grpc_in_domain.cc:1: includes grpcpp/server_context.h (gRPC header)" \
  "services/common/stub.h:1: includes torikumi/v1/plan_service.grpc.pb.h (gRPC header)" \
  "services/store/sqlite/up.cc:1: includes services/domain/plans.h (services/domain)" \
  "services/domain/edge.h:1: includes services/server/server.h (services/server)" \
  "services/cli/deep.cc:1: includes services/domain/plans.h (services/domain)" \
  "services/table/store.cc:1: includes services/store/store.h (services/store)" \
  "plugins/rules/host.cc:1: includes services/common/log.h (services/common)" \
  "check_layer_includes: 7 forbidden include(s)"; do
  if grep -qF -- "$expected" <<<"$out"; then pass; else fail "not reported: $expected"; fi
done
if [ "$failed" -ne 0 ]; then echo "checker output was:"; echo "$out"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
