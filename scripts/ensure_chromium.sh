#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; Playwright's own browser download does not work here.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "正在安装 Chromium（Debian 软件包 chromium）……"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "浏览器测试需要 Debian 的 Chromium（/usr/bin/chromium）。请以 root 运行：" >&2
echo "  apt-get update && apt-get install -y chromium" >&2
exit 1
