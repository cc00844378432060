#!/usr/bin/env bash
# Networking costs: (1) what the default bridge adds to `run --rm busybox true` over --network none, interleaved;
# (2) DNS: 1,000 lookups of another container's name from inside a container's network namespace; (3) throughput of a
# 100 MB download through a published port on 127.0.0.1. Docker beside it when a docker daemon runs here.
source "$(dirname "$0")/lib.sh"
N=${N:-30}; LOOKUPS=${LOOKUPS:-1000}
bench_start_daemon
"$BERTH" run --rm busybox true # first bridge use: warm

plain=(); bridged=(); diffs=()
for _ in $(seq "$N"); do
  a=$(time_runs 1 "$BERTH" run --rm --network none busybox true)
  b=$(time_runs 1 "$BERTH" run --rm busybox true)
  plain+=("$a"); bridged+=("$b"); diffs+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }')")
done

"$BERTH" network create bench-net >/dev/null
"$BERTH" run -d --name bench-target --network bench-net busybox sleep 600 >/dev/null
client=$("$BERTH" run -d --network bench-net busybox sleep 600)
# The queries run in the client container's network namespace (its pin under the run dir), from a small
# python3 loop that times each UDP round trip to the network's DNS server on the gateway.
gw=$("$BERTH" network inspect -f '{{json .IPAM.Config}}' bench-net | grep -o '"Gateway":"[^"]*"' | cut -d'"' -f4)
nsenter --net="$BENCH_ROOT/run/netns/${client:0:24}" python3 - "$gw" "$LOOKUPS" > "$BENCH_ROOT/dns.txt" <<'PY'
import socket, struct, sys, time
gw, n = sys.argv[1], int(sys.argv[2])
name = b"".join(bytes([len(p)]) + p for p in b"bench-target".split(b".")) + b"\0"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
for i in range(n):
    q = struct.pack(">HHHHHH", i, 0x0100, 1, 0, 0, 0) + name + struct.pack(">HH", 1, 1)
    t0 = time.perf_counter_ns(); s.sendto(q, (gw, 53))
    try:
        r = s.recv(512); ok = struct.unpack(">H", r[6:8])[0] > 0
    except socket.timeout:
        ok = False
    t1 = time.perf_counter_ns()
    print((t1 - t0) / 1000 if ok else "fail")
PY
fails=$(grep -c fail "$BENCH_ROOT/dns.txt" || true)
dns_p50=$(grep -v fail "$BENCH_ROOT/dns.txt" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", v[int(NR * 0.50)] / 1000 }')
dns_p99=$(grep -v fail "$BENCH_ROOT/dns.txt" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", v[int(NR * 0.99)] / 1000 }')

port=$(shuf -i 20000-29999 -n 1)
"$BERTH" run -d --name bench-http -p "127.0.0.1:$port:80" busybox sh -c \
  'mkdir -p /www && head -c 104857600 /dev/zero > /www/big && exec httpd -f -p 80 -h /www' >/dev/null
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/big" -r 0-0 && break; sleep 0.1; done
t0=$(now_ns); curl -sf -o /dev/null "http://127.0.0.1:$port/big"; t1=$(now_ns)
mbps=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 100 / ((b - a) / 1e9) }')

printf '\n%-62s %12s\n' "measure" "value"
printf '%-62s %12s\n' "run --rm --network none busybox true (median ms, $N runs)" "$(printf '%s\n' "${plain[@]}" | median)"
printf '%-62s %12s\n' "run --rm busybox true, default bridge (median ms)" "$(printf '%s\n' "${bridged[@]}" | median)"
printf '%-62s %12s %s\n' "bridge adds (median of paired differences, ms)" "$(printf '%s\n' "${diffs[@]}" | median)" "(budget 5 ms)"
printf '%-62s %12s\n' "DNS: $LOOKUPS lookups of a container name, p50 ms" "$dns_p50"
printf '%-62s %12s %s\n' "DNS: p99 ms" "$dns_p99" "(budget 1 ms)"
printf '%-62s %12s\n' "DNS: failed lookups" "$fails"
printf '%-62s %12s\n' "100 MB through a published port on 127.0.0.1 (MB/s)" "$mbps"
bench_start_dockerd >/dev/null
if [ -n "$BENCH_DOCKER" ]; then
  D=$BENCH_DOCKER
  dn=$(time_runs "$N" $D run --rm --network none busybox true | median)
  db=$(time_runs "$N" $D run --rm busybox true | median)
  printf '%-62s %12s\n' "docker: none / bridge (median ms)" "$dn / $db"
else
  printf '%-62s %12s\n' "docker" "(dockerd not installed)"
fi
