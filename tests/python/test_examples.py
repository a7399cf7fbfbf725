"""The Python examples the README shows run and print what their comments say."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


def expected_output(source: str) -> list[str]:
    """The `# expected` comments of the print lines, in order."""
    return [m.group(1).strip() for m in re.finditer(r"^\s*print\(.*\)\s+#\s*(.+)$", source, re.M)]


@pytest.mark.parametrize("name", ["quickstart.py", "pool_rows.py"])
def test_example_prints_what_it_says(name: str) -> None:
    script = EXAMPLES / name
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True, cwd=EXAMPLES)
    assert out.stdout.splitlines() == expected_output(script.read_text(encoding="utf-8"))
