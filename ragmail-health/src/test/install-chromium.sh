#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for DashboardBrowserTest, once; does nothing when a
# Chromium is already on PATH. Without root or apt-get it says so and exits 0: the test then skips
# with a message naming this script.
set -euo pipefail
for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then
    echo "install-chromium: $(command -v "$name") is already installed"
    exit 0
  fi
done
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: cannot install (needs root and apt-get); DashboardBrowserTest will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
echo "install-chromium: installed $(command -v chromium)"
