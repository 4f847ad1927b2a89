#!/usr/bin/env bash
# Installs code-server (a real VS Code 1.100.3 workbench + Node extension host) into a cache folder
# outside the packaged files, for the extension-host and UI tests (test/vscode). @vscode/test-electron
# cannot download VS Code on a machine without internet; code-server comes from the npm registry.
# Recipe: shared/LAB.md "A real VS Code here". Idempotent: a finished install leaves a marker file.
#
#   bash scripts/code-server-setup.sh          # installs into .cache/code-server (or $NAT_DOCTOR_CODE_SERVER_DIR)
#   bash scripts/code-server-setup.sh --print  # prints the code-server entry script path
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
CACHE_DIR="${NAT_DOCTOR_CODE_SERVER_DIR:-$PWD/.cache/code-server}"
ENTRY="$CACHE_DIR/node_modules/code-server/out/node/entry.js"
MARKER="$CACHE_DIR/.installed-$CODE_SERVER_VERSION"

if [[ "${1:-}" == "--print" ]]; then echo "$ENTRY"; exit 0; fi
if [[ -f "$MARKER" && -f "$ENTRY" ]]; then
  echo "code-server-setup: code-server $CODE_SERVER_VERSION already installed in $CACHE_DIR"
  exit 0
fi

# Native modules of VS Code need Kerberos headers to build; ripgrep replaces the binary that
# @vscode/ripgrep would download; Chromium drives the workbench in the UI test.
need=()
for pkg in libkrb5-dev ripgrep chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if ((${#need[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${need[@]}"
  else
    echo "code-server-setup: missing Debian packages ${need[*]} and not root: cannot install" >&2
    exit 1
  fi
fi

quiet=(--no-audit --no-fund --loglevel=error)
mkdir -p "$CACHE_DIR"
cd "$CACHE_DIR"
[[ -f package.json ]] || echo '{ "name": "nat-doctor-code-server-cache", "private": true }' > package.json
echo "code-server-setup: installing code-server@$CODE_SERVER_VERSION into $CACHE_DIR (about two minutes)"
npm install "${quiet[@]}" --ignore-scripts "code-server@$CODE_SERVER_VERSION"

cd node_modules/code-server/lib/vscode
npm install "${quiet[@]}" --omit=dev --ignore-scripts
npm rebuild "${quiet[@]}" kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog
npm_config_yes=true npm rebuild "${quiet[@]}" node-pty
# @vscode/ripgrep's postinstall downloads a binary from GitHub; Debian's rg is the same program.
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
(cd extensions && npm install "${quiet[@]}" --omit=dev)
ln -sfn node_modules node_modules.asar
ln -sfn code-linux.sh bin/remote-cli/code-server
ln -sfn browser-linux.sh bin/helpers/browser.sh
cd "$CACHE_DIR"
npm rebuild "${quiet[@]}" argon2

touch "$MARKER"
echo "code-server-setup: done ($ENTRY)"
