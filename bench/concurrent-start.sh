#!/usr/bin/env bash
# 50 containers started concurrently with -d, then removed: time for each, beside docker and podman when installed
# (bench/peers.sh), and for berth a check for leaks (mounts, cgroups, monitor processes) afterwards.
source "$(dirname "$0")/lib.sh"
N=${N:-50}
bench_start_daemon
bench_start_dockerd
bench_start_podman

# concurrent ENGINE-COMMAND...: N `run -d $extra` at once, then `rm -f $rm_extra` of them all; sets fails, running,
# start_ms, rm_ms
concurrent() {
  local engine=("$@") pids=() t0 t1 t2 t3 ids
  t0=$(now_ns)
  for i in $(seq "$N"); do "${engine[@]}" run -d $extra --name "bench-$i" busybox sleep 300 >/dev/null 2>>"$BENCH_ROOT/errors" & pids+=($!); done
  fails=0; for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
  t1=$(now_ns)
  running=$("${engine[@]}" ps -q | wc -l)
  ids=$("${engine[@]}" ps -aq --no-trunc)
  t2=$(now_ns)
  [ -n "$ids" ] && "${engine[@]}" rm -f $rm_extra $ids >/dev/null 2>>"$BENCH_ROOT/errors"
  t3=$(now_ns)
  start_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')
  rm_ms=$(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')
  berth_ids=$ids
}

declare -A row
extra="" rm_extra="" concurrent "$BERTH"
row[berth]="$fails $running $start_ms $rm_ms"
ids=$berth_ids
leaked_mounts=$(grep -c " $BENCH_ROOT/data" /proc/self/mountinfo || true)
leaked_cgroups=0
for id in $ids; do for c in /sys/fs/cgroup/*/"$BENCH_CGROUP"/"$id" /sys/fs/cgroup/"$BENCH_CGROUP"/"$id"; do [ -d "$c" ] && leaked_cgroups=$((leaked_cgroups + 1)); done; done
leaked_procs=$(pgrep -fc "__monitor $BENCH_ROOT" || true)
engines=(berth)
if [ -n "$BENCH_DOCKER" ]; then extra="" rm_extra="" concurrent $BENCH_DOCKER; row[docker]="$fails $running $start_ms $rm_ms"; engines+=(docker); fi
if [ -n "$BENCH_PODMAN" ]; then extra=$(bench_podman_run_opts) rm_extra="-t 0" concurrent $BENCH_PODMAN; row[podman]="$fails $running $start_ms $rm_ms"; engines+=("podman"); fi

printf '\n%-34s' "$N containers at once"; for e in "${engines[@]}"; do printf '%12s' "$e"; done; echo
for k in 1 2 3 4; do
  label=("" "start errors" "running after start" "concurrent run -d, total ms" "rm -f of all, total ms")
  printf '%-34s' "${label[$k]}"
  for e in "${engines[@]}"; do printf '%12s' "$(echo "${row[$e]}" | cut -d' ' -f"$k")"; done; echo
done
printf '%-34s%12s\n' "leaked mounts (berth)" "$leaked_mounts"
printf '%-34s%12s\n' "leaked cgroups (berth)" "$leaked_cgroups"
printf '%-34s%12s\n' "leaked monitor processes (berth)" "$leaked_procs"
[ -n "$BENCH_PODMAN" ] && echo "(podman runs with --network none, its default network adds iptables rules; berth and docker use a bridge. podman rm -f gets -t 0, as docker's and berth's kill at once)"
true
