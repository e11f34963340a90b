#!/usr/bin/env bash
# Container smoke test: builds the repo's Dockerfile with podman, offline from Docker Hub, starts the image with the
# tiny test model mounted and asks /v1/caption for a caption. Run it as root: `pnpm container:smoke`.
#
# Docker Hub is not reachable here, so the `node:20-bookworm-slim` base is made locally once: a Debian bookworm
# minbase root (debootstrap, from apt's configured mirror) plus this machine's Node 20 and npm, with the `node`
# user (uid 1000) the official image has. Where this machine trusts extra CAs for TLS (NODE_EXTRA_CA_CERTS, e.g. an
# inspecting egress proxy in front of the npm registry), the base carries that bundle and variable too, as the
# machine's own Node does. The Dockerfile itself is used unchanged.
#
# Needs: podman, runc, debootstrap (apt-get install podman runc debootstrap), and the npm registry for the build.
# Environment: REBUILD_BASE=1 rebuilds the base image; KEEP=1 leaves the container running afterwards;
# SMOKE_PORT (default 18080) is the host port; IMAGE (default paligemma:smoke) the tag built.
set -euo pipefail

cd "$(dirname "$0")/.."
BASE_IMAGE=node:20-bookworm-slim
IMAGE=${IMAGE:-paligemma:smoke}
CONTAINER=paligemma-smoke-$$
SMOKE_PORT=${SMOKE_PORT:-18080}
# podman here needs runc and explicit limits (the defaults ask for more than this machine's container allows).
PODMAN_RUN_FLAGS=(--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
# Time the container gets to load the model and answer; the tiny model loads in about a second.
READY_TIMEOUT_SECONDS=60

log() { printf '\n== %s\n' "$*" >&2; }
fail() { printf 'container smoke: %s\n' "$*" >&2; exit 1; }

for tool in podman debootstrap runc curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install podman runc debootstrap curl)"
done
[ "$(id -u)" = 0 ] || fail "run as root (podman build and debootstrap here need it)"

# The Debian mirror apt is configured with (deb822 or one-line sources).
debian_mirror() {
  local mirror
  mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  [ -n "$mirror" ] || mirror=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  echo "${mirror:-http://deb.debian.org/debian}"
}

build_base_image() {
  local root node_binary npm_root
  root=$(mktemp -d /tmp/node-bookworm-root.XXXXXX)
  node_binary=$(readlink -f "$(command -v node)")
  npm_root=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  "$node_binary" -e 'process.exit(process.versions.node.startsWith("20.") ? 0 : 1)' || fail "this machine's node is not Node 20"
  log "debootstrap bookworm (minbase) from $(debian_mirror) into $root"
  debootstrap --variant=minbase bookworm "$root" "$(debian_mirror)" >/tmp/container-smoke-debootstrap.log 2>&1 ||
    fail "debootstrap failed; see /tmp/container-smoke-debootstrap.log"
  log "adding Node $("$node_binary" --version) and npm, and the node user"
  install -m 0755 "$node_binary" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$npm_root" "$root/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
  local extra_ca=()
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
    log "carrying this machine's extra CA bundle ($NODE_EXTRA_CA_CERTS) into the base"
    mkdir -p "$root/usr/local/share/node-extra-ca"
    cp "$NODE_EXTRA_CA_CERTS" "$root/usr/local/share/node-extra-ca/ca.crt"
    extra_ca=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/node-extra-ca/ca.crt')
  fi
  log "podman import → $BASE_IMAGE"
  tar -C "$root" -c . | podman import "${extra_ca[@]}" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_VERSION='"$("$node_binary" -p process.versions.node)" \
    --change 'CMD ["node"]' - "$BASE_IMAGE" >/dev/null
  # Found whether the build resolves the short name locally or as Docker Hub's.
  podman tag "localhost/$BASE_IMAGE" "docker.io/library/$BASE_IMAGE"
  rm -rf "$root"
}

if [ "${REBUILD_BASE:-0}" = 1 ] || ! podman image exists "localhost/$BASE_IMAGE"; then
  build_base_image
