#!/usr/bin/env bash
# Build the Threadline image from ./Dockerfile and smoke-test it, without a Docker engine.
#
#   bash scripts/buildah-build.sh            # stand-in base (if missing), build, run, check, clean up
#   bash scripts/buildah-build.sh --no-run   # stand-in base + build only
#   bash scripts/buildah-build.sh --base-only
#   bash scripts/buildah-build.sh --clean    # remove the work dir (storage, caches, base rootfs) and exit
#
# How: Debian's buildah with `--isolation chroot` and `--pull=never`. `FROM node:24-slim` resolves to
# a local stand-in image (debootstrap --variant=minbase bookworm + this host's node and npm + a `node`
# user, uid 1000) committed as docker.io/library/node:24-slim in a private buildah store, so nothing
# is pulled from an image registry. The image is then run with the embedded PGlite database:
# /healthz must answer 200, / must answer 200 with HTML, the image's HEALTHCHECK command must pass,
# and the server must exit promptly on SIGTERM.
#
# Needs root (apt-get, debootstrap, buildah's store). Everything it makes lives under
# $THREADLINE_BUILDAH_DIR (default: $TMPDIR/threadline-buildah), never in the repo; re-running reuses
# the base image and buildah's layer cache.
#
# Environment knobs:
#   THREADLINE_BUILDAH_DIR  work dir (default ${TMPDIR:-/tmp}/threadline-buildah)
#   IMAGE                   tag to build (default localhost/threadline:buildah)
#   STORAGE_DRIVER          buildah storage driver (default overlay, falls back to vfs)
#   DEBIAN_MIRROR           debootstrap mirror (default: the host's apt mirror, else deb.debian.org)
#   SMOKE_PORT              port the smoke run listens on, on 127.0.0.1 (default 38370)
#   HEALTH_TIMEOUT          seconds to wait for /healthz (default 180)
#   BUILD_TARGET            build only up to this stage (e.g. prod-deps); implies --no-run
#   SMOKE_DATABASE_URL      also run the image against this PostgreSQL URL (the app migrates and
#                           seeds it; use a throwaway database), e.g. postgres://postgres@127.0.0.1:5432/x
set -Eeuo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${THREADLINE_BUILDAH_DIR:-${TMPDIR:-/tmp}/threadline-buildah}
IMAGE=${IMAGE:-localhost/threadline:buildah}
BASE_IMAGE=docker.io/library/node:24-slim
SUITE=bookworm
SMOKE_PORT=${SMOKE_PORT:-38370}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-180}
SMOKE_CTR=threadline-smoke
STOP_BUDGET=10   # seconds the app may take to exit after SIGTERM

MODE=all
case "${1:-}" in
  "") ;;
  --no-run) MODE=build ;;
  --base-only) MODE=base ;;
  --clean) MODE=clean ;;
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
esac

STEP=0
step() { STEP=$((STEP + 1)); printf '\n==> [%d] %s\n' "$STEP" "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  die "run as root (apt-get, debootstrap and buildah's chroot isolation need it)"
fi

if [ "$MODE" = clean ]; then
  step "Removing $WORK"
  if [ -d "$WORK/storage" ] && command -v buildah >/dev/null; then
    buildah --root "$WORK/storage/root" --runroot "$WORK/storage/runroot" rm --all >/dev/null 2>&1 || true
    for m in $(findmnt -rno TARGET | grep -F "$WORK/" | sort -r); do umount "$m" 2>/dev/null || true; done
  fi
  rm -rf "$WORK"
  exit 0
fi

mkdir -p "$WORK/tmp"
export TMPDIR="$WORK/tmp"   # buildah's temp files and RUN --mount=type=cache dirs stay in the work dir

# One run at a time per work dir.
exec 9>"$WORK/lock"
flock -n 9 || die "another buildah-build.sh is using $WORK"

# ---------------------------------------------------------------------------
step "Checking tools (buildah, debootstrap)"
missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  info "installing with apt-get: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
info "$(buildah --version)"
HOST_NODE=$(command -v node) || die "node is needed on the host: its binary goes into the base stand-in"
HOST_NODE=$(readlink -f "$HOST_NODE")
NODE_VERSION=$("$HOST_NODE" -p 'process.versions.node')
info "host node $NODE_VERSION ($HOST_NODE)"
case "$NODE_VERSION" in 24.*) ;; *) info "NOTE: host node is $NODE_VERSION, not 24.x: the stand-in for node:24-slim carries it (the app runs on 20, 22 and 24; a real build pulls node 24)" ;; esac

