#!/usr/bin/env sh
# Headless Chromium for the HTML report's browser tests (tests/it/report_page.rs).
# Does nothing when a Chromium is already there ($AICONF_CHROMIUM, or chromium,
# chromium-browser, google-chrome or google-chrome-stable on PATH); otherwise
# installs Debian's `chromium` package with apt-get (through sudo when not root).
# Used by `.ci/run`, and by the browser tests themselves when they find no browser,
# so that `cargo test` needs nothing installed by hand on a Debian or Ubuntu machine.
set -eu
if [ -n "${AICONF_CHROMIUM:-}" ]; then exit 0; fi
for name in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$name" >/dev/null 2>&1; then exit 0; fi
done
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no Chromium and no apt-get here; install Chromium (or Chrome) and put it on PATH, or set AICONF_CHROMIUM to its binary" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo -n"
  else
    echo "install-chromium: not root and no sudo: run \`apt-get install chromium\` as root, or set AICONF_CHROMIUM" >&2
    exit 1
  fi
fi
echo "install-chromium: installing Debian's chromium package for the browser tests" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
