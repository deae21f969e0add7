"""benchmarks/extract_instructions.py: the instruction count of extraction under valgrind.
Counts are printed by the script, never compared with a target here."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "benchmarks" / "extract_instructions.py"


def _run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, timeout=timeout)


def test_missing_corpus_is_one_clear_line(tmp_path):
    r = _run(str(tmp_path / "nope.jsonl"))
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "nope.jsonl: no such file" in lines[0]
    assert "Traceback" not in r.stderr


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_counts_the_extraction_of_the_first_articles_only(tmp_path):
    texts = ["Ann Berg, the port director, said on Monday that 312 ships were delayed.",
             "No one said anything here about numbers.",
             "This third article is never read: --articles 2 stops before it."]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts),
                      encoding="utf-8")
    r = _run(str(corpus), "--articles", "2")
    assert r.returncode == 0, r.stderr
    chars = sum(len(t) for t in texts[:2])
    assert f"first 2 articles, {chars:,} characters" in r.stdout
    m = re.search(r"extraction\s+([\d,]+) instructions", r.stdout)
    assert m and int(m.group(1).replace(",", "")) > 0