# Storage: a private store under the work dir. overlay if the kernel allows it here, else vfs.
DRIVER=${STORAGE_DRIVER:-}
if [ -z "$DRIVER" ]; then
  if [ -f "$WORK/storage/driver" ]; then
    DRIVER=$(cat "$WORK/storage/driver")
  else
    probe="$WORK/tmp/ovl-probe"
    mkdir -p "$probe"/{l,u,w,m}
    if mount -t overlay overlay -o "lowerdir=$probe/l,upperdir=$probe/u,workdir=$probe/w" "$probe/m" 2>/dev/null; then
      umount "$probe/m"; DRIVER=overlay
    else
      DRIVER=vfs
    fi
    rm -rf "$probe"
  fi
fi
mkdir -p "$WORK/storage"
echo "$DRIVER" >"$WORK/storage/driver"
B=(buildah --root "$WORK/storage/root" --runroot "$WORK/storage/runroot" --storage-driver "$DRIVER")
info "buildah store: $WORK/storage (driver $DRIVER)"

# ---------------------------------------------------------------------------
step "Base image stand-in for node:24-slim"
BASE_STAMP="$WORK/base/stamp"
base_id="debian-$SUITE-minbase node-$NODE_VERSION"
if "${B[@]}" inspect --type image "$BASE_IMAGE" >/dev/null 2>&1 && [ "$(cat "$BASE_STAMP" 2>/dev/null)" = "$base_id" ]; then
  info "$BASE_IMAGE already in the store ($base_id)"
