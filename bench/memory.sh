#!/usr/bin/env bash
# Resident memory: daemon idle, monitor per running container, CLI peak; dockerd + containerd, containerd-shim and
# conmon beside them when docker and podman are installed (bench/peers.sh runs them privately).
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
bench_start_dockerd >/dev/null
bench_start_podman >/dev/null
# mean_rss_kb PID...: mean resident set of the processes, in kB
mean_rss_kb() { local t=0; for p in "$@"; do t=$((t + $(rss_kb "$p"))); done; echo $((t / $#)); }
if [ -n "$BENCH_DOCKER" ]; then
  containerd_pid=$(pgrep -f "containerd --config $BENCH_ROOT/dockerd" | head -1)
  printf '%-44s %10.1f %14s\n' "dockerd + containerd, idle" "$(echo "($(rss_kb "$BENCH_DOCKERD_PID") + $(rss_kb "$containerd_pid"))/1024" | bc -l)" "-"
  for i in 1 2 3 4 5; do $BENCH_DOCKER run -d busybox sleep 600 >/dev/null; done
  sleep 1
  shims=$(pgrep -f "containerd-shim-runc-v2 -namespace moby .*-address $BENCH_ROOT/dockerd")
  printf '%-44s %10.1f %14s\n' "containerd-shim, per container (mean of 5)" "$(echo "$(mean_rss_kb $shims)/1024" | bc -l)" "-"
  printf '%-44s %10.1f %14s\n' "docker CLI peak (docker ps)" "$(echo "$(peak_rss_kb $BENCH_DOCKER ps)/1024" | bc -l)" "-"
  printf '%-44s %10.1f %14s\n' "docker CLI peak (docker version)" "$(echo "$(peak_rss_kb $BENCH_DOCKER version)/1024" | bc -l)" "-"
fi
if [ -n "$BENCH_PODMAN" ]; then
  for i in 1 2 3 4 5; do $BENCH_PODMAN run -d $(bench_podman_run_opts) busybox sleep 600 >/dev/null; done
  sleep 1
  conmons=$(pgrep -f "conmon .*$BENCH_ROOT/podman")
  printf '%-44s %10.1f %14s\n' "conmon, per container (mean of 5)" "$(echo "$(mean_rss_kb $conmons)/1024" | bc -l)" "-"
  printf '%-44s %10.1f %14s\n' "podman CLI peak (podman ps)" "$(echo "$(peak_rss_kb $BENCH_PODMAN ps)/1024" | bc -l)" "-"
  $BENCH_PODMAN rm -f -t 0 $($BENCH_PODMAN ps -aq) >/dev/null 2>&1
fi
