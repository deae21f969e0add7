"""Render groups, claims, articles and speakers as table | json | jsonl | csv | markdown.

No database access here. Article text is data: every string is passed to rich as ``Text``
(never parsed as markup), control characters and escape sequences are shown as visible
``\\x1b``-style literals, CSV cells that a spreadsheet would read as formulas are quoted
with a leading apostrophe, and Markdown cells escape pipes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Callable, Iterable, Optional, TextIO

FORMATS = ("table", "json", "jsonl", "csv", "markdown")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
FLAG_ORDER = ("speaker", "qualifier", "value", "rounding", "metric", "period", "date")
SERIOUS = {"speaker", "qualifier", "value"}


def visible(s: Any) -> str:
    """A string safe for a terminal: control characters become literal ``\\xNN``."""
    if s is None:
        return ""
    s = str(s)
    return CONTROL_RE.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 256
                          else "\\u%04x" % ord(m.group()), s)


def one_line(s: Any, limit: Optional[int] = None) -> str:
    t = " ".join(visible(s).split())
    if limit and len(t) > limit:
        t = t[: limit - 1] + "…"
    return t


def csv_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        v = ";".join(str(x) for x in v)
    s = visible(v)                  # no raw escape codes when the CSV is printed
    if s[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(s):
        s = "'" + s
    return s


def _is_number(s: str) -> bool:
    return bool(re.fullmatch(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", s))


def md_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        v = ", ".join(str(x) for x in v)
    s = one_line(v)
    return re.sub(r"([|\\`*_\[\]<>])", r"\\\1", s)


C1_RE = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def to_json(obj: Any, indent: Optional[int] = None) -> str:
    """JSON with non-ASCII text kept readable; C0 controls are escaped by json itself,
    DEL, C1 controls and line separators are escaped here, so no terminal acts on them."""
    return C1_RE.sub(lambda m: "\\u%04x" % ord(m.group()),
                     json.dumps(obj, ensure_ascii=False, indent=indent))


def dump_json(obj: Any, out: TextIO) -> None:
    out.write(to_json(obj, indent=2) + "\n")


def dump_jsonl(rows: Iterable[Any], out: TextIO) -> None:
    for r in rows:
        out.write(to_json(r) + "\n")


def write_csv(header: list[str], rows: Iterable[list[Any]], out: TextIO) -> None:
    w = csv.writer(out)
    w.writerow(header)
    for r in rows:
        w.writerow([csv_cell(v) for v in r])


def write_markdown(header: list[str], rows: Iterable[list[Any]], out: TextIO) -> None:
    out.write("| " + " | ".join(header) + " |\n")
    out.write("|" + "---|" * len(header) + "\n")
    for r in rows:
        out.write("| " + " | ".join(md_cell(v) for v in r) + " |\n")


# ----------------------------------------------------------------------------- groups

GROUP_COLUMNS = ["group", "label", "published", "outlet", "credited_to", "stated_on",
                 "as_written", "qualifier", "value", "flags", "url"]


def _group_rows(groups: list[dict[str, Any]]) -> Iterable[list[Any]]:
    for g in groups:
        for f in g["figures"]:
            a = f["article"]
            yield [g["id"], g["label"], a.get("published"), a.get("outlet"),
                   (f.get("speaker") or {}).get("name"), _date(f.get("stated_on")), f["text"],
                   f.get("qualifier"), f.get("value"), f.get("flags") or [], a.get("url")]


def _date(d: Any) -> Optional[str]:
    if isinstance(d, dict):
        return d.get("date")
    return d


def shown_rows(g: dict[str, Any], limit: Optional[int]) -> list[dict[str, Any]]:
    """The statements a person's view of a group shows: all of them, or, past ``limit``,
    the earliest, then those flagged speaker/qualifier/value, then the other flagged, then
    the rest - in time order still."""
    figs = g["figures"]
    if not limit or len(figs) <= limit:
        return figs
    first = (g.get("earliest") or figs[0])["figure_id"]   # the one the others are compared with

    def rank(p):
        i, f = p
        fl = set(f.get("flags") or [])
        return (f["figure_id"] != first, not (fl & SERIOUS), not fl, i)
    keep = sorted(sorted(enumerate(figs), key=rank)[:limit])
    return [f for _, f in keep]


def _size(g: dict[str, Any]) -> int:
    """Statements in the group (a digest lists only those shown, see groups.find_report)."""
    return g["digest"]["size"] if g.get("digest") else len(g["figures"])


def _hidden_line(g: dict[str, Any], shown: int) -> str:
    more = _size(g) - shown
    return (f"  … {more} more statement{'s' if more != 1 else ''} not shown; "
            f"claimaudit trace {g['id']} shows all")


def render_groups(groups: list[dict[str, Any]], fmt: str, out: TextIO,
                  console_factory: Optional[Callable] = None,
                  rows_per_group: Optional[int] = None) -> None:
    """``rows_per_group`` caps the statements the table and markdown views list per
    group (see ``shown_rows``); json, jsonl and csv always carry every one."""
    if fmt == "json":
        dump_json({"groups": groups}, out)
    elif fmt == "jsonl":
        dump_jsonl(groups, out)
    elif fmt == "csv":
        write_csv(GROUP_COLUMNS, _group_rows(groups), out)
    elif fmt == "markdown":
        for g in groups:
            out.write(f"### Group {g['id']}: {md_cell(g['label'])}\n\n")
            for o in g.get("origins") or []:
                out.write(f"First said by {md_cell(o['speaker'])}"
                          f"{' on ' + md_cell(o['stated_on']) if o.get('stated_on') else ''}"
                          f" (origin named in {md_cell(o['outlet'])})\n\n")
            rows = shown_rows(g, rows_per_group)
            write_markdown(GROUP_COLUMNS[2:10],
                           (r[2:10] for r in _group_rows([{**g, "figures": rows}])), out)
            if len(rows) < _size(g):
                out.write("\n" + md_cell(_hidden_line(g, len(rows)).strip()) + "\n")
            out.write("\n" + md_cell(summary_line(g)) + "\n\n")
    else:
        _table_groups(groups, out, console_factory, rows_per_group)


def more_groups_line(total: int, shown: int) -> str:
    """The note under a report cut short by --limit."""
    more = total - shown
    return (f"{more} more group{'s' if more != 1 else ''} match (the {shown} largest of "
            f"{total} shown); use --limit 0 for all.")


def summary_line(g: dict[str, Any]) -> str:
    if g.get("digest"):
        n, outlets = g["digest"]["size"], g["digest"]["outlets"]
        counts = g["digest"]["flag_counts"]
    else:
        n = len(g["figures"])
        outlets = len({(f["article"].get("outlet") or f["article"].get("url")
                        or f["article"]["id"]) for f in g["figures"]})
        counts = {}
        for f in g["figures"]:
            for fl in f.get("flags") or []:
                counts[fl] = counts.get(fl, 0) + 1
    flags = ", ".join(f"{k} {counts[k]}" for k in FLAG_ORDER if k in counts) or "no flags"
    return (f"{n} statement{'s' if n != 1 else ''} in {outlets} source"
            f"{'s' if outlets != 1 else ''}; {flags}")


def _console(out: TextIO, console_factory):
    if console_factory:
        return console_factory()
    from rich.console import Console
    return Console(file=out, highlight=False, soft_wrap=False)


def _table_groups(groups, out, console_factory, rows_per_group=None) -> None:
    from rich.table import Table
    from rich.text import Text
    console = _console(out, console_factory)
    if not groups:
        console.print(Text("No figure groups match."))
        return
    for g in groups:
        head = Text()
        head.append(f"Group {g['id']} ", style="bold")
        head.append(one_line(g["label"]), style="bold cyan")
        console.print(head)
        for o in g.get("origins") or []:
            line = Text("  first said by ", style="dim")
            line.append(one_line(o["speaker"]), style="bold")
            if o.get("stated_on"):
                line.append(f" on {one_line(o['stated_on'])}")
            line.append(f"  (origin named by {one_line(o.get('outlet'))})", style="dim")
            console.print(line)
        t = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        for col in ("published", "outlet", "credited to", "stated on", "as written", "flags"):
            t.add_column(col, overflow="fold", no_wrap=col in ("published", "stated on"))
        rows = shown_rows(g, rows_per_group)
        for f in rows:
            a = f["article"]
            flags = Text()
            for i, fl in enumerate(f.get("flags") or []):
                if i:
                    flags.append(" ")
                style = "bold red" if fl in SERIOUS else "yellow"
                if fl == "qualifier" and f.get("serious"):
                    style = "bold white on red"
                flags.append(fl, style=style)
            t.add_row(Text(one_line((a.get("published") or "")[:10])),
                      Text(one_line(a.get("outlet"), 24)),
                      Text(one_line((f.get("speaker") or {}).get("name"), 28)
                           or "(unattributed)", style="" if f.get("speaker") else "dim"),
                      Text(one_line(_date(f.get("stated_on")) or "")),
                      Text(one_line(f["text"], 40)), flags)
        console.print(t)
        if len(rows) < _size(g):
            console.print(Text(_hidden_line(g, len(rows)), style="dim"))
        console.print(Text("  " + summary_line(g), style="dim"))
        console.print()


# ----------------------------------------------------------------------------- listings

def render_listing(rows: list[dict[str, Any]], columns: list[tuple[str, Callable]], fmt: str,
                   out: TextIO, console_factory=None, json_rows: Optional[list] = None) -> None:
    """A flat listing: ``columns`` are (header, getter) pairs for table, csv, markdown."""
    if fmt == "json":
        dump_json(json_rows if json_rows is not None else rows, out)
        return
    if fmt == "jsonl":
        dump_jsonl(json_rows if json_rows is not None else rows, out)
        return
    header = [c[0] for c in columns]
    cells = ([get(r) for _, get in columns] for r in rows)
    if fmt == "csv":
        write_csv(header, cells, out)
    elif fmt == "markdown":
        write_markdown(header, cells, out)
    else:
        from rich.table import Table
        from rich.text import Text
        console = _console(out, console_factory)
        t = Table(header_style="bold", show_edge=False, box=None)
        for h in header:
            t.add_column(h, overflow="fold")
        for row in cells:
            t.add_row(*[Text(one_line(v if not isinstance(v, list) else ", ".join(map(str, v)),
                                      80)) for v in row])
        console.print(t)


def claim_columns() -> list[tuple[str, Callable]]:
    return [
        ("id", lambda c: c["id"]),
        ("published", lambda c: (c["article"].get("published") or "")[:10]),
        ("outlet", lambda c: c["article"].get("outlet")),
        ("speaker", lambda c: (c.get("speaker") or {}).get("name")),
        ("cue", lambda c: c["cue"]["text"]),
        ("stated on", lambda c: _date(c.get("stated_on"))),
        ("figures", lambda c: [f["text"] for f in c.get("figures") or []]),
        ("content", lambda c: one_line(c["content"]["text"], 90)),
    ]


def article_columns() -> list[tuple[str, Callable]]:
    return [
        ("id", lambda a: a["id"]), ("published", lambda a: (a.get("published") or "")[:10]),
        ("outlet", lambda a: a.get("outlet")), ("title", lambda a: a.get("title")),
        ("claims", lambda a: a.get("claims")), ("figures", lambda a: a.get("figures")),
        ("url", lambda a: a.get("url") or a.get("source")),
    ]


def speaker_columns() -> list[tuple[str, Callable]]:
    return [
        ("id", lambda s: s["id"]), ("name", lambda s: s["name"]), ("kind", lambda s: s.get("kind")),
        ("aliases", lambda s: s.get("aliases") or []), ("roles", lambda s: s.get("roles") or []),
        ("articles", lambda s: s.get("articles")), ("claims", lambda s: s.get("claims")),
        ("figures", lambda s: s.get("figures")),
    ]