else
  ROOTFS="$WORK/base/rootfs"
  if [ ! -f "$WORK/base/debootstrap.ok" ]; then
    mirror=${DEBIAN_MIRROR:-}
    if [ -z "$mirror" ]; then
      mirror=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
        | head -n1 | awk '{print $2}') || true
      mirror=${mirror:-http://deb.debian.org/debian}
    fi
    info "debootstrap --variant=minbase $SUITE from $mirror (about a minute)"
    rm -rf "$ROOTFS"; mkdir -p "$WORK/base"
    debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$mirror" >"$WORK/base/debootstrap.log" 2>&1 \
      || die "debootstrap failed, see $WORK/base/debootstrap.log"
    touch "$WORK/base/debootstrap.ok"
  else
    info "reusing debootstrapped rootfs"
  fi

  info "adding node $NODE_VERSION, npm and the node user (uid 1000)"
  install -D -m 0755 "$HOST_NODE" "$ROOTFS/usr/local/bin/node"
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  [ -f "$npm_dir/package.json" ] || die "cannot find the host's npm package (looked in $npm_dir)"
  rm -rf "$ROOTFS/usr/local/lib/node_modules"
  mkdir -p "$ROOTFS/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$ROOTFS/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
  # Same entrypoint behaviour as the official image: exec the command (node as PID 1).
  cat >"$ROOTFS/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod 0755 "$ROOTFS/usr/local/bin/docker-entrypoint.sh"
  if ! chroot "$ROOTFS" getent passwd node >/dev/null; then
    chroot "$ROOTFS" groupadd --gid 1000 node
    chroot "$ROOTFS" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  fi
  env -u NODE_EXTRA_CA_CERTS chroot "$ROOTFS" /usr/local/bin/node -e 'process.exit(0)' || die "host node does not run inside the $SUITE rootfs"
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
    "$ROOTFS"/var/log/*.log "$ROOTFS"/var/log/apt/* "$ROOTFS"/tmp/* 2>/dev/null || true

  info "importing as $BASE_IMAGE"
  tar --numeric-owner --xattrs -C "$ROOTFS" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
    -cf "$WORK/base/rootfs.tar" .
  "${B[@]}" rm "$SMOKE_CTR-base" >/dev/null 2>&1 || true
  bctr=$("${B[@]}" from --name "$SMOKE_CTR-base" scratch)
  "${B[@]}" add "$bctr" "$WORK/base/rootfs.tar" / >/dev/null
  "${B[@]}" config \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_VERSION="$NODE_VERSION" \
    --entrypoint '["docker-entrypoint.sh"]' --cmd node --workingdir / \
    --os linux --arch "$(dpkg --print-architecture)" "$bctr"
  "${B[@]}" commit --quiet --rm "$bctr" "$BASE_IMAGE" >/dev/null
  rm -f "$WORK/base/rootfs.tar"
  echo "$base_id" >"$BASE_STAMP"
  info "committed $BASE_IMAGE"
fi
info "$("${B[@]}" images --format '{{.Name}}:{{.Tag}}  {{.Size}}' "$BASE_IMAGE")"
[ "$MODE" = base ] && exit 0

# ---------------------------------------------------------------------------
step "Building from Dockerfile${BUILD_TARGET:+ (stage $BUILD_TARGET)}"
if [ -n "${BUILD_TARGET:-}" ]; then IMAGE="$IMAGE-$BUILD_TARGET"; MODE=build; fi
build_opts=(--isolation chroot --pull=never --layers --force-rm --format docker -f "$REPO_ROOT/Dockerfile" -t "$IMAGE")
[ -z "${BUILD_TARGET:-}" ] || build_opts+=(--target "$BUILD_TARGET")
# Where npm reaches the registry through a TLS-intercepting proxy, this host trusts an extra CA
# (npm's cafile / NODE_EXTRA_CA_CERTS). Lend it to the build's RUN steps only, through a bind-mounted
# global npmrc: nothing lands in the Dockerfile or the image. A normal Docker host needs none of this.
# (HTTP(S)_PROXY variables, when set, are passed to RUN steps by buildah itself.)
host_ca=""
for c in "${NODE_EXTRA_CA_CERTS:-}" "$(npm config get cafile 2>/dev/null || true)"; do
  if [ -n "$c" ] && [ "$c" != null ] && [ "$c" != undefined ] && [ -f "$c" ]; then host_ca=$c; break; fi
done
if [ -n "$host_ca" ]; then
  rm -rf "$WORK/npm"; mkdir -p "$WORK/npm"
  cp "$host_ca" "$WORK/npm/npm-host-ca.pem"
  printf 'cafile=/usr/local/etc/npm-host-ca.pem\n' >"$WORK/npm/npmrc"
  # Mounted over /usr/local/etc (an existing, empty directory in node:24-slim, so no
  # mount-point files are left behind in the layers): npm reads $PREFIX/etc/npmrc.
  build_opts+=(--volume "$WORK/npm:/usr/local/etc:ro")
  info "lending the host's CA bundle to npm during the build (host npm uses a custom cafile)"
fi
t0=$(date +%s)
if ! "${B[@]}" build "${build_opts[@]}" "$REPO_ROOT" 2>&1 | tee "$WORK/build.log" | sed 's/^/    | /'; then
  die "buildah build failed (log: $WORK/build.log)"
fi
info "built in $(( $(date +%s) - t0 )) s"
size=$("${B[@]}" images --format '{{.Size}}' "$IMAGE" | head -n1)
info "image $IMAGE: $size"

# Image config as JSON (Docker format keeps HEALTHCHECK).
cfg=$("${B[@]}" inspect --type image "$IMAGE")
jq_node() { printf '%s' "$cfg" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const c=JSON.parse(s).Docker.config;$1})"; }
info "user=$(jq_node 'console.log(c.User)')  volumes=$(jq_node 'console.log(Object.keys(c.Volumes||{}).join(","))')  exposed=$(jq_node 'console.log(Object.keys(c.ExposedPorts||{}).join(","))')"
info "healthcheck: $(jq_node 'console.log(JSON.stringify(c.Healthcheck?.Test||null).slice(0,90))')…"
[ "$MODE" = build ] && exit 0
[ "$(jq_node 'console.log(c.User)')" = node ] || die "image does not run as USER node"

# ---------------------------------------------------------------------------
step "Running the image (embedded PGlite in a fresh /data, 127.0.0.1:$SMOKE_PORT)"
mapfile -d '' -t argv < <(jq_node 'for (const a of [...(c.Entrypoint||[]), ...(c.Cmd||[])]) process.stdout.write(a+"\0")')
mapfile -d '' -t hc_argv < <(jq_node 'const t=c.Healthcheck?.Test||[]; if (t[0]==="CMD") for (const a of t.slice(1)) process.stdout.write(a+"\0")')
[ ${#argv[@]} -gt 0 ] || die "image has no CMD"
info "command: ${argv[*]}"

RUN_PID=""
NODE_PID=""
DATA="$WORK/smoke-data"
cleanup() {
  local rc=$?
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then kill -KILL "$NODE_PID" 2>/dev/null || true; fi
  if [ -n "$RUN_PID" ] && kill -0 "$RUN_PID" 2>/dev/null; then kill -KILL "$RUN_PID" 2>/dev/null || true; wait "$RUN_PID" 2>/dev/null || true; fi
  "${B[@]}" rm "$SMOKE_CTR" >/dev/null 2>&1 || true
  rm -rf "$DATA"
  [ $rc -eq 0 ] || printf '    (server log: %s)\n' "$WORK/smoke.log" >&2
}
trap cleanup EXIT

descendants() {
  local p
  for p in $(ps -o pid= --ppid "$1"); do echo "$p"; descendants "$p"; done
}

# start_server [--env K=V ...]: the image's ENTRYPOINT+CMD in the smoke container, host network
# (chroot isolation), listening on 127.0.0.1 only; waits for GET /healthz = 200.
start_server() {
  if ss -Hltn "sport = :$SMOKE_PORT" | grep -q .; then die "port $SMOKE_PORT is busy: set SMOKE_PORT"; fi
  "${B[@]}" run --isolation chroot -v "$DATA:/data" --env PORT="$SMOKE_PORT" --env HOST=127.0.0.1 "$@" \
    "$SMOKE_CTR" -- "${argv[@]}" >>"$WORK/smoke.log" 2>&1 &
  RUN_PID=$!
  local t0 code=000
  t0=$(date +%s)
  while :; do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$SMOKE_PORT/healthz" || true)
    [ "$code" = 200 ] && break
    if ! kill -0 "$RUN_PID" 2>/dev/null; then
      tail -n 40 "$WORK/smoke.log" | sed 's/^/    | /'; die "the server exited before /healthz answered"
    fi
    if [ $(( $(date +%s) - t0 )) -ge "$HEALTH_TIMEOUT" ]; then
      tail -n 40 "$WORK/smoke.log" | sed 's/^/    | /'; die "/healthz still $code after ${HEALTH_TIMEOUT}s"
    fi
    sleep 1
  done
  info "GET /healthz -> $code after $(( $(date +%s) - t0 )) s"
  # The node process: a descendant of `buildah run` (chroot isolation shares the host's PID namespace).
  NODE_PID=""
  local p
  for p in $(descendants "$RUN_PID"); do
    if tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q 'build/server.js'; then NODE_PID=$p; fi
  done
  [ -n "$NODE_PID" ] || die "cannot find the server process under buildah run ($RUN_PID)"
  info "server pid $NODE_PID runs as uid $(awk '/^Uid:/{print $2}' "/proc/$NODE_PID/status")"
}

check_home() {
  local code ctype
  code=$(curl -s -D "$WORK/home.headers" -o "$WORK/home.html" -m 20 -w '%{http_code}' "http://127.0.0.1:$SMOKE_PORT/" || true)
  ctype=$(awk -F': *' 'tolower($1)=="content-type"{print $2}' "$WORK/home.headers" | tr -d '\r' | tail -n1)
  info "GET / -> $code, $ctype, $(wc -c <"$WORK/home.html") bytes"
  [ "$code" = 200 ] || die "GET / answered $code"
  case "$ctype" in text/html*) ;; *) die "GET / is not HTML ($ctype)" ;; esac
  grep -qi '<html' "$WORK/home.html" || die "GET / has no <html> element"
}

# stop_server: SIGTERM to node, sets STOP_MS and STOP_RC; fails past STOP_BUDGET seconds.
stop_server() {
  local t0 _
  t0=$(date +%s%N)
  kill -TERM "$NODE_PID"
  for _ in $(seq 1 $((STOP_BUDGET * 10 + 50))); do
    kill -0 "$RUN_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$RUN_PID" 2>/dev/null && die "still running $((STOP_BUDGET + 5)) s after SIGTERM"
  STOP_RC=0
  wait "$RUN_PID" || STOP_RC=$?
  RUN_PID=""; NODE_PID=""
  STOP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  info "exited with status $STOP_RC after ${STOP_MS} ms"
  [ "$STOP_MS" -le $((STOP_BUDGET * 1000)) ] || die "took longer than ${STOP_BUDGET}s to stop"
  case "$STOP_RC" in 0|143) ;; *) tail -n 20 "$WORK/smoke.log" | sed 's/^/    | /'; die "unexpected exit status $STOP_RC" ;; esac
}

"${B[@]}" rm "$SMOKE_CTR" >/dev/null 2>&1 || true
"${B[@]}" from --pull=never --name "$SMOKE_CTR" "$IMAGE" >/dev/null
rm -rf "$DATA"; mkdir -p "$DATA"; chown 1000:1000 "$DATA"
: >"$WORK/smoke.log"
info "cold start: the app creates, migrates and seeds the PGlite database in /data"
start_server

step "Checking pages and the image's HEALTHCHECK"
check_home
if [ ${#hc_argv[@]} -gt 0 ]; then
  if "${B[@]}" run --isolation chroot --env PORT="$SMOKE_PORT" "$SMOKE_CTR" -- "${hc_argv[@]}" >>"$WORK/smoke.log" 2>&1; then
    info "HEALTHCHECK command -> exit 0 (healthy)"
  else
    die "the image's HEALTHCHECK command failed while /healthz answers 200"
  fi
fi

step "Stopping with SIGTERM"
stop_server
ms=$STOP_MS; rc=$STOP_RC

step "Running the compiled db-migrate and db-seed commands in the image (build/commands)"
# Same /data, server stopped: a PGlite directory must never be open in two processes.
for script in db-migrate db-seed; do
  if out=$("${B[@]}" run --isolation chroot -v "$DATA:/data" "$SMOKE_CTR" -- node "build/commands/$script.js" 2>&1); then
    info "$script -> ok: $(printf '%s' "$out" | tail -n1)"
  else
    printf '%s\n' "$out" | sed 's/^/    | /' | tail -n 20
    die "$script failed in the image"
  fi
done
# Compiled JavaScript only: no TypeScript source outside node_modules, and no tsx.
if "${B[@]}" run --isolation chroot "$SMOKE_CTR" -- sh -c 'find /app -path /app/node_modules -prune -o \( -name "*.ts" -o -name "*.tsx" \) -print | grep -q . || test -e /app/node_modules/tsx'; then
  die "the image holds TypeScript sources or tsx"
fi
info "no TypeScript sources and no tsx under /app"

pg_note=""
if [ -n "${SMOKE_DATABASE_URL:-}" ]; then
  step "Running the image against DATABASE_URL (SMOKE_DATABASE_URL)"
  start_server --env DATABASE_URL="$SMOKE_DATABASE_URL"
  check_home
  stop_server
  pg_note=", DATABASE_URL run ok (SIGTERM ${STOP_MS} ms)"
fi

step "Summary"
info "image: $IMAGE ($size), base: stand-in $BASE_IMAGE (node $NODE_VERSION)"
info "/healthz 200, / 200 HTML, HEALTHCHECK ok, SIGTERM exit ${ms} ms (status $rc), db-migrate + db-seed ok$pg_note"
info "work dir (cache, store): $WORK  — remove with: bash scripts/buildah-build.sh --clean"
