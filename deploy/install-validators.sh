#!/usr/bin/env bash
# Installs what deploy/validate.sh uses, from Debian's archive and npm only (no binary downloads).
# hadolint, kubeconform and kubeval are packaged in neither, so they are not used.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sudo=""
[[ "$(id -u)" -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
packages=(docker-compose yamllint python3-yaml shellcheck)
# Node only when absent: an existing Node (e.g. NodeSource's, which bundles npm) conflicts with Debian's npm.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

# promtool only: take it out of Debian's prometheus package rather than installing the server.
if ! command -v promtool >/dev/null && [[ ! -x deploy/.tools/promtool ]]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1 && dpkg-deb -x prometheus_*.deb x)
  mkdir -p deploy/.tools
  cp "$tmp/x/usr/bin/promtool" deploy/.tools/promtool
  rm -rf "$tmp"
fi

# Kubernetes schema models and TypeScript, pinned by deploy/tools/package-lock.json.
npm ci --prefix deploy/tools --no-audit --no-fund --loglevel=error
