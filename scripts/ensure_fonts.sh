#!/usr/bin/env bash
# Charts are laid out with an open-licence Chinese font: Noto Sans CJK SC (SIL OFL), Debian's
# fonts-noto-cjk. Installed here when missing and running as root; never a non-free font.
set -euo pipefail
found() {
  if command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -qE "Noto Sans CJK SC|Source Han Sans SC"; then
    return 0
  fi
  for dir in /usr/share/fonts /usr/local/share/fonts "$HOME/.local/share/fonts" "$HOME/.fonts"; do
    if [ -d "$dir" ] && [ -n "$(find "$dir" \( -iname 'NotoSansCJK*' -o -iname 'SourceHanSans*' \) -print -quit 2>/dev/null || true)" ]; then
      return 0
    fi
  done
  return 1
}
if found; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "正在安装图表所需的开源中文字体 Noto Sans CJK SC（Debian 软件包 fonts-noto-cjk）……"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null
  exit 0
fi
echo "生成图表需要开源中文字体 Noto Sans CJK SC（Debian 软件包 fonts-noto-cjk），本机没有找到。请以 root 运行：" >&2
echo "  apt-get update && apt-get install -y fonts-noto-cjk" >&2
exit 1
