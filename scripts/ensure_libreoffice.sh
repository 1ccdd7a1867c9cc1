#!/usr/bin/env bash
# The report-form tests open and re-save the forms in real LibreOffice (headless), as units do.
set -euo pipefail
if [ -x /usr/bin/soffice ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "正在安装 LibreOffice Calc（Debian 软件包 libreoffice-calc-nogui）……"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null
  exit 0
fi
echo "报表测试需要 LibreOffice（/usr/bin/soffice）。请以 root 运行：" >&2
echo "  apt-get update && apt-get install -y libreoffice-calc-nogui" >&2
exit 1
