"""The furniture of a government website in the footer (主办单位, 备案号 …): mkdocs.yml `extra.gov`, checked.

Nothing here is ever filled in by the build: an item appears only when its setting is given.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import PlanSiteError

# setting → what it is, in the order the footer shows them.
FIELDS = {
    "sponsor": "主办单位",
    "organizer": "承办单位",
    "phone": "联系电话",
    "email": "电子邮箱",
    "address": "通讯地址",
    "site_code": "网站标识码",
    "column_type": "栏目类型（网页元数据 ColumnType，如政府网站集约化平台要求的取值）",
    "report_issuer": "季度报告的落款单位（Word 版季度报告末尾的发文机关署名）",
    "icp": "ICP备案号",
    "police": "公安机关备案号",
    "police_link": "公安机关备案号的查询网址",
    "error_report": "网站纠错网址",
    # Not shown anywhere: make publish refuses a release without an approver and a 审签单 made for it.
    "require_approval": "发布前须经审签",
}
FLAGS = ("require_approval",)  # settings that are true or false, never shown in the footer
# The filing service of the Ministry of Industry and Information Technology, where an ICP number is looked up.
ICP_SERVICE = "https://beian.miit.gov.cn/"
MAX_LENGTH = 200
_PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新"
ICP = re.compile(rf"[{_PROVINCES}]ICP备\d{{6,10}}号(-\d{{1,3}})?")
POLICE = re.compile(rf"[{_PROVINCES}]公网安备 ?\d{{14}}号")
SITE_CODE = re.compile(r"[0-9A-Za-z]{10}")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"[0-9+\-()（） 、，,/转]+")
# Characters that would end the attribute or tag an address is written into.
URL_UNSAFE = re.compile(r"[\s\"'<>`\\]")
RULES = {
    "icp": (ICP, "格式应如“粤ICP备12345678号”或“粤ICP备12345678号-1”（省份简称、ICP备、数字、号）"),
    "police": (POLICE, "格式应如“粤公网安备 12345678901234号”（省份简称、公网安备、14 位数字、号）"),
    "site_code": (SITE_CODE, "应为 10 位数字或字母，如“1234567890”"),
    "email": (EMAIL, "不是电子邮箱地址，应如“office@example.gov.cn”"),
    "phone": (PHONE, "只能包含数字、空格、-、+、括号和分隔几个号码的“、”，如“0000-1234567”"),
}
URLS = ("police_link", "error_report")


class ConfigError(PlanSiteError):
    """mkdocs.yml has settings the build cannot use; all of them are listed at once."""


def _line_of(config_file: Path | None, key: str) -> str:
    """' 第 N 行' of `key:` inside the `gov:` block of mkdocs.yml, if it can be found."""
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines() if config_file else []
    except OSError:
        return ""
    inside = False
    for number, line in enumerate(lines, 1):
        if re.match(r"\s+gov\s*:", line):
            inside = True
        elif inside and re.match(rf"\s+{re.escape(key)}\s*:", line):
            return f" 第 {number} 行"
    return ""


def _text_problem(value: object) -> str | None:
    if not isinstance(value, str):
        kind = {bool: "是/否", int: "数字", float: "数字", list: "列表", dict: "一组设置"}.get(type(value), type(value).__name__)
        return (f"应当是文字，现在是{kind} {value!r}；请加英文引号，如 \"{value}\""
                "（不加引号时，开头的 0 等会被 YAML 改掉）")
    if len(value) > MAX_LENGTH:
        return f"太长（{len(value)} 个字符，最多 {MAX_LENGTH} 个）"
    for position, char in enumerate(value, 1):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            name = unicodedata.name(char, "控制字符")
            return f"第 {position} 个字符是看不见的 U+{ord(char):04X}（{name}），请删除"
    return None


def _url_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"“{value}”不是可用的网址：只接受 http:// 或 https:// 开头的完整网址"
    unsafe = URL_UNSAFE.search(value)
    if unsafe:
        return f"“{value}”含有网址中不能出现的字符（{unsafe.group()!r}）"
    return None


def validate_gov(settings: object, config_file: Path | None = None) -> dict[str, str | bool]:
    """The settings that are set (empty ones left out; FLAGS as booleans), or ConfigError listing every problem."""
    if settings is None:
        return {}
    where = f"{config_file.name if config_file else 'mkdocs.yml'}"
    if not isinstance(settings, dict):
        raise ConfigError(f"{where}{_line_of(config_file, 'gov')}，extra.gov：应当是一组“名称: 值”的设置，"
                          f"现在是 {settings!r}")
    problems, values = [], {}
    for key, value in settings.items():
        field = f"extra.gov.{key}"
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), FIELDS, n=1)
            hint = f"是不是“{close[0]}”（{FIELDS[close[0]]}）？" if close else ""
            problems.append((field, f"没有这项设置。{hint}可用的设置："
                                    + "、".join(f"{k}（{label}）" for k, label in FIELDS.items()), str(key)))
            continue
        field += f"（{FIELDS[key]}）"
        if value is None or value == "":
            continue  # not set
        if key in FLAGS:
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.append((field, f"应当是 true（是）或 false（否），不加引号；现在是 {value!r}", key))
            continue
        problem = _text_problem(value)
        if problem is None and key in RULES:
            pattern, rule = RULES[key]
            if not pattern.fullmatch(value.strip()):
                problem = f"“{value}”{rule}"
            elif key == "phone" and len(re.sub(r"\D", "", value)) < 5:
                problem = f"“{value}”不像电话号码（数字太少）"
        if problem is None and key in URLS:
            problem = _url_problem(value.strip())
        if problem:
            problems.append((field, problem, key))
        else:
            values[key] = value.strip()
    if "police_link" in values and "police" not in values:
        problems.append(("extra.gov.police_link（公安机关备案号的查询网址）",
                         "设置了查询网址，但没有设置公安机关备案号 police", "police_link"))
    if problems:
        lines = [f"  - {where}{_line_of(config_file, key)}，{field}：{message}" for field, message, key in problems]
        raise ConfigError("\n".join([f"网站设置 extra.gov 有 {len(problems)} 处问题，网站未生成（原有网站保持不变）：", *lines]))
    return values


def _tel(phone: str) -> str | None:
    """A tel: address when the setting is one number (phones dial it with a tap)."""
    digits = re.sub(r"[\s\-()（）]", "", phone)
    return f"tel:{digits}" if re.fullmatch(r"\+?\d{5,20}", digits) else None


def derive_gov_footer(values: dict[str, str]) -> dict:
    """What the footer shows: rows of {label, text, href} items (only those set) and the 纠错 link."""
    item = lambda key, href=None, label=True: {"label": FIELDS[key] if label else "", "text": values[key], "href": href}  # noqa: E731
    rows = [
        [item(k) for k in ("sponsor", "organizer") if k in values],
        [item(k, href) for k, href in (("phone", _tel(values.get("phone", ""))),
                                       ("email", f"mailto:{values.get('email')}"), ("address", None)) if k in values],
        [i for i in (item("site_code") if "site_code" in values else None,
                     item("icp", ICP_SERVICE, label=False) if "icp" in values else None,
                     item("police", values.get("police_link"), label=False) if "police" in values else None) if i],
    ]
    return {"rows": [row for row in rows if row], "error_report": values.get("error_report")}
