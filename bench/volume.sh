#!/usr/bin/env bash
# What a named volume adds to a container start: `run --rm -v vol:/data busybox true` against the same
# without the volume, interleaved run by run so drift on a shared machine hits both alike
# (and docker beside it when a docker daemon runs here).
source "$(dirname "$0")/lib.sh"
N=${N:-30}
bench_start_daemon
"$BERTH" volume create bench-vol >/dev/null
"$BERTH" run --rm -v bench-vol:/data --network none busybox true # first use: warm

plain=(); vol=(); diffs=()
for _ in $(seq "$N"); do
  a=$(time_runs 1 "$BERTH" run --rm --network none busybox true)
  b=$(time_runs 1 "$BERTH" run --rm --network none -v bench-vol:/data busybox true)
  plain+=("$a"); vol+=("$b"); diffs+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }')")
done
p=$(printf '%s\n' "${plain[@]}" | median)
v=$(printf '%s\n' "${vol[@]}" | median)
d=$(printf '%s\n' "${diffs[@]}" | median)

printf '\n%-58s %12s\n' "command ($N interleaved runs each)" "median ms"
printf '%-58s %12s\n' "berth run --rm --network none busybox true" "$p"
printf '%-58s %12s\n' "berth run --rm --network none -v bench-vol:/data busybox true" "$v"
printf '%-58s %12s %s\n' "volume adds (median of paired differences)" "$d" "(budget 2 ms)"
bench_start_dockerd >/dev/null
if [ -n "$BENCH_DOCKER" ]; then
  D=$BENCH_DOCKER
  $D volume create bench-vol >/dev/null
  dp=$(time_runs "$N" $D run --rm --network none busybox true | median)
  dv=$(time_runs "$N" $D run --rm --network none -v bench-vol:/data busybox true | median)
  $D volume rm bench-vol >/dev/null
  printf '%-58s %12s\n' "docker run --rm (without / with volume)" "$dp / $dv"
fi
