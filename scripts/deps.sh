#!/usr/bin/env bash
# Installs the Debian 12 packages hallq builds, runs and tests with.
# Skips apt entirely when everything is already present, so repeated runs stay fast.
set -euo pipefail

packages=(build-essential cmake pkg-config git
          libzmq3-dev libczmq-dev libjansson-dev libsqlite3-dev sqlite3
          libncurses-dev libao-dev libespeak-ng-dev espeak-ng libsndfile1-dev libqrencode-dev
          libcmocka-dev tmux sox tzdata python3-zmq clang libclang-rt-14-dev
          nodejs npm debootstrap dpkg-dev iproute2 chromium fonts-wqy-microhei
          cppcheck clang-format faketime libcrypt-dev libsodium-dev libmicrohttpd-dev zbar-tools
          postgresql-15 libpq-dev)
if [ "${1:-}" = "--run-only" ]; then
    packages=(build-essential cmake pkg-config
              libzmq3-dev libczmq-dev libjansson-dev libsqlite3-dev sqlite3
              libncurses-dev libao-dev libespeak-ng-dev espeak-ng libsndfile1-dev libqrencode-dev
              libcmocka-dev tmux tzdata libsodium-dev libmicrohttpd-dev libpq-dev)
    # run-hall.sh --central runs a throwaway city database beside the hall.
    [ "${2:-}" != "--central" ] || packages+=(postgresql-15)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from elsewhere than Debian (a preinstalled node); accept a working one.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
want=()
for p in "${missing[@]}"; do [ -n "$p" ] && want+=("$p"); done
[ ${#want[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${want[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
