#!/bin/sh
# Install the Debian/Ubuntu packages booklet needs, only those missing (quick when none are).
set -eu
PACKAGES="fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai libharfbuzz-subset0
libpango-1.0-0 libpangoft2-1.0-0 libgs-common poppler-utils zbar-tools
icc-profiles-free argyll"
command -v python3 >/dev/null 2>&1 || PACKAGES="$PACKAGES python3"
# Debian ships venv without ensurepip; python3-venv adds it.
python3 -m ensurepip --version >/dev/null 2>&1 || PACKAGES="$PACKAGES python3-venv"

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
if [ -n "$missing" ]; then
echo "installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fc-cache -f >/dev/null 2>&1 || true
fi

# The FOGRA39 output intent (print.output_intent: FOGRA39): no Debian package ships the ICC
# profile, but icc-profiles-free ships FOGRA's characterization data; Argyll's colprof makes
# the profile from it (about 20 s, once).
PROFILE=/usr/local/share/color/icc/booklet/FOGRA39L.icc
if [ ! -f "$PROFILE" ] && [ -f /usr/share/color/icc/FOGRA39L.ti3 ]; then
  echo "making the FOGRA39 ICC profile with Argyll colprof"
  tmp=$(mktemp -d)
  cp /usr/share/color/icc/FOGRA39L.ti3 "$tmp/"
  (cd "$tmp" && colprof -qm -kr -D "FOGRA39L (booklet, from FOGRA39L.ti3)" FOGRA39L >/dev/null)
  $SUDO mkdir -p "$(dirname "$PROFILE")"
  $SUDO cp "$tmp/FOGRA39L.icc" "$PROFILE"
  rm -rf "$tmp"
fi
