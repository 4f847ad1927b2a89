#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine of this kind: the lab's real peers
# (Debian packages, when run as root) and the npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  iproute2 nftables            # network namespaces and the NATs of the lab
  coturn                       # RFC 5780 STUN server (two addresses) and TURN
  stun-client                  # Debian's classic `stun`, a benchmark peer
  traceroute iputils-tracepath # hop evidence for the CGNAT verdict
  procps psmisc                # sysctl, killall in lab cleanup
  miniupnpd miniupnpd-nftables # UPnP IGD + NAT-PMP + PCP on a lab router
  stun-server                  # classic RFC 3489 stund: a server without RESPONSE-PORT
  strongswan-charon strongswan-swanctl # IKEv2 responder for the ike/ike-natt probe lab tests
  strongswan-starter           # its ipsec.conf reader checks the lint corpus (test/lab/lintCorpusIpsec.test.ts)
  libunbound8 libevent-2.1-7 libhogweed6 # what libreswan's addconn links against (unpacked below, not installed)
  openvpn                      # OpenVPN 2.6 server for the openvpn probe lab tests
  wireguard-go wireguard-tools # userspace WireGuard server for the wireguard probe lab tests
  openssl                      # throwaway CA/server certificates for the OpenVPN and TLS probe lab tests
  prometheus                   # promtool: checks --prometheus output, the alert rules and Grafana queries of docs/fleet
  prometheus-node-exporter     # its textfile collector reads `nat-doctor monitor --textfile` in the fleet lab test
  systemd                      # systemd-analyze verify: the units of docs/fleet
  python3-aioice               # a standard ICE agent (RFC 8445) the pair test is compared with in the lab
  libkrb5-dev ripgrep chromium # code-server (a real VS Code) + Chromium for test/vscode
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "setup: not root (or no apt-get); lab tests will skip. Missing: ${missing[*]}" >&2
  fi
fi

# libreswan's own reader for the lint corpus. Debian's libreswan package conflicts with
# strongswan-starter (both provide /usr/sbin/ipsec), so it is not installed: its .deb is unpacked into
# .cache/libreswan and only `addconn --checkconfig` is run from there (it needs no daemon and no files
# of the package outside that folder).
LIBRESWAN_DIR=.cache/libreswan
if [[ ! -x "$LIBRESWAN_DIR/usr/libexec/ipsec/addconn" ]] && command -v apt-get >/dev/null; then
  mkdir -p "$LIBRESWAN_DIR"
  download() { (cd "$LIBRESWAN_DIR" && apt-get download -q libreswan >/dev/null 2>&1); }
  if download || { [[ $(id -u) -eq 0 ]] && apt-get update -q >/dev/null && download; }; then
    dpkg-deb -x "$LIBRESWAN_DIR"/libreswan_*.deb "$LIBRESWAN_DIR"
    rm -f "$LIBRESWAN_DIR"/libreswan_*.deb
  else
    echo "setup: could not download libreswan; its corpus test will fail under CI=true" >&2
  fi
fi

echo "setup: installing npm packages"
npm ci --no-audit --no-fund

# A real VS Code for the extension tests (test/vscode): code-server into .cache/code-server.
if [[ $(id -u) -eq 0 || "${CI:-}" == "true" ]]; then
  bash scripts/code-server-setup.sh
fi
