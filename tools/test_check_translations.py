#!/usr/bin/env python3
"""The parity check must pass a faithful translation and name each kind of planted divergence.

  python3 -m unittest tools/test_check_translations.py
"""

import contextlib
import io
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_translations  # noqa: E402

ENGLISH = """English | [中文](zh/01_a.md)

# 01 - A lab

## Why am I doing this?

Read [the next lab](02_b.md#pitfalls) and [the reference](../labs/01_a/README.md).

![The echo](../Resourse/echo.png)

```cpp
int n = ::send(fd, data, size, MSG_NOSIGNAL);  // may be short
```

| # | Write | Graded tests | Points |
| --- | --- | --- | --- |
| 1 | `send_all` (`send_all.cpp`) | `Lab01SendAll.ShortWrites` | 6 |
| | | **Total** | **6** |

| call | returns |
| --- | --- |
| `recv` | 0 at EOF |
| a closed peer | an error |

<details><summary>Hint 1</summary>

Loop. See [Exercises](#exercises).

</details>

## Exercises
"""

CHINESE = """[English](../01_a.md) | 中文

# 01 - 一个实验

## 为什么要做这个实验？

阅读[下一个实验](02_b.md#陷阱)和[参考页](../../labs/01_a/README.md)。

![回显](../../Resourse/echo.png)

```cpp
int n = ::send(fd, data, size, MSG_NOSIGNAL);  // may be short
```

| # | 编写 | 评分测试 | 分数 |
| --- | --- | --- | --- |
| 1 | `send_all`（`send_all.cpp`） | `Lab01SendAll.ShortWrites` | 6 |
| | | **合计** | **6** |

| 调用 | 返回 |
| --- | --- |
| `recv` | EOF 时返回 0 |
| 已关闭的对端 | 错误 |

<details><summary>提示 1</summary>

循环。见[练习](#练习)。

</details>

## 练习
"""

NEXT_ENGLISH = "English | [中文](zh/02_b.md)\n\n# 02 - B\n\n## Pitfalls\n"
NEXT_CHINESE = "[English](../02_b.md) | 中文\n\n# 02 - B\n\n## 陷阱\n"


class ParityCheck(unittest.TestCase):
    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.root = Path(self.folder.name).resolve()
        (self.root / "notes" / "zh").mkdir(parents=True)
        (self.root / "labs" / "01_a").mkdir(parents=True)
        (self.root / "Resourse").mkdir()
        (self.root / "labs" / "01_a" / "README.md").write_text("# A\n", "utf-8")
        (self.root / "Resourse" / "echo.png").write_bytes(b"")
        (self.root / "README.md").write_text("English | [中文](README.zh.md)\n", "utf-8")
        (self.root / "README.zh.md").write_text("[English](README.md) | 中文\n", "utf-8")
        (self.root / "notes" / "02_b.md").write_text(NEXT_ENGLISH, "utf-8")
        (self.root / "notes" / "zh" / "02_b.md").write_text(NEXT_CHINESE, "utf-8")
        self.saved_root = check_translations.ROOT
        check_translations.ROOT = self.root

    def tearDown(self) -> None:
        check_translations.ROOT = self.saved_root
        self.folder.cleanup()

    def findings(self, english: str, chinese: str) -> list[str]:
        (self.root / "notes" / "01_a.md").write_text(english, "utf-8")
        (self.root / "notes" / "zh" / "01_a.md").write_text(chinese, "utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = check_translations.main([])
        lines = out.getvalue().splitlines()[:-1]
        self.assertEqual(status, 1 if lines else 0)
        return lines

    def assertFinds(self, kind: str, chinese: str, english: str = ENGLISH) -> None:
        found = self.findings(english, chinese)
        self.assertTrue(found, f"no finding for a planted {kind} divergence")
        self.assertTrue(found[0].startswith(kind + ":"), found)

    def test_a_faithful_translation_passes(self) -> None:
        self.assertEqual(self.findings(ENGLISH, CHINESE), [])

    def test_an_english_edit_without_its_translation_fails(self) -> None:
        self.assertFinds("headings", CHINESE, ENGLISH + "\n### A new step\n")

    def test_a_missing_heading(self) -> None:
        self.assertFinds("headings", CHINESE.replace("## 练习\n", "练习\n"))

    def test_a_heading_at_another_level(self) -> None:
        self.assertFinds("headings", CHINESE.replace("## 练习", "### 练习"))

    def test_a_translated_code_comment(self) -> None:
        self.assertFinds("code", CHINESE.replace("// may be short", "// 可能写不完"))

    def test_a_dropped_table_row(self) -> None:
        self.assertFinds("tables", CHINESE.replace("| 已关闭的对端 | 错误 |\n", ""))

    def test_a_changed_first_column(self) -> None:
        self.assertFinds("tables", CHINESE.replace("| `recv` |", "| `read` |"))

    def test_other_points_in_an_exercise_row(self) -> None:
        planted = CHINESE.replace("`Lab01SendAll.ShortWrites` | 6 |", "`Lab01SendAll.ShortWrites` | 7 |")
        self.assertFinds("exercises", planted)

    def test_another_image(self) -> None:
        self.assertFinds("links", CHINESE.replace("echo.png", "chat.png"))

    def test_an_anchor_into_an_english_heading(self) -> None:
        self.assertFinds("anchors", CHINESE.replace("(#练习)", "(#exercises)"))

    def test_a_dropped_hint(self) -> None:
        self.assertFinds("details", CHINESE.replace("<details><summary>提示 1</summary>", ""))

    def test_a_missing_language_switch(self) -> None:
        self.assertFinds("switch", CHINESE.replace("[English](../01_a.md) | 中文", "中文"))

    def test_a_missing_translation(self) -> None:
        (self.root / "notes" / "03_c.md").write_text("English | [中文](zh/03_c.md)\n", "utf-8")
        found = self.findings(ENGLISH, CHINESE)
        self.assertEqual(found, ["missing: notes/03_c.md has no Chinese counterpart notes/zh/03_c.md"])


if __name__ == "__main__":
    unittest.main()
