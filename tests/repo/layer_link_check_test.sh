#!/usr/bin/env bash
# The build's layer rule (services/layers.cmake) fails the configure of a project whose
# layer links what it may not, even through another library's private dependency, and
# passes the same project without that link.
#   layer_link_check_test.sh SOURCE_DIR CMAKE_COMMAND
set -u
src=${1:?source dir}
cmake=${2:-cmake}
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
project="$src/tests/repo/layer_link_check"

if out=$("$cmake" -S "$project" -B "$tmp/ok" -DTORIKUMI_SOURCE_DIR="$src" 2>&1); then
  passed=$((passed + 1))
else
  echo "FAIL: the project without the forbidden link did not configure:"; echo "$out"
  failed=$((failed + 1))
fi

if out=$("$cmake" -S "$project" -B "$tmp/bad" -DTORIKUMI_SOURCE_DIR="$src" -DVIOLATE=ON 2>&1); then
  echo "FAIL: the project that links the forbidden library configured"; failed=$((failed + 1))
else
  passed=$((passed + 1))
fi
if grep -qF "layer fake_domain links fake_grpc, which its layer may not use" <<<"$out"; then
  passed=$((passed + 1))
else
  echo "FAIL: the configure failed without naming the layer and what it links:"; echo "$out"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
