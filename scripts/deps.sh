#!/bin/sh
# Installs the Debian packages sayso needs to build and test, if missing.
# Usage: scripts/deps.sh [--check] [--e2e] [--fuzz]
#   --check  only report, exit 1 if something is missing
#   --e2e    also what the browser test needs: Debian's chromium and node/npm
#   --fuzz   also what `make fuzz` needs: clang (with libFuzzer)
# Works as root or through sudo; does nothing when everything is there.
set -eu
PKGS="build-essential cmake pkg-config libcjson-dev libutf8proc-dev zlib1g-dev libsqlite3-dev libmicrohttpd-dev libcmocka-dev libxml2-dev"
check=0
for a in "$@"; do
    case $a in
        --check) check=1 ;;
        --e2e) PKGS="$PKGS chromium"
               command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm" ;;
        --fuzz) PKGS="$PKGS clang" ;;
    esac
done
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$check" = 1 ]; then echo "missing:$missing"; exit 1; fi
echo "sayso: installing build dependencies:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || $SUDO apt-get update
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
