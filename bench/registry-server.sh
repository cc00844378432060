#!/usr/bin/env bash
# Berth's registry server (`berth registry serve`) against Debian's distribution 2.8 (/usr/bin/docker-registry) under the
# same load: 20 images (two gzip layers of incompressible data and a config each, all distinct) pushed, then pulled, then
# pulled again while being pushed to new repositories, by 8 concurrent skopeo clients. Each round gives each server a fresh,
# empty storage directory; rounds alternate which server goes first so drift on a shared machine hits both alike.
# Reports median throughput (images/s, MB/s of image content) and the server's peak RSS (VmHWM) over the round.
# Needs no Berth daemon. Loopback only.
source "$(dirname "$0")/lib.sh"
N=${N:-3}
IMAGES=${IMAGES:-20}
CLIENTS=${CLIENTS:-8}
LAYER_KB=${LAYER_KB:-"3072 1024"}
DISTRIBUTION=${DISTRIBUTION:-/usr/bin/docker-registry}
have skopeo || { echo "bench: skopeo is needed as the client" >&2; exit 1; }
[ -x "$DISTRIBUTION" ] || { echo "bench: $DISTRIBUTION not found (Debian's docker-registry package)" >&2; exit 1; }

SERVER_PID=
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true # killed by us: its status is 143
  SERVER_PID=
}
trap 'stop_server; bench_cleanup' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_server berth|distribution DIR PORT: starts it in the background with its storage in DIR and waits until /v2/ answers.
start_server() {
  local kind=$1 dir=$2 port=$3
  mkdir -p "$dir"
  case $kind in
    berth) "$BERTH" registry serve --root "$dir/storage" --addr "127.0.0.1:$port" >"$dir/log" 2>&1 & ;;
    distribution)
      cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
      "$DISTRIBUTION" serve "$dir/config.yml" >"$dir/log" 2>&1 & ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && return 0; sleep 0.05; done
  echo "bench: $kind registry did not come up on port $port:" >&2; cat "$dir/log" >&2; return 1
}

# Twice as many images as pushed in the first phase: the mixed phase pushes the second half, so its pushes send bytes
# rather than mount blobs the server already has.
echo "generating $((IMAGES * 2)) images (layers of ${LAYER_KB// /+} KiB each) as one OCI layout ..."
LAYOUT=$BENCH_ROOT/oci
python3 - "$LAYOUT" $((IMAGES * 2)) $LAYER_KB >"$BENCH_ROOT/image-bytes" <<'PY'
import gzip, hashlib, io, json, os, random, sys, tarfile
layout, images, sizes = sys.argv[1], int(sys.argv[2]), [int(x) * 1024 for x in sys.argv[3:]]
blobs = os.path.join(layout, "blobs", "sha256"); os.makedirs(blobs)
def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, d), "wb") as f: f.write(data)
    return {"digest": "sha256:" + d, "size": len(data)}
index, total = [], 0
for i in range(images):
    r = random.Random(i)
    layers, diff_ids = [], []
    for j, n in enumerate(sizes):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
            info = tarfile.TarInfo(f"data/img{i}-layer{j}.bin"); info.size = n; info.mtime = 0
            t.addfile(info, io.BytesIO(r.randbytes(n)))
        tar = buf.getvalue()
        diff_ids.append("sha256:" + hashlib.sha256(tar).hexdigest())
        layers.append(dict(mediaType="application/vnd.oci.image.layer.v1.tar+gzip", **put(gzip.compress(tar, 1, mtime=0))))
    config = put(json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/sh"]},
                             "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode())
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **config), "layers": layers}).encode()
    m = put(manifest)
    total += m["size"] + config["size"] + sum(l["size"] for l in layers)
    index.append(dict(mediaType="application/vnd.oci.image.manifest.v1+json", annotations={"org.opencontainers.image.ref.name": f"img{i}"}, **m))
