"""Print how claimaudit does on its own fixtures against fixtures/gold.json.

    .venv/bin/python scripts/eval_fixtures.py
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.gold_score import score  # noqa: E402


def main() -> None:
    exe = Path(sys.executable).parent / "claimaudit"
    env = dict(os.environ, CLAIMAUDIT_DB=os.path.join(tempfile.mkdtemp(), "f.db"))
    subprocess.run([str(exe), "ingest", str(ROOT / "fixtures"), "--quiet"], env=env, check=True)
    claims = json.loads(subprocess.run([str(exe), "claims", "--format", "json"], env=env,
                                       capture_output=True, text=True, check=True).stdout)
    groups = json.loads(subprocess.run([str(exe), "report", "--format", "json"], env=env,
                                       capture_output=True, text=True, check=True).stdout)
    for k, v in score(claims, groups["groups"]).items():
        print(f"{k:22s} {v}")


if __name__ == "__main__":
    main()
