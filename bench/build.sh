#!/usr/bin/env bash
# Image builds: the reference build cold (--no-cache) and warm (all cached), a 3-stage 20-step build cold and warm,
# and parsing all corpus Dockerfiles (one process per file, and all in one process). Medians of N runs (N=${N:-7}). Usage: bench/build.sh
source "$(dirname "$0")/lib.sh"
N=${N:-7}
CORPUS=${CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/conformance/dockerfile-corpus}
bench_start_daemon

REF=$BENCH_ROOT/ref; mkdir -p "$REF"; echo hello > "$REF/file"
printf 'FROM busybox\nRUN echo a > /a\nCOPY file /f\nENV X=1\nCMD ["sh"]\n' > "$REF/Dockerfile"

MULTI=$BENCH_ROOT/multi; mkdir -p "$MULTI/src"
for i in $(seq 5); do echo "part $i" > "$MULTI/src/p$i.txt"; done
cat > "$MULTI/Dockerfile" <<'DF'
ARG BASE=busybox
FROM ${BASE} AS deps
WORKDIR /deps
RUN echo dep1 > a
RUN echo dep2 > b
ENV STAGE=deps
FROM ${BASE} AS build
WORKDIR /src
COPY src/ ./
RUN cat *.txt > all.txt
RUN wc -l all.txt > count.txt
ARG VERSION=1.0
LABEL version=$VERSION
FROM busybox AS final
COPY --from=deps /deps /opt/deps
COPY --from=build /src/all.txt /opt/app/all.txt
COPY --from=build /src/count.txt /opt/app/
RUN ls -R /opt > /opt/manifest
ENV APP=/opt/app
EXPOSE 8080
USER nobody
WORKDIR /opt/app
CMD ["cat", "all.txt"]
DF

build() { "$BERTH" build -q "$@" >/dev/null; }
"$BERTH" build -q -t ref "$REF" >/dev/null
"$BERTH" build -q -t multi "$MULTI" >/dev/null

echo "berth build, median of $N (ms):"
echo "  reference cold (--no-cache): $(time_runs "$N" build --no-cache -t ref "$REF" | median)"
echo "  reference warm (all cached): $(time_runs "$N" build -t ref "$REF" | median)"
echo "  3 stages / 20 steps cold:    $(time_runs "$N" build --no-cache -t multi "$MULTI" | median)"
echo "  3 stages / 20 steps warm:    $(time_runs "$N" build -t multi "$MULTI" | median)"

if [ -d "$CORPUS" ]; then
  mapfile -t files < <(find "$CORPUS" -name Dockerfile | sort)
  count=${#files[@]}
  t0=$(now_ns)
  for f in "${files[@]}"; do "$BERTH" build --print-ast "$f" >/dev/null 2>&1 || true; done
  t1=$(now_ns)
  v0=$(now_ns); for _ in $(seq 20); do "$BERTH" version --format '{{.Client.Version}}' >/dev/null 2>&1 || true; done; v1=$(now_ns)
  # All files in one process (--print-ast takes many), so the figure is parsing, not process starts; median of N.
  one() { "$BERTH" build --print-ast "${files[@]}" >/dev/null 2>&1 || true; }
  single=$(time_runs "$N" one | median)
  awk -v a="$t0" -v b="$t1" -v n="$count" -v va="$v0" -v vb="$v1" -v one="$single" 'BEGIN {
    total = (b - a) / 1e6; start = (vb - va) / 1e6 / 20
    printf "  parse %d corpus Dockerfiles: %.0f ms total, one process each (%.2f ms per file; a bare CLI start is %.2f ms)\n", n, total, total / n, start
    printf "  parse %d corpus Dockerfiles in one process: %.0f ms, %.0f ms without its start (%.3f ms per file)\n", n, one, one - start, (one - start) / n }'
fi

bench_start_dockerd >/dev/null
if [ -n "$BENCH_DOCKER" ]; then
  # Debian's docker.io has no buildx plugin here, so its classic builder is what runs.
  dbuild() { DOCKER_BUILDKIT=0 $BENCH_DOCKER build -q "$@" >/dev/null 2>&1; }
  dbuild -t ref "$REF"; dbuild -t multi "$MULTI"
  echo "docker build (classic builder), median of $N (ms):"
  echo "  reference cold (--no-cache): $(time_runs "$N" dbuild --no-cache -t ref "$REF" | median)"
  echo "  reference warm (all cached): $(time_runs "$N" dbuild -t ref "$REF" | median)"
  echo "  3 stages / 20 steps cold:    $(time_runs "$N" dbuild --no-cache -t multi "$MULTI" | median)"
  echo "  3 stages / 20 steps warm:    $(time_runs "$N" dbuild -t multi "$MULTI" | median)"
else
  echo "docker: dockerd not installed; no side-by-side figures"
fi
