"""The scoreboard's own words, in English or Chinese.

NETLAB_LANG=zh (or en) chooses; without it a zh_* locale (LC_ALL, LC_MESSAGES, LANG) chooses
Chinese. Only the scoreboard's headings, summaries and next step change, and its handout links
lead to notes/zh/. Test names, what a test printed and the programs' output stay English.
"""

import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path

STATUS_ZH = {"passed": "通过", "failed": "失败", "crashed": "崩溃", "timed out": "超时", "error": "出错",
             "skipped": "跳过", "not run": "未运行"}

WORDS = {
    "en": {
        "lab": "lab", "title": "title", "points": "points", "score": "score", "total": "total",
        "skipped": "Skipped here, not counted in the total:",
        "failed": "What failed, in the handouts' exercise order (0 points each; "
                  "./lab grade ... --show TEST prints one test's whole output):",
        "row": "{lab} row {number}: {write}",
        "test": "{name} [{points} pt] {status}:",
        "summary": "{passed} passed, {failed} failed",
        "summary_skipped": ", {skipped} skipped",
        "next": "next: {lab} row {number}, {write} ({points} points; {handout} § Exercises)",
        "starter": "On this build {failed} of {tests} tests fail and {passed} pass: "
                   "each lab must stay at or under {at_most:.0f}% of its points.",
        "over": "  <-- over {at_most:.0f}%: the tests do not bite",
        "reports": "reports: {results} and junit.xml",
    },
    "zh": {
        "lab": "实验", "title": "标题", "points": "得分", "score": "得分率", "total": "合计",
        "skipped": "在此跳过、不计入合计的测试：",
        "failed": "未通过的测试，按讲义的练习顺序（每个 0 分；"
                  "./lab grade ... --show 测试名 打印一个测试的完整输出）：",
        "row": "{lab} 练习 {number}：{write}",
        "test": "{name} [{points} 分] {status}：",
        "summary": "通过 {passed} 个，未通过 {failed} 个",
        "summary_skipped": "，跳过 {skipped} 个",
        "next": "下一步：{lab} 练习 {number}，{write}（{points} 分；{handout} § 练习）",
        "starter": "本次构建中 {tests} 个测试里 {failed} 个未通过、{passed} 个通过："
                   "每个实验的得分率必须不超过 {at_most:.0f}%。",
        "over": "  <-- 超过 {at_most:.0f}%：测试没有起到检验作用",
        "reports": "报告：{results} 和 junit.xml",
    },
}


def language(environ: Mapping[str, str] = os.environ) -> str:
    """'zh' or 'en': NETLAB_LANG when set, else the first locale variable that is set."""
    chosen = environ.get("NETLAB_LANG", "")
    if not chosen:
        chosen = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(v)), "")
    return "zh" if chosen.lower().startswith("zh") else "en"


class Words:
    """The scoreboard's sentences in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.text = WORDS[lang]

    def __call__(self, key: str, **fields: object) -> str:
        """The sentence named key, with its fields filled in."""
        return self.text[key].format(**fields)

    def status(self, status: str) -> str:
        """A test's status (passed, failed, timed out ...) in this language."""
        return STATUS_ZH.get(status, status) if self.lang == "zh" else status

    def handout(self, english: Path) -> Path:
        """The handout to point to: notes/NN_x.md, or notes/zh/NN_x.md when that exists."""
        if self.lang != "zh":
            return english
        chinese = english.parent / "zh" / english.name
        return chinese if (Path(__file__).resolve().parent.parent / chinese).is_file() else english


def display_width(text: str) -> int:
    """Terminal columns text takes: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int, right: bool = False) -> str:
    """text cut and padded to width terminal columns, left-aligned unless right."""
    while display_width(text) > width:
        text = text[:-1]
    padding = " " * (width - display_width(text))
    return padding + text if right else text + padding
