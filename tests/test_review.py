"""先审后发: `make review DEST=…` writes the 审签单 (Word, and text beside it) listing what readers will
see change when a build replaces the live release, and `make publish … APPROVER=… REVIEW=…` records
who approved which 审签单 in DEST's release log, as `make rollback` records rollbacks. With
mkdocs.yml's extra.gov.require_approval: true, a publish without an approver or with a 审签单 not made
for exactly this build (and this live release) is refused and changes nothing.

The mini plan's 2020-Q1 (tests/test_progress_pages.py) is release 1; release 2 changes one task's status
and one target's value. Which pages that touches is found independently of plansite/publish: the
text of each page's <article> read with lxml, compared between the two builds."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from docx import Document
from lxml import html as lxml_html

from conftest import ROOT
from test_progress_pages import MINI, Q1, mini_with
from plansite.model.load import load_plan
from plansite.wording import assessment_label, task_heading

SOFFICE, PDFTOTEXT = "/usr/bin/soffice", "/usr/bin/pdftotext"
TASK, INDICATOR = 2, "public-testing-platforms"  # what release 2 changes
LOG = ".release-log.jsonl"
PLAN_TASKS = {t["id"]: t for t in yaml.safe_load((MINI / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]}
UNITS = {d["name"]: d["id"] for d in yaml.safe_load((MINI / "departments.yaml").read_text(encoding="utf-8"))["departments"]}
INDICATORS = {i["id"]: i for i in yaml.safe_load((MINI / "indicators.yaml").read_text(encoding="utf-8"))["indicators"]}
Q1_DATA = yaml.safe_load(Q1)
Q1_TASK = next(t for t in Q1_DATA["tasks"] if t["task"] == TASK)
Q1_VALUE = next(i for i in Q1_DATA["indicators"] if i["indicator"] == INDICATOR)
NEW_STATUS = "推进中" if Q1_TASK["status"] != "推进中" else "滞后"


def quarter(status: str | None = None, value: float | None = None) -> str:
    """2020-Q1 with task TASK's status and indicator INDICATOR's value changed."""
    data = yaml.safe_load(Q1)
    if status:
        next(t for t in data["tasks"] if t["task"] == TASK)["status"] = status
    if value is not None:
        next(i for i in data["indicators"] if i["indicator"] == INDICATOR)["value"] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def build(root: Path, name: str, q1: str) -> Path:
    data, site = mini_with(root / name, Q1=q1), root / name / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1/"}
    result = subprocess.run([sys.executable, "-m", "plansite", "build", "--data", str(data), "--site", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("review-sites")
    return {"r1": build(root, "r1", Q1),
            "r2": build(root, "r2", quarter(status=NEW_STATUS, value=Q1_VALUE["value"] + 1)),
            "again": build(root, "again", Q1),  # the same data built again
            "achieved": build(root, "achieved", quarter(value=INDICATORS[INDICATOR]["target"]))}


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plansite.publish", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def make(*args) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=600)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
    return result


def refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "未发布任何内容（线上网站保持不变）" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def review(site: Path, dest: Path, out: Path) -> Path:
    ok(cli("review", "--site", site, "--dest", dest, "--out", out))
    return out


def state(dest: Path) -> tuple:
    """Everything a refused publish must leave as it was."""
    log = dest / LOG
    return (os.readlink(dest / "current") if (dest / "current").is_symlink() else None,
            sorted(p.name for p in (dest / "releases").iterdir()) if (dest / "releases").is_dir() else [],
            log.read_bytes() if log.exists() else b"", sorted(p.name for p in dest.iterdir()) if dest.is_dir() else [])


def records(dest: Path) -> list[dict]:
    return [json.loads(line) for line in (dest / LOG).read_text(encoding="utf-8").splitlines()]


# ---- the 审签单 as the official reads it ----------------------------------------------------------


def sections(path: Path) -> dict[str, dict[str, list[str]]]:
    """{heading: {subheading or "": [items]}} of a 审签单, read with python-docx."""
    found: dict[str, dict[str, list[str]]] = {}
    heading = sub = ""
    for paragraph in Document(str(path)).paragraphs:
        style, text = paragraph.style.name, paragraph.text.strip()
        if style == "Heading 1":
            heading, sub = text, ""
            found[heading] = {}
        elif style == "Heading 2":
            sub = text
            found[heading][sub] = []
        elif heading and re.match(r"\d+\. ", text):
            found[heading].setdefault(sub, []).append(text.split(". ", 1)[1])
    return found


def summary(path: Path) -> str:
    return next(p.text for p in Document(str(path)).paragraphs if p.text.startswith(("与线上版本", "首次发布")))


def line(path: Path, name: str) -> str:
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    return re.search(rf"^{name}：(.*)$", text, re.M).group(1)


# ---- what readers see, read independently --------------------------------------------------------


def article_text(path: Path) -> str:
    page = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    article = page.find(".//article")
    for node in article.xpath(".//script | .//style | .//svg | .//button"
                              " | .//a[contains(concat(' ', @class, ' '), ' headerlink ')]"):
        node.drop_tree()
    return " ".join(article.text_content().replace("\u200b", "").split())


def page_texts(site: Path) -> dict[str, str]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        pages["首页" if rel == "index.html" else rel.removesuffix("index.html")] = article_text(path)
    return pages


def changed_files(a: Path, b: Path, folder: str, pattern: str) -> set[str]:
    names = {p.name for site in (a, b) for p in (site / folder).glob(pattern) if p.suffix not in (".gz", ".html")}
    return {n for n in names if not (a / folder / n).is_file() or not (b / folder / n).is_file()
            or (a / folder / n).read_bytes() != (b / folder / n).read_bytes()}


# ---- the done-means scenario -------------------------------------------------------------------


def test_make_review_lists_the_changed_status_and_value_the_pages_they_touch_and_nothing_else(sites, tmp_path):
    dest, out = tmp_path / "plan", tmp_path / "审签单" / "第二版.docx"
    ok(cli("publish", "--site", sites["r1"], "--dest", dest))
    ok(make("review", f"DEST={dest}", f"SITE={sites['r2']}", f"REVIEW={out}"))
    found = sections(out)
    assert list(found) == ["一、数据变化", "二、页面变化", "三、其他变化", "四、审签"], found

    task = PLAN_TASKS[TASK]
    (status,) = found["一、数据变化"].pop("（一）任务状态")
    assert status == (f"{task_heading(load_plan(MINI).task(TASK))}：{Q1_TASK['status']} → {NEW_STATUS}"
                      f"（2020年第一季度，更正已发布的数据，报送单位：{Q1_TASK['reporter']}）")
    (value,) = found["一、数据变化"].pop("（二）量化目标数值")
    unit = INDICATORS[INDICATOR]["unit"]
    assert value.startswith(f"{INDICATORS[INDICATOR]['name']}：{Q1_VALUE['value']}{unit} → {Q1_VALUE['value'] + 1}{unit}（")
    assert found["一、数据变化"] == {}, "nothing else changed in the data"

    before, after = page_texts(sites["r1"]), page_texts(sites["r2"])
    assert set(before) == set(after)
    touched = {page for page in after if before[page] != after[page]}
    listed = [re.fullmatch(r"文字有改动：(.+)（(.+)）", item) for item in found["二、页面变化"][""]]
    assert all(listed), found["二、页面变化"]  # no page added or removed
    assert {m.group(2) for m in listed} == touched
    # The pages showing the task's status or the target's value are among them.
    units = task.get("lead", []) + task.get("partners", []) + task.get("joint", [])
    shows = {f"tasks/{TASK:02d}/", f"chapters/{task['chapter']:02d}/", "tasks/", "首页", "reports/2020-Q1/",
             f"indicators/{INDICATOR}/", "indicators/", f"tasks/{INDICATORS[INDICATOR]['task']:02d}/",
             *(f"departments/{UNITS[name]}/" for name in units)}
    assert shows <= touched, shows - touched
    others = {f"tasks/{t:02d}/" for t in PLAN_TASKS if t not in (TASK, INDICATORS[INDICATOR]["task"])}
    assert others and not (others | {"plan/", "about/"}) & touched, "pages showing neither are untouched"

    downloads = changed_files(sites["r1"], sites["r2"], "downloads", "*")
    charts = changed_files(sites["r1"], sites["r2"], "charts", "*.csv")
    files, count = found["三、其他变化"][""]
    assert files == "数据下载文件随之更新：" + "、".join(sorted(downloads))
    assert count == f"图表的数据表随之更新：{len(charts)} 个"

    text = out.with_suffix(".txt").read_text(encoding="utf-8")
    assert status in text and value in text and all(f"（{m.group(2)}）" in text for m in listed)
    assert summary(out) == (f"与线上版本 {os.readlink(dest / 'current').split('/')[1]} 相比：数据变化 任务状态 1 项、"
                            f"量化目标数值 1 项；页面新增 0 个、删去 0 个、文字有改动 {len(touched)} 个。")


def test_publish_logs_the_approver_and_the_review_hash_and_rollback_is_logged(sites, tmp_path):
    dest, out = tmp_path / "plan", tmp_path / "r2.docx"
    ok(make("publish", f"DEST={dest}", f"SITE={sites['r1']}", "APPROVER=测试签发人甲"))
    review(sites["r2"], dest, out)
    ok(make("publish", f"DEST={dest}", f"SITE={sites['r2']}", "APPROVER=测试签发人乙", f"REVIEW={out}"))
    first, second = records(dest)
    one, two = sorted(p.name for p in (dest / "releases").iterdir())
    assert os.readlink(dest / "current") == f"releases/{two}"
    assert (first["操作"], first["版本"], first["此前线上版本"], first["批准人"], first["审签单sha256"]) == \
        ("发布", one, "", "测试签发人甲", "")
    assert (second["操作"], second["版本"], second["此前线上版本"], second["批准人"]) == ("发布", two, one, "测试签发人乙")
    assert second["审签单sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert (dest / second["审签单"]).read_bytes() == out.read_bytes(), "the approved 审签单 is kept in DEST"
    assert second["数据指纹"] == line(out, "拟发布网站的数据指纹")
    assert first["数据指纹"] == line(out, "线上版本的数据指纹") != second["数据指纹"]
    for record in (first, second):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["时间"])

    ok(make("rollback", f"DEST={dest}", "APPROVER=测试签发人丙"))
    third = records(dest)[2]
    assert os.readlink(dest / "current") == f"releases/{one}"
    assert (third["操作"], third["版本"], third["此前线上版本"], third["批准人"], third["数据指纹"]) == \
        ("回退", one, two, "测试签发人丙", first["数据指纹"])
    assert first["时间"] <= second["时间"] <= third["时间"]
    shown = ok(cli("log", "--dest", dest)).stdout.splitlines()
    assert [re.search(r"(发布|回退) ([^：\s]+)：", s).groups() for s in shown] == [("发布", one), ("发布", two), ("回退", one)]
    # Neither the log nor the kept 审签单 is in the served tree, and both are hidden besides.
    assert not (dest / "current" / LOG).exists() and LOG.startswith(".") and second["审签单"].startswith(".")


@pytest.fixture
def strict(tmp_path) -> Path:
    """mkdocs.yml with extra.gov.require_approval: true."""
    config = tmp_path / "strict" / "mkdocs.yml"
    config.parent.mkdir()
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\nextra:\n  gov:\n    require_approval: true\n", encoding="utf-8")
    return config


def test_with_approval_required_only_an_approved_review_of_exactly_this_build_publishes(sites, tmp_path, strict):
    dest = tmp_path / "plan"
    publish = lambda site, *more: cli("publish", "--site", site, "--dest", dest, "--config", strict, *more)  # noqa: E731
    why = "mkdocs.yml 设置了 extra.gov.require_approval: true"
    refused(publish(sites["r1"]), why, "没有写明批准人", "没有指明审签单")
    assert state(dest)[:3] == (None, [], b"")
    first = review(sites["r1"], dest, tmp_path / "r1.docx")
    refused(publish(sites["r1"], "--review", first), "没有写明批准人")
    ok(publish(sites["r1"], "--approver", "测试签发人", "--review", first))
    before = state(dest)

    refused(publish(sites["r2"], "--approver", "测试签发人"), "没有指明审签单")
    assert state(dest) == before
    refused(publish(sites["r2"], "--review", first), "没有写明批准人")
    assert state(dest) == before
    # The first release's 审签单: made for another build and against no live release.
    refused(publish(sites["r2"], "--approver", "测试签发人", "--review", first),
            "不是为这次要发布的网站编制的", "审签单是对照线上版本 无（首次发布） 编制的")
    assert state(dest) == before
    # A 审签单 for release 2, but the site was rebuilt with other data before publishing.
    second = review(sites["r2"], dest, tmp_path / "r2.docx")
    refused(publish(sites["achieved"], "--approver", "测试签发人", "--review", second), "不是为这次要发布的网站编制的")
    assert state(dest) == before
    # A 审签单 made against a live release that has since been replaced.
    third = review(sites["achieved"], dest, tmp_path / "r3.docx")
    ok(publish(sites["achieved"], "--approver", "测试签发人", "--review", third))
    live = os.readlink(dest / "current")
    refused(publish(sites["r2"], "--approver", "测试签发人", "--review", second), "审签单是对照线上版本", "现在的线上版本是")
    assert os.readlink(dest / "current") == live and len(records(dest)) == 2
    ok(publish(sites["r2"], "--approver", "测试签发人", "--review", review(sites["r2"], dest, tmp_path / "r2-again.docx")))
    assert [r["批准人"] for r in records(dest)] == ["测试签发人"] * 3


def test_an_approval_setting_that_is_not_true_or_false_is_refused_in_chinese(sites, tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\nextra:\n  gov:\n    require_approval: \"是\"\n", encoding="utf-8")
    dest = tmp_path / "plan"
    result = cli("publish", "--site", sites["r1"], "--dest", dest, "--config", config)
    refused(result, "extra.gov.require_approval（发布前须经审签）：应当是 true（是）或 false（否）")
    assert not dest.exists()


def test_a_rebuild_of_the_same_data_is_no_change_in_one_line(sites, tmp_path):
    """Compared is what readers see: a rebuild, or the same pages with another theme's head and asset
    names, is no change."""
    dest = tmp_path / "plan"
    ok(cli("publish", "--site", sites["r1"], "--dest", dest))
    restyled = tmp_path / "restyled"
    shutil.copytree(sites["again"], restyled)
    (css,) = (restyled / "assets" / "stylesheets").glob("main.*.min.css")
    css.rename(css.with_name("main.0123abcd.min.css"))
    for page in restyled.rglob("*.html"):
        text = page.read_text(encoding="utf-8").replace(css.name, "main.0123abcd.min.css")
        page.write_text(text.replace("</head>", '<meta name="generator" content="another theme"></head>'), encoding="utf-8")
    for site in (sites["again"], restyled):
        out = review(site, dest, tmp_path / f"{site.name}.docx")
        assert summary(out) == f"与线上版本 {os.readlink(dest / 'current').split('/')[1]} 相比，读者看到的内容没有变化。"
        assert list(sections(out)) == ["一、审签"]
        assert line(out, "拟发布网站的数据指纹") == line(out, "线上版本的数据指纹")
        text = out.with_suffix(".txt").read_text(encoding="utf-8")
        assert text.count("没有变化") == 1 and "数据变化" not in text and "页面变化" not in text


def test_a_first_release_is_summed_up_as_new(sites, tmp_path):
    dest = tmp_path / "plan"
    out = review(sites["r1"], dest, tmp_path / "first.docx")
    assert summary(out) == "首次发布：发布目录中还没有线上版本，以下内容全部为新增。"
    assert line(out, "对照的线上版本") == "无（首次发布）"
    only = sections(out)["一、首次发布的内容"][""]
    pages = len(list(sites["r1"].rglob("*.html")))
    assert only[0].startswith(f"页面 {pages} 个：首页 1 个、")
    assert only[1].endswith(f"任务 {len(PLAN_TASKS)} 项，量化目标 {len(INDICATORS)} 个，责任单位 {len(UNITS)} 个")
    assert only[2] == "季度进展 1 期：2020年第一季度（均为示例数据）"
    assert len(out.with_suffix(".txt").read_text(encoding="utf-8").splitlines()) < 25, "summed up, not listed"
    assert not dest.exists(), "a review changes nothing in DEST"


def test_a_target_newly_achieved_is_listed_with_its_label(sites, tmp_path):
    dest = tmp_path / "plan"
    ok(cli("publish", "--site", sites["r1"], "--dest", dest))
    out = review(sites["achieved"], dest, tmp_path / "achieved.docx")
    was = json.loads((sites["r1"] / "downloads" / "plan.json").read_text(encoding="utf-8"))["derived"][-1]
    before = assessment_label(was["indicator_assessment"][INDICATOR])
    found = sections(out)["一、数据变化"]
    assert found["（二）新达标或未达标的目标"] == \
        [f"{INDICATORS[INDICATOR]['name']}：{before} → {assessment_label('achieved')}（2020年第一季度）"]
    assert list(found) == ["（一）量化目标数值", "（二）新达标或未达标的目标"]


def test_the_review_is_the_same_bytes_each_time_never_overwrites_a_signed_one_and_libreoffice_opens_it(
        sites, tmp_path):
    dest = tmp_path / "plan"
    ok(cli("publish", "--site", sites["r1"], "--dest", dest))
    a, b = review(sites["r2"], dest, tmp_path / "a.docx"), review(sites["r2"], dest, tmp_path / "b.docx")
    assert a.read_bytes() == b.read_bytes() and a.with_suffix(".txt").read_bytes() == b.with_suffix(".txt").read_bytes()
    review(sites["r2"], dest, a)  # the same content again: nothing to keep
    signed = a.read_bytes() + b"\0"
    a.write_bytes(signed)
    result = cli("review", "--site", sites["r2"], "--dest", dest, "--out", a)
    assert result.returncode == 1 and "已经存在" in result.stderr and "Traceback" not in result.stderr
    assert a.read_bytes() == signed

    assert os.path.exists(SOFFICE), "需要 LibreOffice：运行 make test 会自动安装（scripts/ensure_libreoffice.sh）"
    profile, pdf = tmp_path / "lo-profile", tmp_path / "pdf"
    pdf.mkdir()
    ok(subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                       "--convert-to", "pdf", "--outdir", str(pdf), str(b)],
                      capture_output=True, text=True, timeout=300))
    text = subprocess.run([PDFTOTEXT, str(pdf / "b.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    compact = "".join(text.split())
    for words in ("网站发布审签单", "数据变化", "页面变化", "拟稿", "审核", "签发", f"→{NEW_STATUS}"):
        assert words in compact, words


def test_a_publish_while_another_runs_is_refused_and_changes_nothing(sites, tmp_path):
    dest = tmp_path / "plan"
    ok(cli("publish", "--site", sites["r1"], "--dest", dest))
    ok(cli("publish", "--site", sites["r2"], "--dest", dest))
    before = state(dest)
    with open(dest / LOG, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        for result in (cli("publish", "--site", sites["r1"], "--dest", dest), cli("rollback", "--dest", dest)):
            assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
            assert "正在进行另一次发布或回退" in result.stderr and "线上网站保持不变" in result.stderr
    assert state(dest) == before
