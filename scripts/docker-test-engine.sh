#!/usr/bin/env bash
# A Docker engine and the sandbox image, so that the docker backend's tests
# (tests/sandbox/test_docker.py) run against a real engine on a Debian host, as root,
# with no registry but Debian's packages and PyPI:
#   1. docker.io and debootstrap from Debian's packages, dockerd started if none answers;
#   2. a base image made here: a minimal Debian with python3 (debootstrap), plus the
#      libraries pinned in docker/sandbox.Dockerfile installed by this host's pip;
#   3. `make sandbox-image` on that base (the same Dockerfile production uses on
#      python:3.11-slim).
# Best effort: if a step cannot be done here it says why and exits 0; the docker tests
# then skip and say so. `make docker-test-engine` runs it; .ci/run too.
set -u
cd "$(dirname "$0")/.."
# The base carries the Dockerfile's pinned libraries (the build cannot reach PyPI through
# every proxy), so its tag names them: a changed pin makes a new base.
PINS=$(grep -o '"[A-Za-z0-9_.-]*==[0-9.]*"' docker/sandbox.Dockerfile | tr -d '"' | sort)
BASE=assay-test-base:bookworm-$(printf '%s\n' "$PINS" | sha256sum | cut -c1-12)
LOGS=/run/assay-dockerd
mkdir -p "$LOGS"
say() { echo "docker-test-engine: $*" >&2; }
give_up() { say "$*; the docker tests will skip"; exit 0; }

[ "$(id -u)" = 0 ] || give_up "needs root"
if ! docker info >/dev/null 2>&1; then
    if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null || ! command -v docker >/dev/null; then
        command -v apt-get >/dev/null || give_up "no apt-get to install docker.io"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap; } >/dev/null 2>&1 \
            || give_up "could not install docker.io and debootstrap"
    fi
    # A dockerd that died leaves its pid file, and a new one refuses to start over it ("pid file
    # found, ensure docker is not running"): remove it when no such process is a dockerd.
    pid=$(cat /run/assay-dockerd/pid 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
        rm -f /run/assay-dockerd/pid
    fi
    # No bridge or iptables: sandboxes run with --network none; builds use the host's network.
    nohup dockerd --iptables=false --ip-forward=false --bridge=none --pidfile /run/assay-dockerd/pid \
        >"$LOGS/dockerd.log" 2>&1 &
    for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null 2>&1 || give_up "dockerd did not start (log: $LOGS/dockerd.log)"
fi
if ! docker image inspect "$BASE" >/dev/null 2>&1; then
    command -v debootstrap >/dev/null || give_up "no debootstrap to make a base image"
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap --variant=minbase --include=python3,python3-pip bookworm "$rootfs" >/dev/null 2>&1 \
        || give_up "debootstrap could not build a Debian base"
    "${PYTHON:-python3}" -m pip install --quiet --target "$rootfs/usr/local/lib/python3.11/dist-packages" $PINS \
        >"$LOGS/pip.log" 2>&1 || give_up "could not install the pinned libraries into the base (log: $LOGS/pip.log)"
    tar -C "$rootfs" -c . | docker import - "$BASE" >/dev/null || give_up "docker import failed"
fi
make --no-print-directory sandbox-image SANDBOX_BUILD_ARGS="--build-arg BASE=$BASE" >"$LOGS/build.log" 2>&1 \
    || give_up "make sandbox-image failed (log: $LOGS/build.log)"
docker image prune -f >/dev/null 2>&1  # the images this tag replaced (3 GB each)
say "engine up, image assay-sandbox:latest built on $BASE"
