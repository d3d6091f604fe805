#!/usr/bin/env bash
# Every tracked C++ file (.cc, .h) is formatted per .clang-format; names the ones that are not.
#   format_check.sh SOURCE_DIR
set -u
src=${1:?source dir}
cd "$src" || exit 1
command -v clang-format >/dev/null || { echo "format_check: clang-format is not installed"; exit 1; }

mapfile -t files < <(git ls-files -- '*.cc' '*.h')
if [ ${#files[@]} -eq 0 ]; then echo "format_check: no tracked sources found in $src"; exit 1; fi
unformatted=()
for f in "${files[@]}"; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done

if [ ${#unformatted[@]} -gt 0 ]; then
  echo "FAIL: ${#unformatted[@]} of ${#files[@]} files are not formatted per .clang-format"
  echo "(fix with: clang-format -i FILE):"
  printf '  %s\n' "${unformatted[@]}"
  exit 1
fi
echo "${#files[@]} files formatted per .clang-format"
