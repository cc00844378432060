# Shared helpers for Berth benchmarks: a private daemon, timing and medians.
# Source it; it sets BERTH, BENCH_ROOT and starts a daemon on its own data root.
set -euo pipefail

BERTH=${BERTH_BINARY:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/artifacts/berth/berth}
[ -x "$BERTH" ] || { echo "bench: $BERTH not found; run scripts/setup first" >&2; exit 1; }
# BENCH_FS=ext4 runs the bench on a freshly made ext4 (default mkfs options) on a loop device, so results do not
# depend on the quirks of the host's own filesystem (this VM's root is ext4 without a journal, where creating files
# right after deleting many scans the recently freed inodes).
BENCH_FS_MOUNT=""
if [ "${BENCH_FS:-}" = ext4 ]; then
  BENCH_FS_MOUNT=$(mktemp -d /tmp/berth-benchfs.XXXXXX)
  truncate -s 4G "$BENCH_FS_MOUNT.img" && mkfs.ext4 -q -F "$BENCH_FS_MOUNT.img" && mount -o loop "$BENCH_FS_MOUNT.img" "$BENCH_FS_MOUNT" \
    || { rm -rf "$BENCH_FS_MOUNT" "$BENCH_FS_MOUNT.img"; echo "bench: could not make the ext4 loop filesystem" >&2; exit 1; }
fi
BENCH_ROOT=$(mktemp -d "${BENCH_FS_MOUNT:-/tmp}/berth-bench.XXXXXX")
export BERTH_HOST="unix://$BENCH_ROOT/run/berth.sock"
export DOCKER_HOST="$BERTH_HOST"
BENCH_CGROUP=$(basename "$BENCH_ROOT")
# Its own bridge, subnet and firewall table, so a bench never touches a host's own berth networking.
BENCH_TAG=$(basename "$BENCH_ROOT" | tr -dc 'a-zA-Z0-9' | tail -c 7)
BENCH_BRIDGE="bb$BENCH_TAG"
BENCH_TABLE="berth_bench_$BENCH_TAG"
for x in $(shuf -i 1-254 -n 254); do ip -4 -o addr show | grep -q " 10.203.$x\." || { BENCH_THIRD=$x; break; }; done

bench_start_daemon() {
  "$BERTH" daemon --data-root "$BENCH_ROOT/data" --exec-root "$BENCH_ROOT/run" -H "$BERTH_HOST" --cgroup-parent "$BENCH_CGROUP" \
    --bridge "$BENCH_BRIDGE" --bip "10.203.$BENCH_THIRD.1/24" --default-address-pool "base=10.206.$BENCH_THIRD.0/24,size=24" \
    --firewall-table "$BENCH_TABLE" >"$BENCH_ROOT/daemon.log" 2>&1 &
  BENCH_DAEMON_PID=$!
  for _ in $(seq 200); do [ -S "$BENCH_ROOT/run/berth.sock" ] && break; sleep 0.05; done
  "$BERTH" image bootstrap >/dev/null
}

bench_cleanup() {
  set +e
  peers_cleanup
  if [ -n "${BENCH_DAEMON_PID:-}" ]; then
    ids=$("$BERTH" ps -aq --no-trunc 2>/dev/null)
    [ -n "$ids" ] && "$BERTH" rm -f $ids >/dev/null 2>&1
    for n in $("$BERTH" network ls -q --filter type=custom 2>/dev/null); do "$BERTH" network rm "$n" >/dev/null 2>&1; done
    kill "$BENCH_DAEMON_PID" 2>/dev/null; wait "$BENCH_DAEMON_PID" 2>/dev/null
  fi
  grep -o " $BENCH_ROOT[^ ]*" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done
  for c in /sys/fs/cgroup/*/"$BENCH_CGROUP" /sys/fs/cgroup/"$BENCH_CGROUP"; do
    [ -d "$c" ] && { find "$c" -mindepth 1 -maxdepth 1 -type d -exec rmdir {} \; ; rmdir "$c"; }
  done
  peers_remove_cgroups
  ip link delete "$BENCH_BRIDGE" 2>/dev/null
  nft delete table inet "$BENCH_TABLE" 2>/dev/null
  rm -rf "$BENCH_ROOT"
  if [ -n "$BENCH_FS_MOUNT" ]; then umount "$BENCH_FS_MOUNT" && rm -rf "$BENCH_FS_MOUNT" "$BENCH_FS_MOUNT.img"; fi
}
trap bench_cleanup EXIT
source "$(dirname "${BASH_SOURCE[0]}")/peers.sh"

# now_ns: monotonic-enough wall clock in nanoseconds
now_ns() { date +%s%N; }

# time_runs N CMD...: runs CMD N times, prints one duration (ms, 3 decimals) per line
time_runs() {
  local n=$1; shift
  for _ in $(seq "$n"); do
    local t0 t1; t0=$(now_ns); "$@" >/dev/null 2>&1 || { echo "bench: command failed: $*" >&2; return 1; }; t1=$(now_ns)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e6 }'
  done
}

# median: of numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# peak_rss_kb CMD...: peak resident set of CMD in kB (GNU time)
peak_rss_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

have() { command -v "$1" >/dev/null 2>&1; }
