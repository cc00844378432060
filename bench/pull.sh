#!/usr/bin/env bash
# Pull of a Debian-sized image (about 125 MB unpacked, 50 MB gzip, three layers, ~2000 files) from a registry on loopback
# into the local store, against the floor: fetching the same blobs with curl and unpacking them with `gzip -dc | tar -x`
# (all layers at once, which is less work than a pull: no ordering, no verification, no metadata).
# Runs are interleaved so drift on a shared machine hits both alike; docker and podman beside it when a daemon of theirs runs.
# BENCH_FS=ext4 runs it on a fresh ext4 loop filesystem instead of the host's /tmp (see lib.sh).
source "$(dirname "$0")/lib.sh"
N=${N:-5}
bench_start_daemon
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
REG=127.0.0.1:$PORT
"$BERTH" registry serve --root "$BENCH_ROOT/registry" --addr "$REG" >"$BENCH_ROOT/registry.log" 2>&1 &
REG_PID=$!
trap 'kill $REG_PID 2>/dev/null; wait $REG_PID 2>/dev/null; bench_cleanup' EXIT
for _ in $(seq 100); do curl -sf "http://$REG/v2/" >/dev/null && break; sleep 0.05; done

# Layer contents: words from a small vocabulary, so gzip gets about 2.5:1 as on a real distribution's files.
make_layer() { # dir seed small_files large_files large_mb
  python3 - "$@" <<'PY'
import os, random, sys
d, seed, small, large, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
r = random.Random(seed)
vocab = ["".join(r.choice("abcdefghijklmnopqrstuvwxyz_0123456789") for _ in range(r.randint(2, 10))) for _ in range(1500)]
def text(n):
    out, size = [], 0
    while size < n:
        line = " ".join(r.choices(vocab, k=12)) + "\n"
        out.append(line); size += len(line)
    return "".join(out)[:n].encode()
for i in range(small):
    p = os.path.join(d, f"share/s{seed}/{i % 40}/f{i}.txt"); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(text(r.randint(1000, 15000)))
for i in range(large):
    p = os.path.join(d, f"lib/l{seed}/big{i}.dat"); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(text(mb << 20))
PY
}
have skopeo || { echo "bench: skopeo is needed to push the layered image (scripts/setup installs it)" >&2; exit 1; }
echo "building the image (3 gzip layers as an OCI layout, pushed with skopeo) ..."
for i in 1 2 3; do mkdir -p "$BENCH_ROOT/layer$i"; make_layer "$BENCH_ROOT/layer$i" "$i" 700 6 6; done
python3 - "$BENCH_ROOT" <<'PY'
import gzip, hashlib, json, os, subprocess, sys
root = sys.argv[1]; oci = os.path.join(root, "oci"); blobs = os.path.join(oci, "blobs", "sha256"); os.makedirs(blobs)
def put(data):
    d = hashlib.sha256(data).hexdigest(); open(os.path.join(blobs, d), "wb").write(data); return "sha256:" + d, len(data)
layers, diff_ids = [], []
for i in (1, 2, 3):
    tar = subprocess.run(["tar", "-C", os.path.join(root, f"layer{i}"), "--sort=name", "--owner=0", "--group=0", "-cf", "-", "."], check=True, capture_output=True).stdout
    diff_ids.append("sha256:" + hashlib.sha256(tar).hexdigest())
    d, n = put(gzip.compress(tar, 6, mtime=0))
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": n})
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/sh"]}, "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
cd, cn = put(config)
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cn}, "layers": layers}).encode()
md, mn = put(manifest)
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": mn,
    "annotations": {"org.opencontainers.image.ref.name": "1"}}]}, open(os.path.join(oci, "index.json"), "w"))
open(os.path.join(oci, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
PY
rm -rf "$BENCH_ROOT"/layer?
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$BENCH_ROOT/oci:1" "docker://$REG/bench/debianish:1"
rm -rf "$BENCH_ROOT/oci"

# The blobs as the registry serves them.
MANIFEST=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$REG/v2/bench/debianish/manifests/1")
mapfile -t LAYERS < <(python3 -c 'import json,sys; [print(l["digest"]) for l in json.load(sys.stdin)["layers"]]' <<<"$MANIFEST")
gz=0; for l in "${LAYERS[@]}"; do gz=$((gz + $(curl -sfI "http://$REG/v2/bench/debianish/blobs/$l" | tr -d '\r' | awk 'tolower($1)=="content-length:" {print $2}'))); done

floor() {
  rm -rf "$BENCH_ROOT/floor"; mkdir -p "$BENCH_ROOT/floor"
  local pids=()
  for l in "${LAYERS[@]}"; do
    (mkdir -p "$BENCH_ROOT/floor/$l" && curl -sf "http://$REG/v2/bench/debianish/blobs/$l" | gzip -dc | tar -x -C "$BENCH_ROOT/floor/$l") &
    pids+=($!)
  done
  wait "${pids[@]}" # not a bare wait: the registry is a background job too
}
pull() { "$BERTH" pull "$REG/bench/debianish:1"; }
unpull() { "$BERTH" rmi "$REG/bench/debianish:1" >/dev/null; }

pull >/dev/null; unpull; floor # warm the page cache on both sides
unpacked=$(du -sm "$BENCH_ROOT/floor" | cut -f1)
b=(); f=()
for _ in $(seq "$N"); do
  b+=("$(time_runs 1 pull)"); unpull
  f+=("$(time_runs 1 floor)")
done
bm=$(printf '%s\n' "${b[@]}" | median); fm=$(printf '%s\n' "${f[@]}" | median)

printf '\nimage: %d layers, %.1f MB gzip, %d MB unpacked; registry: berth registry serve on %s\n' "${#LAYERS[@]}" "$(awk -v g="$gz" 'BEGIN { print g / 1e6 }')" "$unpacked" "$REG"
printf '%-62s %12s\n' "command ($N interleaved runs each)" "median ms"
printf '%-62s %12s\n' "berth pull (into the store, ready to run)" "$bm"
printf '%-62s %12s\n' "floor: curl | gzip -dc | tar -x, all layers in parallel" "$fm"
printf '%-62s %12s %s\n' "berth / floor" "$(awk -v a="$bm" -v b="$fm" 'BEGIN { printf "%.2f", a / b }')" "(goal <= 1.2)"
# Docker and podman of the bench's own (bench/peers.sh); a registry on loopback is plain HTTP to both.
bench_start_dockerd >/dev/null
bench_start_podman >/dev/null
for name in docker podman; do
  if [ "$name" = docker ]; then tool=$BENCH_DOCKER; pull_opts=""; else tool=$BENCH_PODMAN; pull_opts="--tls-verify=false"; fi
  if [ -n "$tool" ]; then
    $tool pull $pull_opts "$REG/bench/debianish:1" >/dev/null 2>&1 && $tool rmi "$REG/bench/debianish:1" >/dev/null 2>&1
    t=$(for _ in $(seq "$N"); do time_runs 1 $tool pull $pull_opts "$REG/bench/debianish:1"; $tool rmi "$REG/bench/debianish:1" >/dev/null 2>&1; done | median)
    printf '%-62s %12s\n' "$name pull" "$t"
  else
    printf '%-62s %12s\n' "$name pull" "not measured: $name not installed"
  fi
done
