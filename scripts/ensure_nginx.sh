#!/usr/bin/env bash
# Make sure Debian's nginx is at /usr/sbin/nginx for the multi-process test and deploy/
# (idempotent). Installs the `nginx` package with apt-get when it is missing, with sudo
# when not root. The package's own service is left as Debian sets it up; the test starts
# nginx itself with a configuration, pid file and logs of its own.
set -euo pipefail

if [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_nginx: no apt-get here; install nginx at /usr/sbin/nginx by hand" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends nginx
test -x /usr/sbin/nginx
