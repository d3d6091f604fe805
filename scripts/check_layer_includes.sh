#!/usr/bin/env bash
# Fails when a layer's source includes what its layer may not use. Every folder shares the
# repository root as include path, so the build alone cannot stop services/store from
# including services/domain/…; and gRPC's own headers sit in /usr/include, on every include
# path. This table is the rule; the build's half (which targets a layer may link, and so
# which generated headers it can see) is services/layers.cmake.
#   check_layer_includes.sh SOURCE_DIR
# Prints one line per forbidden include (file:line: what, and what the layer may use) and
# exits 1 if there is any, 0 otherwise.
set -u
src=${1:?usage: check_layer_includes.sh SOURCE_DIR}
cd "$src" || exit 2

# layer folder | project folders it may include besides its own | gRPC headers allowed
rules='
services/common     |                                                                      | no
services/store      | services/common                                                      | no
services/table      | services/common                                                      | no
services/evaluators | services/common                                                      | no
services/domain     | services/common services/store services/table services/evaluators    | no
services/server     | services/common services/store services/table services/evaluators services/domain | yes
services/cli        | services/common services/table                                       | yes
plugins             |                                                                      | no
'

violations=0
while IFS='|' read -r layer allowed grpc; do
  layer=$(echo "$layer" | xargs)
  [ -z "$layer" ] && continue
  allowed=$(echo "$allowed" | xargs)
  grpc=$(echo "$grpc" | xargs)
  [ -d "$layer" ] || continue
  out=$(find "$layer" -type f \( -name '*.cc' -o -name '*.h' -o -name '*.c' \) -print0 |
    xargs -0 -r awk -v layer="$layer" -v allowed=" $allowed " -v grpc="$grpc" '
      match($0, /^[ \t]*#[ \t]*include[ \t]*[<"][^">]+[">]/) {
        inc = substr($0, RSTART, RLENGTH)
        sub(/^[^<"]*[<"]/, "", inc); sub(/[">]$/, "", inc)
        bad = ""
        if (inc ~ /^(grpc|grpcpp|grpc\+\+)\// || inc ~ /\.grpc\.pb\.h$/) {
          if (grpc != "yes") bad = "gRPC header"
        } else if (match(inc, /^services\/[a-z_]+\//)) {
          folder = substr(inc, 1, RLENGTH - 1)
          if (folder != layer && index(allowed, " " folder " ") == 0) bad = folder
        }
        if (bad != "") {
          printf "%s:%d: includes %s (%s); %s may include %s%s\n", FILENAME, FNR, inc, bad,
                 layer, (allowed == "  " ? "nothing of the other layers" : allowed),
                 (grpc == "yes" ? " and gRPC" : ", no gRPC")
        }
      }')
  if [ -n "$out" ]; then
    echo "$out"
    violations=$((violations + $(echo "$out" | wc -l)))
  fi
done <<<"$rules"

if [ "$violations" -gt 0 ]; then
  echo "check_layer_includes: $violations forbidden include(s)"
  exit 1
fi
echo "check_layer_includes: every layer includes only what it may"
