# Docker and podman beside Berth, for benches that compare: each runs with the bench's own data root, socket, bridge
# and cgroup parent under $BENCH_ROOT, adds no iptables rules, and is given busybox from Berth's own image (no
# registry). Sourced by lib.sh; bench_cleanup calls peers_cleanup.
#   bench_start_dockerd  starts Debian's dockerd (docker.io) when installed; sets BENCH_DOCKER to a docker command line
#   bench_start_podman   sets BENCH_PODMAN to a podman command line when podman is installed
BENCH_DOCKER=""
BENCH_PODMAN=""
BENCH_DOCKER_BRIDGE="db$BENCH_TAG"
BENCH_PEER_CGROUPS=("$BENCH_CGROUP-docker" "$BENCH_CGROUP-podman")

bench_start_dockerd() {
  have dockerd && have docker || { echo "(docker: dockerd not installed, no comparison)"; return 0; }
  local d="$BENCH_ROOT/dockerd"
  mkdir -p "$d"
  ip link add name "$BENCH_DOCKER_BRIDGE" type bridge && ip addr add "10.207.$BENCH_THIRD.1/24" dev "$BENCH_DOCKER_BRIDGE" \
    && ip link set "$BENCH_DOCKER_BRIDGE" up || { echo "bench: could not make docker's bridge" >&2; return 1; }
  dockerd --data-root "$d/data" --exec-root "$d/exec" -H "unix://$d/docker.sock" --pidfile "$d/docker.pid" \
    --bridge "$BENCH_DOCKER_BRIDGE" --iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false \
    --cgroup-parent "/${BENCH_PEER_CGROUPS[0]}" >"$d/log" 2>&1 &
  BENCH_DOCKERD_PID=$!
  local docker="docker -H unix://$d/docker.sock"
  for _ in $(seq 300); do $docker version >/dev/null 2>&1 && break; sleep 0.1; done
  $docker version >/dev/null 2>&1 || { echo "bench: dockerd did not start (see $d/log)" >&2; return 1; }
  "$BERTH" save busybox | $docker load >/dev/null
  BENCH_DOCKER=$docker
}

bench_start_podman() {
  have podman || { echo "(podman: not installed, no comparison)"; return 0; }
  local p="$BENCH_ROOT/podman"
  mkdir -p "$p/tmp"
  local podman="podman --root $p/root --runroot $p/run --tmpdir $p/tmp --cgroup-manager cgroupfs --events-backend file --storage-driver overlay"
  "$BERTH" save busybox | $podman load >"$p/load.log" 2>&1 || { cat "$p/load.log" >&2; echo "bench: podman could not load busybox" >&2; return 1; }
  BENCH_PODMAN=$podman
}

# podman run options every bench uses: the bench's cgroup parent; no network (its default network adds iptables rules);
# explicit file and process limits, since podman otherwise raises them, which fails where root lacks CAP_SYS_RESOURCE.
bench_podman_run_opts() {
  echo "--cgroup-parent /${BENCH_PEER_CGROUPS[1]} --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
}

peers_cleanup() {
  if [ -n "$BENCH_DOCKER" ]; then
    ids=$($BENCH_DOCKER ps -aq 2>/dev/null); [ -n "$ids" ] && $BENCH_DOCKER rm -f $ids >/dev/null 2>&1
  fi
  if [ -n "${BENCH_DOCKERD_PID:-}" ]; then
    kill "$BENCH_DOCKERD_PID" 2>/dev/null
    for _ in $(seq 150); do kill -0 "$BENCH_DOCKERD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$BENCH_DOCKERD_PID" 2>/dev/null; wait "$BENCH_DOCKERD_PID" 2>/dev/null
    pkill -f "containerd --config $BENCH_ROOT/dockerd" 2>/dev/null
  fi
  if [ -n "$BENCH_PODMAN" ]; then $BENCH_PODMAN rm -a -f >/dev/null 2>&1; fi
  ip link delete "$BENCH_DOCKER_BRIDGE" 2>/dev/null
}

# Removes the peers' cgroup parents (after their processes are gone); nested levels first.
peers_remove_cgroups() {
  for name in "${BENCH_PEER_CGROUPS[@]}"; do
    for c in /sys/fs/cgroup/*/"$name" /sys/fs/cgroup/"$name"; do
      [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
  done
}
