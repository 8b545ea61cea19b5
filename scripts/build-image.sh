#!/usr/bin/env bash
# Builds the Switchyard image from the Dockerfile with podman (chroot isolation, so no container runtime is needed)
# on the local base image of scripts/ensure-image-base.sh, and prints the image's name on the last line of stdout.
# Layers are cached by podman: a rebuild after a source change reruns only the compile and the final stage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="${1:-localhost/switchyard:test}"

base="$(bash "$ROOT/scripts/ensure-image-base.sh" | tail -n 1)"
echo "build-image: building $IMAGE on $base" >&2
# The docker format keeps HEALTHCHECK, which the OCI format has no field for.
podman build --isolation chroot --format docker --layers \
  --build-arg "BUILD_IMAGE=$base" --build-arg "RUNTIME_IMAGE=$base" --build-arg NODE_HEADERS_DIR=/usr/local \
  -t "$IMAGE" "$ROOT" >&2
echo "$IMAGE"
