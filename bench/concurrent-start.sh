#!/usr/bin/env bash
# 50 containers started concurrently with -d, then removed; reports time and checks for leaks
# (mounts, cgroups, processes) afterwards.
source "$(dirname "$0")/lib.sh"
N=${N:-50}
bench_start_daemon

t0=$(now_ns)
pids=()
for i in $(seq "$N"); do "$BERTH" run -d --name "bench-$i" busybox sleep 300 >/dev/null 2>"$BENCH_ROOT/err-$i" & pids+=($!); done
fails=0; for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
t1=$(now_ns)
running=$("$BERTH" ps -q | wc -l)
ids=$("$BERTH" ps -aq --no-trunc)
t2=$(now_ns)
"$BERTH" rm -f $ids >/dev/null
t3=$(now_ns)

leaked_mounts=$(grep -c " $BENCH_ROOT" /proc/self/mountinfo || true)
leaked_cgroups=0
for id in $ids; do for c in /sys/fs/cgroup/*/"$BENCH_CGROUP"/"$id" /sys/fs/cgroup/"$BENCH_CGROUP"/"$id"; do [ -d "$c" ] && leaked_cgroups=$((leaked_cgroups + 1)); done; done
leaked_procs=$(pgrep -fc "__monitor $BENCH_ROOT" || true)

printf '\n%-40s %10s\n' "berth, $N containers" "value"
printf '%-40s %10s\n' "start errors" "$fails"
printf '%-40s %10s\n' "running after start" "$running"
printf '%-40s %10.0f\n' "concurrent start, total ms" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e6 }')"
printf '%-40s %10.0f\n' "rm -f of all, total ms" "$(awk -v a="$t2" -v b="$t3" 'BEGIN { print (b - a) / 1e6 }')"
printf '%-40s %10s\n' "leaked mounts" "$leaked_mounts"
printf '%-40s %10s\n' "leaked cgroups" "$leaked_cgroups"
printf '%-40s %10s\n' "leaked monitor processes" "$leaked_procs"
have docker && docker -H unix:///var/run/docker.sock info >/dev/null 2>&1 || echo "(docker: no local dockerd running, no comparison)"