json.dump({"schemaVersion": 2, "manifests": index}, open(os.path.join(layout, "index.json"), "w"))
open(os.path.join(layout, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
print(total)
PY
IMAGE_BYTES=$(( $(cat "$BENCH_ROOT/image-bytes") / (IMAGES * 2) ))
cat "$LAYOUT"/blobs/sha256/* >/dev/null # page cache, for both servers alike

# One client operation; xargs runs CLIENTS of them at once. Arguments: push|pull|mix REGISTRY INDEX.
client_op() {
  local op=$1 reg=$2 i=$3
  case $op in
    push) skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$LAYOUT:img$i" "docker://$reg/bench/img$i:1" ;;
    pull) mkdir -p "$PULLS"; rm -rf "$PULLS/$i"; skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$reg/bench/img$i:1" "dir:$PULLS/$i" ;;
    # Half of a mixed phase pulls what the push phase stored, half pushes images the server has not seen.
    mix) if [ $((i % 2)) -eq 0 ]; then client_op pull "$reg" $((i / 2)); else client_op push "$reg" $((IMAGES + i / 2)); fi ;;
  esac
}
export -f client_op
export LAYOUT IMAGES PULLS=$BENCH_ROOT/pulls

# phase OP REGISTRY COUNT: prints the wall time in ms of COUNT operations run by CLIENTS concurrent clients.
phase() {
  local t0 t1
  t0=$(now_ns)
  seq 0 $(($3 - 1)) | xargs -P "$CLIENTS" -I{} bash -c 'client_op "$@"' _ "$1" "$2" {} \
    || { echo "bench: a $1 against $2 failed" >&2; return 1; }
  t1=$(now_ns)
  rm -rf "$PULLS"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'
}

declare -A push pull mix rss
for round in $(seq "$N"); do
  order="berth distribution"; [ $((round % 2)) -eq 0 ] && order="distribution berth"
  for kind in $order; do
    dir=$BENCH_ROOT/$kind; port=$(free_port)
    start_server "$kind" "$dir" "$port"
    push[$kind]+="$(phase push "127.0.0.1:$port" "$IMAGES") "
    pull[$kind]+="$(phase pull "127.0.0.1:$port" "$IMAGES") "
    mix[$kind]+="$(phase mix "127.0.0.1:$port" $((IMAGES * 2))) "
    rss[$kind]+="$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status") "
    stop_server
    rm -rf "$dir"
  done
  echo "round $round/$N done"
done

med() { printf '%s\n' $1 | median; }
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.2f", n / (ms / 1000) }'; }
mb() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.1f", n / 1e6 / (ms / 1000) }'; }
printf '\n%d images of %.2f MB (%s KiB gzip layers + config), %d skopeo clients, median of %d rounds, fresh storage each round\n' \
  "$IMAGES" "$(awk -v b="$IMAGE_BYTES" 'BEGIN { print b / 1e6 }')" "${LAYER_KB// /+}" "$CLIENTS" "$N"
printf '%-46s %16s %16s\n' "" "berth" "distribution 2.8"
for p in push pull mix; do
  unset -n times; declare -n times=$p
  count=$IMAGES; [ "$p" = mix ] && count=$((IMAGES * 2))
  label="$p ($count images)"; [ "$p" = mix ] && label="mixed: $IMAGES pulls + $IMAGES pushes at once"
  b=$(med "${times[berth]}"); d=$(med "${times[distribution]}")
  printf '%-46s %16s %16s\n' "$label: wall ms" "$b" "$d"
  printf '%-46s %16s %16s\n' "  images/s" "$(rate "$count" "$b")" "$(rate "$count" "$d")"
  printf '%-46s %16s %16s\n' "  MB/s" "$(mb $((IMAGE_BYTES * count)) "$b")" "$(mb $((IMAGE_BYTES * count)) "$d")"
done
printf '%-46s %16s %16s\n' "server peak RSS (VmHWM), MiB" \
  "$(awk -v k="$(med "${rss[berth]}")" 'BEGIN { printf "%.1f", k / 1024 }')" "$(awk -v k="$(med "${rss[distribution]}")" 'BEGIN { printf "%.1f", k / 1024 }')"
echo "(skopeo $(skopeo --version | awk '{print $3}'), $("$DISTRIBUTION" --version | awk '{print $3}'); clients share the machine's $(nproc) cores with the server)"
