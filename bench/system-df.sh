#!/usr/bin/env bash
# `system df` over many objects: C containers (default 200) and V volumes (default 50) of F small files
# each (default 1000), timed with berth and, when a docker daemon runs here, with docker on the same data shape.
source "$(dirname "$0")/lib.sh"
C=${C:-200}; V=${V:-50}; F=${F:-1000}; N=${N:-5}
bench_start_daemon

echo "bench: creating $V volumes of $F files and $C containers" >&2
for v in $(seq "$V"); do
  "$BERTH" volume create "df-vol-$v" >/dev/null
  d="$BENCH_ROOT/data/volumes/df-vol-$v/_data"
  for f in $(seq "$F"); do printf 'file %s\n' "$f" > "$d/f$f"; done
done
for c in $(seq "$C"); do
  if [ "$c" -le "$V" ]; then "$BERTH" create -v "df-vol-$c:/data" busybox true >/dev/null
  else "$BERTH" create busybox true >/dev/null; fi
done

berth_ms=$(time_runs "$N" "$BERTH" system df | median)
berth_v_ms=$(time_runs "$N" "$BERTH" system df -v | median)
printf '\n%-44s %12s\n' "command ($N runs; $C containers, $V volumes x $F files)" "median ms"
printf '%-44s %12s\n' "berth system df" "$berth_ms"
printf '%-44s %12s\n' "berth system df -v" "$berth_v_ms"
bench_start_dockerd >/dev/null
if [ -n "$BENCH_DOCKER" ]; then
  D=$BENCH_DOCKER
  echo "bench: building the same shape in docker" >&2
  for v in $(seq "$V"); do $D volume create "berth-bench-df-$v" >/dev/null; done
  $D run --rm $(for v in $(seq "$V"); do printf -- '-v berth-bench-df-%s:/v%s ' "$v" "$v"; done) busybox sh -c \
    "for v in \$(seq $V); do for f in \$(seq $F); do echo file \$f > /v\$v/f\$f; done; done"
  ids=$(for c in $(seq "$C"); do $D create busybox true; done)
  printf '%-44s %12s\n' "docker system df" "$(time_runs "$N" $D system df | median)"
  printf '%-44s %12s\n' "docker system df -v" "$(time_runs "$N" $D system df -v | median)"
  $D rm $ids >/dev/null
  for v in $(seq "$V"); do $D volume rm "berth-bench-df-$v" >/dev/null; done
else
  printf '%-44s %12s\n' "docker system df" "(dockerd not installed)"
fi
