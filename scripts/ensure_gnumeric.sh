#!/usr/bin/env bash
# The report-form tests also re-save forms with a second spreadsheet program, Gnumeric (Debian's
# gnumeric package; its ssconvert converts headless), as a unit without LibreOffice would.
set -euo pipefail
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if [ -x /usr/bin/ssconvert ] && installed gnumeric; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "正在安装 Gnumeric（Debian 软件包 gnumeric，报表测试用它的 ssconvert 另存报表）……"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnumeric >/dev/null
  exit 0
fi
echo "报表测试需要 Debian 的 Gnumeric（ssconvert）。请以 root 运行：" >&2
echo "  apt-get update && apt-get install -y --no-install-recommends gnumeric" >&2
exit 1
