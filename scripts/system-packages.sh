#!/bin/sh
# Install the Debian/Ubuntu packages booklet needs, only those missing (quick when none are).
set -eu
PACKAGES="fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai libharfbuzz-subset0
libpango-1.0-0 libpangoft2-1.0-0 libgs-common poppler-utils zbar-tools"
command -v python3 >/dev/null 2>&1 || PACKAGES="$PACKAGES python3"
# Debian ships venv without ensurepip; python3-venv adds it.
python3 -m ensurepip --version >/dev/null 2>&1 || PACKAGES="$PACKAGES python3-venv"

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

echo "installing system packages:$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fc-cache -f >/dev/null 2>&1 || true
