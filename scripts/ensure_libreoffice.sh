#!/usr/bin/env bash
# The document and report-form tests open the Word files and the forms with Debian's LibreOffice,
# headless (re-saving forms as units do), and read the PDFs it writes with pdftotext (poppler-utils).
set -euo pipefail
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if [ -x /usr/bin/soffice ] && [ -x /usr/bin/pdftotext ] && installed libreoffice-writer-nogui \
   && installed libreoffice-calc-nogui; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "正在安装 LibreOffice 和 pdftotext（Debian 软件包 libreoffice-writer-nogui、libreoffice-calc-nogui、poppler-utils）……"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils >/dev/null
  exit 0
fi
echo "文档和报表测试需要 Debian 的 LibreOffice 和 pdftotext。请以 root 运行：" >&2
echo "  apt-get update && apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils" >&2
exit 1
