#!/bin/sh
# Installs the Debian 12 packages shihyo needs to build and to run every test.
# Run as root (CI is root); uses sudo otherwise.
set -eu
packages="
  cmake g++ make pkg-config
  libyaml-cpp-dev libcurl4-openssl-dev libsqlitecpp-dev libsqlite3-dev libspdlog-dev
  nlohmann-json3-dev libcli11-dev libmuparser-dev libkainjow-mustache-dev libpcre2-dev
  libssl-dev libsystemd-dev libzip-dev libexpat1-dev libfreexl-dev
  catch2 sqlite3 clang clang-format libclang-rt-14-dev
  python3 python3-aiosmtpd python3-yaml prometheus-alertmanager
  lintian file dpkg-dev systemd faketime gettext locales
  debootstrap systemd-container
"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
