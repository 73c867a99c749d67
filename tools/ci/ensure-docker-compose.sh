#!/usr/bin/env bash
# Make sure the `docker-compose` CLI is available, for validating docker-compose.yml without a
# Docker engine (`docker-compose config -q` only parses and interpolates the file).
#
# Idempotent: does nothing when docker-compose is already on PATH. Otherwise, as root on a
# Debian/Ubuntu machine, installs the distribution package (docker-compose 1.29 on Debian 12).
# Anywhere else it explains why it cannot and exits non-zero, so a caller fails loudly.
set -euo pipefail

if command -v docker-compose > /dev/null 2>&1; then
  echo "ensure-docker-compose: found $(docker-compose version --short 2> /dev/null || echo docker-compose) at $(command -v docker-compose)"
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "ensure-docker-compose: docker-compose is not installed and this is not root (uid $(id -u)); install it with: sudo apt-get install -y docker-compose" >&2
  exit 1
fi

if ! command -v apt-get > /dev/null 2>&1; then
  echo "ensure-docker-compose: docker-compose is not installed and apt-get is unavailable; install docker-compose (or Compose v2) by other means" >&2
  exit 1
fi

echo "ensure-docker-compose: installing the docker-compose package with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq docker-compose > /dev/null

if ! command -v docker-compose > /dev/null 2>&1; then
  echo "ensure-docker-compose: apt-get finished but docker-compose is still not on PATH" >&2
  exit 1
fi
echo "ensure-docker-compose: installed $(docker-compose version --short 2> /dev/null || echo docker-compose)"
