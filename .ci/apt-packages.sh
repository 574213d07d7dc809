#!/usr/bin/env bash
# Install the Debian packages given as arguments when some are missing: with apt-get when we are root,
# otherwise print the exact command to run. Fast (one dpkg-query) when everything is there.
set -euo pipefail
missing=()
for package in "$@"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "note: not a Debian system; make sure these (or their equivalents) are installed: ${missing[*]}" >&2
  exit 0
fi
if [[ $(id -u) -eq 0 ]]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "missing Debian packages; run:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
