"""Shared test helpers: each test gets its own store in tmp_path; CLI tests run the
installed ``claimaudit`` command as a user would and then reopen the database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "menafn-2024-12-21-gerasimov-ukraine-losses.txt"
FIXTURES = ROOT / "fixtures"
BIN = Path(sys.executable).parent / "claimaudit"


def cli_cmd(*args) -> list[str]:
    """The installed CLI with these arguments, as a user runs it."""
    return [str(BIN) if BIN.exists() else "claimaudit", *map(str, args)]


def cli_env(db: Path) -> dict:
    """The environment for a CLI run on ``db``: no colour, no inherited debug switch."""
    e = dict(os.environ, CLAIMAUDIT_DB=str(db), NO_COLOR="1")
    e.pop("CLAIMAUDIT_DEBUG", None)
    return e


def query(db: Path, sql: str, params=()) -> list:
    """Rows of one query on the store file, through a connection of its own."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def cli(db_path, tmp_path):
    """Run the installed claimaudit CLI with CLAIMAUDIT_DB pointing at this test's store."""

    def run(*args, input=None, env=None, check=None):
        e = dict(os.environ, CLAIMAUDIT_DB=str(db_path), NO_COLOR="1", COLUMNS="200")
        e.pop("CLAIMAUDIT_DEBUG", None)
        if env:
            e.update(env)
        cmd = [str(BIN) if BIN.exists() else "claimaudit", *map(str, args)]
        r = subprocess.run(cmd, capture_output=True, text=True, input=input, env=e,
                           cwd=tmp_path, timeout=120)
        if check is not None:
            assert r.returncode == check, (r.returncode, r.stdout[-2000:], r.stderr[-2000:])
        return r

    run.json = lambda *a, **k: json.loads(run(*a, check=0, **k).stdout)
    return run