else
  log "using the existing local $BASE_IMAGE (REBUILD_BASE=1 to rebuild)"
fi

log "podman build -t $IMAGE ."
# Host networking: the build fetches packages from the npm registry, which this machine reaches directly.
started=$(date +%s)
# `--format docker` keeps HEALTHCHECK (the OCI image format has no field for it).
podman build "${PODMAN_RUN_FLAGS[@]}" --format docker --pull=never --network host -t "$IMAGE" . || fail "podman build failed"
log "built in $(( $(date +%s) - started )) s; image size $(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"

cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then podman rm -f "$CONTAINER" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

log "podman run $IMAGE with the tiny model mounted"
# Without systemd podman cannot schedule the periodic HEALTHCHECK and says so on stderr ("unable to get systemd
# connection"); that is harmless here: the check is run once by hand below.
podman run -d --name "$CONTAINER" "${PODMAN_RUN_FLAGS[@]}" --network host \
  -e PORT="$SMOKE_PORT" \
  -v "$PWD/fixtures/tiny-paligemma:/models/tiny:ro" -e PALIGEMMA_MODEL=/models/tiny \
  "$IMAGE" >/dev/null
[ "$(podman exec "$CONTAINER" id -u)" != 0 ] || fail "the server runs as root"

url="http://127.0.0.1:$SMOKE_PORT"
for _ in $(seq 1 $((READY_TIMEOUT_SECONDS * 2))); do
  if curl -fsS "$url/readyz" >/dev/null 2>&1; then break; fi
  if [ "$(podman inspect -f '{{.State.Running}}' "$CONTAINER")" != true ]; then
    podman logs "$CONTAINER" >&2; fail "the container exited"
  fi
  sleep 0.5
done
curl -fsS "$url/readyz" >/dev/null || { podman logs "$CONTAINER" >&2; fail "not ready after ${READY_TIMEOUT_SECONDS} s"; }
curl -fsS "$url/healthz" >/dev/null || fail "/healthz failed"
podman healthcheck run "$CONTAINER" >/dev/null || fail "the image's HEALTHCHECK fails"
log "HEALTHCHECK passes"

log "POST /v1/caption (fixtures/images/coffee.jpg)"
response=$(curl -fsS -F image=@fixtures/images/coffee.jpg -F maxNewTokens=8 "$url/v1/caption") || {
  podman logs "$CONTAINER" >&2; fail "/v1/caption failed"
}
echo "$response"
echo "$response" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);if(typeof r.caption!=="string")process.exit(1)})' ||
  fail "the answer has no caption"
curl -fsS "$url/" | grep -q '<title>PaliGemma playground</title>' || fail "no playground page at /"
script_bytes=$(curl -fsS "$url/playground.js" | wc -c)
[ "$script_bytes" -gt 10000 ] || fail "the playground script is missing from the build ($script_bytes bytes)"
log "playground page served at /, its script ($script_bytes bytes) inlined by the build"
# The model warm-up command of examples/kubernetes/warm-cache-job.yaml, run in this image.
WARM_UP="import('@paligemma/core').then(async ({ PaliGemma, parseDtypeOption }) => { const dtype = process.env.PALIGEMMA_DTYPE; await (await PaliGemma.load({ model: process.env.PALIGEMMA_MODEL, dtype: dtype ? parseDtypeOption(dtype) : undefined })).dispose(); })"
podman exec "$CONTAINER" node -e "$WARM_UP" ||
  fail "the warm-up command cannot load the model"
log "warm-up command loads the model"
# The CLI is the entrypoint too: one caption in a throwaway container.
cli_caption=$(podman run --rm "${PODMAN_RUN_FLAGS[@]}" --network none --health-cmd none \
  -v "$PWD/fixtures/tiny-paligemma:/models/tiny:ro" -v "$PWD/fixtures/images:/images:ro" -e PALIGEMMA_MODEL=/models/tiny \
  "$IMAGE" caption /images/coffee.jpg --max-new-tokens 4) || fail "paligemma caption in the container failed"
log "paligemma caption in the container: $cli_caption"
log "container smoke passed"
