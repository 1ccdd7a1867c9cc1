"""Command-line parsing that speaks Chinese: staff running make never see argparse's English."""
from __future__ import annotations

import argparse
import re

# argparse's own messages (Python 3.11), each as staff should read it.
_MESSAGES = [
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面要写一个值"),
    (r"argument (\S+): expected at least one argument", r"参数 \1 后面至少要写一个值"),
    (r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.*)\)", r"“\2”不是可用的命令或选项，可用的有：\3"),
    (r"argument (\S+): invalid (\S+) value: '?(.*?)'?", r"参数 \1 的值“\3”无效"),
    (r"argument (\S+): ignored explicit argument '?(.*?)'?", r"参数 \1 不需要值（写了“\2”）"),
    (r"argument (\S+): not allowed with argument (.*)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
    (r"ambiguous option: (\S+) could match (.*)", r"参数 \1 不明确，可能是：\2"),
]


def translate(message: str) -> str:
    for pattern, chinese in _MESSAGES:
        if re.fullmatch(pattern, message, flags=re.S):
            return re.sub(pattern, chinese, message, flags=re.S)
    return f"参数有误（{message}）"


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese usage, help and errors (exit status 2, as argparse's own)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "命令"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本说明后退出")

    def error(self, message: str):
        usage = self.format_usage().strip()
        self.exit(2, f"{self.prog}：{translate(message)}\n{usage}\n详细说明：{self.prog} --help\n")
