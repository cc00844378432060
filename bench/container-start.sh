#!/usr/bin/env bash
# Container start latency: `berth run --rm --network none busybox true` against `runc run`
# of a bare bundle of the same rootfs, and docker and podman when installed (bench/peers.sh runs them privately).
# The contenders take turns run by run, so load from elsewhere on a shared machine hits each alike.
source "$(dirname "$0")/lib.sh"
N=${N:-30}
bench_start_daemon

names=("berth run --rm --network none busybox true")
cmds=(berth_once)
berth_once() { "$BERTH" run --rm --network none busybox true; }

if have runc; then
  bundle="$BENCH_ROOT/bundle"; mkdir -p "$bundle/rootfs"
  cid=$("$BERTH" create busybox true)
  "$BERTH" export "$cid" | tar -x -C "$bundle/rootfs"
  "$BERTH" rm "$cid" >/dev/null
  (cd "$bundle" && runc spec && sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"true"/' config.json)
  i=0
  runc_once() { i=$((i + 1)); runc --root "$BENCH_ROOT/runc" run --bundle "$bundle" "berth-bench-$$-$i"; }
  names+=("runc run (bare bundle, same rootfs)"); cmds+=(runc_once)
fi
bench_start_dockerd
if [ -n "$BENCH_DOCKER" ]; then
  docker_once() { $BENCH_DOCKER run --rm --network none busybox true; }
  names+=("docker run --rm --network none busybox true"); cmds+=(docker_once)
fi
bench_start_podman
if [ -n "$BENCH_PODMAN" ]; then
  podman_once() { $BENCH_PODMAN run --rm $(bench_podman_run_opts) busybox true; }
  names+=("podman run --rm --network none busybox true"); cmds+=(podman_once)
fi

for c in "${cmds[@]}"; do "$c" >/dev/null 2>&1; done   # one warm-up each
for _ in $(seq "$N"); do
  for k in "${!cmds[@]}"; do time_runs 1 "${cmds[$k]}" >>"$BENCH_ROOT/times.$k"; done
done

runc_ms=""
for k in "${!cmds[@]}"; do [ "${cmds[$k]}" = runc_once ] && runc_ms=$(median <"$BENCH_ROOT/times.$k"); done
printf '\n%-50s %12s %10s\n' "command ($N runs, interleaved)" "median ms" "vs runc"
for k in "${!cmds[@]}"; do
  ms=$(median <"$BENCH_ROOT/times.$k")
  ratio=$([ -n "$runc_ms" ] && awk -v a="$ms" -v b="$runc_ms" 'BEGIN { printf "%.2fx", a / b }' || echo "-")
  printf '%-50s %12s %10s\n' "${names[$k]}" "$ms" "$ratio"
done
