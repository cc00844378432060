#!/usr/bin/env bash
# Resident memory: daemon idle, monitor per running container, CLI peak; dockerd/containerd-shim
# and conmon beside them when they run on this machine.
source "$(dirname "$0")/lib.sh"
bench_start_daemon
sleep 2
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

daemon_kb=$(rss_kb "$BENCH_DAEMON_PID")
# One monitor and one container init wait ahead of need (see docs/ARCHITECTURE.md, "Starting ahead"); a spare left
# unassigned for 30 s trims its working set, so both states are shown.
spare_pid=$(pgrep -P "$BENCH_DAEMON_PID" -f "__monitor --standby" | head -1)
parked_pid=$(pgrep -P "$spare_pid" -f "__init --parked" | head -1)
spare_fresh_kb=$(rss_kb "$spare_pid")
sleep 30
spare_kb=$(rss_kb "$spare_pid")
parked_kb=$(rss_kb "$parked_pid")
ids=()
for i in 1 2 3 4 5; do ids+=("$("$BERTH" run -d busybox sleep 600)"); done
sleep 1
mon_total=0
for id in "${ids[@]}"; do
  mpid=$(grep -o '"MonitorPid": *[0-9]*' "$BENCH_ROOT/run/containers/${id:0:24}/state.json" | grep -o '[0-9]*$')
  mon_total=$((mon_total + $(rss_kb "$mpid")))
done
mon_kb=$((mon_total / ${#ids[@]}))
daemon_busy_kb=$(rss_kb "$BENCH_DAEMON_PID")
cli_ps_kb=$(peak_rss_kb "$BERTH" ps)
cli_ver_kb=$(peak_rss_kb "$BERTH" version)
"$BERTH" rm -f "${ids[@]}" >/dev/null

printf '\n%-44s %10s %14s\n' "process" "RSS MiB" "budget MiB"
printf '%-44s %10.1f %14s\n' "berth daemon, idle" "$(echo "$daemon_kb/1024" | bc -l)" "40"
printf '%-44s %10.1f %14s\n' "berth standby monitor, first 30 s" "$(echo "$spare_fresh_kb/1024" | bc -l)" "-"
printf '%-44s %10.1f %14s\n' "berth standby monitor, after 30 s unassigned" "$(echo "$spare_kb/1024" | bc -l)" "-"
printf '%-44s %10.1f %14s\n' "berth parked init (one, ahead of need)" "$(echo "$parked_kb/1024" | bc -l)" "-"
printf '%-44s %10.1f %14s\n' "berth daemon, 5 containers running" "$(echo "$daemon_busy_kb/1024" | bc -l)" "-"
printf '%-44s %10.1f %14s\n' "berth monitor, per container (mean of 5)" "$(echo "$mon_kb/1024" | bc -l)" "3"
printf '%-44s %10.1f %14s\n' "berth CLI peak (berth ps)" "$(echo "$cli_ps_kb/1024" | bc -l)" "15"
printf '%-44s %10.1f %14s\n' "berth CLI peak (berth version)" "$(echo "$cli_ver_kb/1024" | bc -l)" "15"
if have docker; then
  printf '%-44s %10.1f %14s\n' "docker CLI peak (docker version, client)" "$(echo "$(peak_rss_kb docker version)/1024" | bc -l)" "-"
fi
for p in dockerd containerd containerd-shim-runc-v2 conmon; do
  pid=$(pgrep -fo "(^|/)$p( |$)" || true)
  [ -n "$pid" ] && printf '%-44s %10.1f %14s\n' "$p (running on this host)" "$(echo "$(rss_kb "$pid")/1024" | bc -l)" "-"
done
