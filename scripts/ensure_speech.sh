#!/usr/bin/env bash
# The read-aloud test gives Chromium real Mandarin voices: Debian's speech-dispatcher with espeak-ng
# (Chromium talks to it when started with --enable-speech-dispatcher; the site needs none of this).
set -euo pipefail
if [ -x /usr/bin/speech-dispatcher ] && [ -x /usr/lib/speech-dispatcher-modules/sd_espeak-ng ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "正在安装语音合成（Debian 软件包 speech-dispatcher、espeak-ng）……"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    speech-dispatcher speech-dispatcher-espeak-ng espeak-ng >/dev/null
  exit 0
fi
echo "朗读测试需要 Debian 的 speech-dispatcher 和 espeak-ng。请以 root 运行：" >&2
echo "  apt-get update && apt-get install -y --no-install-recommends speech-dispatcher speech-dispatcher-espeak-ng espeak-ng" >&2
exit 1
