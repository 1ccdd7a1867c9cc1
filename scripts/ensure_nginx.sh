#!/usr/bin/env bash
# The browser tests serve the site with Debian's nginx and deploy/nginx.conf, as it is published.
set -euo pipefail
# openssl makes the throw-away certificate with which the tests run README's HTTPS variant.
if [ -x /usr/sbin/nginx ] && command -v openssl >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "正在安装 nginx（Debian 软件包 nginx-light）……"
  apt-get update -qq
  # Only the program: the tests run their own nginx on 127.0.0.1; no service is started for them.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light openssl >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl >/dev/null
  exit 0
fi
echo "测试需要 Debian 的 nginx（/usr/sbin/nginx）。请以 root 运行：" >&2
echo "  apt-get update && apt-get install -y nginx-light openssl" >&2
exit 1
