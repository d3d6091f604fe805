#!/usr/bin/env bash
# A clone on its own must build, serve its demo and pass its tests: nothing the repository
# tracks may read files from beside the checkout (the steering folder beside this one is not there
# in a clone), and the data the demo and tests use must be tracked under testdata/.
#   self_contained_test.sh SOURCE_DIR
set -u
src=${1:?source dir}
cd "$src" || exit 1
fail=0

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "self_contained_test: $src is not a git checkout; cannot tell tracked files"; exit 1
fi

# Prose may name the steering folder (where the data came from); code, build files and data may not.
outside=$(git grep -n -I -e '\.\./shared' -- ':!*.md' ':!tests/repo/self_contained_test.sh')
if [ -n "$outside" ]; then
  echo "FAIL: tracked files read data from beside the checkout:"; echo "$outside"; fail=1
fi

for f in testdata/seed/hr-plan-progress-h30-r4.tsv \
         testdata/ratings-devset/plan-h31-r5-gyokaku.tsv \
         testdata/ratings-devset/expected.tsv; do
  if ! git ls-files --error-unmatch "$f" >/dev/null 2>&1; then
    echo "FAIL: $f is not tracked by git (a clone would not have it)"; fail=1
  fi
done

if [ "$fail" -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit "$fail"
