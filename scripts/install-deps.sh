#!/usr/bin/env bash
# Installs the Debian 12 packages xxgk needs to build and test. Run as root (or with sudo).
set -euo pipefail
packages=(
  build-essential cmake pkg-config git ca-certificates
  libicu-dev libpcre2-dev libpugixml-dev libcli11-dev doctest-dev nlohmann-json3-dev libssl-dev libgumbo-dev libmimalloc-dev
  libarchive-dev zlib1g-dev libsqlite3-dev libtbb-dev python3-distributed sqlite3
  clang libclang-rt-14-dev libxlsxwriter-dev libtomlplusplus-dev
  chromium fonts-wqy-zenhei python3-websocket python3-openpyxl python3-jsonschema
  libpoppler-private-dev poppler-utils qpdf img2pdf libreoffice-writer-nogui
  python3 python3-dev pybind11-dev python3-pytest python3-pandas
)
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "xxgk: build dependencies installed"
