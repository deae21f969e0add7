"""Instructions spent in extraction, counted by valgrind (repeatable on a busy machine).

    python benchmarks/extract_instructions.py CORPUS.jsonl [--articles 200] [--narration]

Wall-clock figures move by +-30% when other jobs share the cores; an instruction count
does not. This runs the same child twice under ``valgrind --tool=callgrind`` with
PYTHONHASHSEED=0: both import claimaudit and parse the first --articles articles of the
corpus, and only the second runs ``extract_claims`` over them. The difference is the cost
of extraction alone (start-up, reading and parsing cancel out). Prints that count, per
article and per character of article text. Compare two versions of the code on the same
corpus slice; a change of a few tenths of a percent is real, not noise.
Needs valgrind on PATH (apt-get install valgrind).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, sys
from claimaudit.extract.pipeline import extract_claims
from claimaudit.ingest import article_from_row
arts = [article_from_row(json.loads(l), "bench") for l in open(sys.argv[1], encoding="utf-8")]
narration = sys.argv[3] == "1"
if sys.argv[2] == "1":
    for a in arts:
        extract_claims(a, narration=narration)
print(sum(len(a.text) for a in arts))
"""


def count(python: str, child: Path, corpus: Path, run: bool, narration: bool,
          out_dir: Path) -> tuple[int, int]:
    """(instructions, characters) of one child run under callgrind."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    out = out_dir / ("run.out" if run else "base.out")
    p = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", python, str(child),
         str(corpus), "1" if run else "0", "1" if narration else "0"],
        capture_output=True, text=True, env=env)
    if p.returncode:
        sys.exit(f"extract_instructions: the child failed:\n{p.stderr[-2000:]}")
    m = re.search(r"Collected : (\d+)", p.stderr)
    if not m:
        sys.exit("extract_instructions: no instruction count in valgrind's output")
    return int(m.group(1)), int(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--articles", type=int, default=200,
                    help="how many articles from the start of the corpus (default 200)")
    ap.add_argument("--narration", action="store_true", help="extract with narration=True")
    a = ap.parse_args()
    if not a.corpus.is_file():
        sys.exit(f"extract_instructions: {a.corpus}: no such file (give a JSON Lines corpus: "
                 f"benchmarks/make_corpus.py writes one)")
    if shutil.which("valgrind") is None:
        sys.exit("extract_instructions: valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        part = tmpd / "slice.jsonl"
        n = 0
        with a.corpus.open(encoding="utf-8") as src, part.open("w", encoding="utf-8") as dst:
            for line in src:
                if n >= a.articles:
                    break
                if line.strip():
                    dst.write(line)
                    n += 1
        child = tmpd / "child.py"
        child.write_text(CHILD, encoding="utf-8")
        base, chars = count(sys.executable, child, part, False, a.narration, tmpd)
        total, _ = count(sys.executable, child, part, True, a.narration, tmpd)
    ext = total - base
    print(f"corpus        {a.corpus} (first {n:,} articles, {chars:,} characters)")
    print(f"extraction    {ext:,} instructions  ({ext / max(n, 1):,.0f} per article, "
          f"{ext / max(chars, 1):,.0f} per character)")
    print(f"whole child   {total:,} (start-up, reading and parsing: {base:,})")


if __name__ == "__main__":
    main()
