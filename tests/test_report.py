"""Article text is data: it must reach terminals, CSV, Markdown and JSON as literal text."""

from __future__ import annotations

import csv
import io
import json

from claimaudit.report import csv_cell, md_cell, render_groups, render_listing, visible

HOSTILE = "[bold red]Boom[/] [link=https://x.test]click[/link] \x1b]8;;https://x.test\x07esc\x1b[31mred\x07"


def group(text=HOSTILE):
    art = {"id": 1, "url": "https://x.test/a", "outlet": "=cmd|' /C calc'!A0", "published":
           "2024-12-16", "title": "t"}
    fig = {"figure_id": 1, "claim_id": 1, "article": art, "text": text, "span": [0, 5],
           "value": 1.0, "low": None, "high": None, "qualifier": "exact",
           "speaker": {"name": "Pipe | Name"}, "stated_on": None, "origin": [], "flags": []}
    return {"id": 1, "label": text, "figures": [fig], "origins": [], "flags": []}


def test_visible_escapes_control_characters():
    assert visible("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert "\x1b" not in visible(HOSTILE) and "\x07" not in visible(HOSTILE)


def test_table_shows_markup_literally_and_no_escape_codes():
    out = io.StringIO()
    render_groups([group()], "table", out)
    s = out.getvalue()
    assert "[bold red]Boom[/]" in s
    assert "\x1b" not in s and "\x07" not in s


def test_csv_cells_cannot_run_as_formulas():
    out = io.StringIO()
    render_groups([group("+SUM(A1)")], "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    cells = [c for r in rows[1:] for c in r]
    assert all(not c or c[0] not in "=+-@" for c in cells), cells
    assert csv_cell("-12") == "-12" and csv_cell("@x") == "'@x"


def test_markdown_escapes_pipes():
    out = io.StringIO()
    render_groups([group()], "markdown", out)
    assert "Pipe \\| Name" in out.getvalue()
    assert md_cell("a|b") == "a\\|b"


def test_json_round_trips_hostile_text():
    out = io.StringIO()
    render_groups([group()], "json", out)
    assert json.loads(out.getvalue())["groups"][0]["label"] == HOSTILE


def test_listing_table_is_literal():
    out = io.StringIO()
    render_listing([{"name": HOSTILE}], [("name", lambda r: r["name"])], "table", out)
    assert "[link=https://x.test]" in out.getvalue() and "\x1b" not in out.getvalue()


def test_csv_and_json_carry_no_raw_control_characters():
    out = io.StringIO()
    render_groups([group("\x1b[31mred\x9b2J")], "csv", out)
    assert "\x1b" not in out.getvalue() and "\x9b" not in out.getvalue()
    out = io.StringIO()
    render_groups([group("\x1b[31mred\x9b2J")], "json", out)
    assert "\x9b" not in out.getvalue() and "\x1b" not in out.getvalue()
    assert json.loads(out.getvalue())["groups"][0]["label"] == "\x1b[31mred\x9b2J"
