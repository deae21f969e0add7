"""Score claimaudit on the shared yardsticks in ../shared/eval (PolNeAR dev and the wire
stories). Skips cleanly, exit 0, when that folder is absent (e.g. on a machine that has
only the project).

    .venv/bin/python scripts/eval_shared.py [--split dev]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", help="PolNeAR split: dev or train")
    a = ap.parse_args()
    if not EVAL.is_dir():
        print(f"skipped: {EVAL} is not here")
        return 0
    exe = Path(sys.executable).parent / "claimaudit"
    gold = EVAL / "polnear" / f"{a.split}.jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        t = time.perf_counter()
        with pred.open("w") as out:
            subprocess.run([str(exe), "extract", str(gold), "--format", "jsonl"], stdout=out,
                           check=True)
        took = time.perf_counter() - t
        chars = gold.stat().st_size
        print(f"PolNeAR {a.split}: extract took {took:.2f} s ({chars / took / 1e6:.2f} MB/s of JSONL)")
        subprocess.run([sys.executable, str(EVAL / "score_attribution.py"), str(gold), str(pred)],
                       check=True)
        print("\nWire stories:")
        subprocess.run([sys.executable, str(EVAL / "score_wires.py"), str(EVAL / "wires"),
                        "--claimaudit", str(exe)], check=True, cwd=tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
