#!/usr/bin/env bash
# 100 containers on one user network (C to change it), each reaching another, chosen at random, by name
# through the embedded DNS and a TCP connection; reports successes and the time for all of them.
source "$(dirname "$0")/lib.sh"
C=${C:-100}
bench_start_daemon
"$BERTH" network create bench-scale >/dev/null
t0=$(now_ns)
for i in $(seq "$C"); do
  "$BERTH" run -d --name "scale-$i" --network bench-scale busybox sh -c 'while true; do echo ok | nc -l -p 7000 >/dev/null; done' >/dev/null
done
t1=$(now_ns)
ok=0; fail=0
for i in $(seq "$C"); do
  peer=$(( (i + RANDOM) % C + 1 ))
  if "$BERTH" exec "scale-$i" sh -c "echo hi | nc -w 3 scale-$peer 7000" >/dev/null 2>&1; then ok=$((ok + 1)); else fail=$((fail + 1)); fi
done
t2=$(now_ns)
printf '\n%-52s %12s\n' "measure ($C containers on one network)" "value"
printf '%-52s %12s\n' "start all (s)" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
printf '%-52s %12s\n' "each reaches a random other by name: ok / failed" "$ok / $fail"
printf '%-52s %12s\n' "time for all $C exec+connects (s)" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
