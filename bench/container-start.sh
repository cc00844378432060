#!/usr/bin/env bash
# Container start latency: `berth run --rm --network none busybox true` against `runc run`
# of a bare bundle of the same rootfs (and docker/podman when a daemon for them is running).
source "$(dirname "$0")/lib.sh"
N=${N:-30}
bench_start_daemon

rows=()
berth_ms=$(time_runs "$N" "$BERTH" run --rm --network none busybox true | median)
rows+=("berth run --rm --network none busybox true|$berth_ms")

if have runc; then
  bundle="$BENCH_ROOT/bundle"; mkdir -p "$bundle/rootfs"
  cid=$("$BERTH" create busybox true)
  "$BERTH" export "$cid" | tar -x -C "$bundle/rootfs"
  "$BERTH" rm "$cid" >/dev/null
  (cd "$bundle" && runc spec && sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"true"/' config.json)
  i=0
  runc_once() { i=$((i + 1)); runc --root "$BENCH_ROOT/runc" run --bundle "$bundle" "berth-bench-$$-$i"; }
  runc_ms=$(time_runs "$N" runc_once | median)
  rows+=("runc run (bare bundle, same rootfs)|$runc_ms")
else
  runc_ms=""
fi
if have docker && docker -H unix:///var/run/docker.sock info >/dev/null 2>&1; then
  docker -H unix:///var/run/docker.sock image inspect busybox >/dev/null 2>&1 && \
    rows+=("docker run --rm --network none busybox true|$(time_runs "$N" docker -H unix:///var/run/docker.sock run --rm --network none busybox true | median)")
fi
if have podman && podman image exists busybox 2>/dev/null; then
  rows+=("podman run --rm --network none busybox true|$(time_runs "$N" podman run --rm --network none busybox true | median)")
fi

printf '\n%-50s %12s %10s\n' "command ($N runs)" "median ms" "vs runc"
for r in "${rows[@]}"; do
  name=${r%%|*}; ms=${r##*|}
  ratio=$([ -n "$runc_ms" ] && awk -v a="$ms" -v b="$runc_ms" 'BEGIN { printf "%.2fx", a / b }' || echo "-")
  printf '%-50s %12s %10s\n' "$name" "$ms" "$ratio"
done
