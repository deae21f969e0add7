"""The command line: parse, call one core function, render. Errors become one line.

Exit codes: 0 ok, 1 some inputs failed (the rest stored), 2 usage error or nothing could be
done, 3 ``report --fail-on-flags`` found matching groups.
"""

from __future__ import annotations

from claimaudit.report import to_json
import os
import sys
from typing import Any, Optional

import typer

from claimaudit.errors import ClaimAuditError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Audit who said which figure first: extract attributed claims and "
                       "figures from news articles into SQLite and diff how they are restated.")
store_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Store maintenance.")
app.add_typer(store_app, name="store")
speakers_app = typer.Typer(add_completion=False, invoke_without_command=True,
                           help="List speakers, or correct them with merge / split.")
app.add_typer(speakers_app, name="speakers")

STATE: dict[str, Any] = {"debug": False}
DB_HELP = "SQLite store (default: $CLAIMAUDIT_DB, else the user data dir)."
FORMAT_HELP = "table | json | jsonl | csv | markdown"
TABLE_LIMIT = 20        # groups a report prints for people unless --limit says otherwise
TABLE_ROWS = 12         # statements per group it lists (`trace` lists them all)


class Exit(Exception):
    def __init__(self, code: int):
        self.code = code


def fail(message: str, code: int = 2) -> None:
    from claimaudit.report import one_line
    sys.stderr.write(f"claimaudit: {one_line(message)}\n")
    raise Exit(code)


def _check_format(fmt: str, allowed=("table", "json", "jsonl", "csv", "markdown")) -> str:
    fmt = fmt.lower()
    if fmt not in allowed:
        fail(f"--format {fmt}: not one of {', '.join(allowed)}")
    return fmt


def open_store(db: Optional[str]):
    from claimaudit.store import Store
    store = Store(db)
    STATE["store_path"] = str(store.path)
    return store


@app.callback()
def main_callback(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
) -> None:
    STATE["debug"] = debug


# ----------------------------------------------------------------------------- ingest

@app.command()
def ingest(
    sources: list[str] = typer.Argument(None, help="Files, folders, .jsonl, URLs, or - for stdin."),
    feed: list[str] = typer.Option([], "--feed", help="An RSS/Atom feed URL (repeatable)."),
    feeds_file: Optional[str] = typer.Option(None, "--feeds-file", help="A file of feed URLs."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet name (overrides)."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date."),
    title: Optional[str] = typer.Option(None, "--title", help="Title (overrides)."),
    url: Optional[str] = typer.Option(None, "--url", help="Article URL (overrides)."),
    input_format: str = typer.Option("auto", "--input-format", help="auto | text | html | jsonl"),
    timeout: float = typer.Option(20.0, "--timeout", help="Seconds to wait for a server."),
    max_bytes: int = typer.Option(10_000_000, "--max-bytes",
                                  help="Largest page or feed to download, in bytes."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    fmt: str = typer.Option("table", "--format", help="table (one line) | json (summary)"),
    workers: Optional[int] = typer.Option(
        None, "--workers", help="Extraction processes for files and folders (default: the "
                                "usable cores; 1: no pool). URLs, feeds and stdin: one at a time."),
) -> None:
    """Read articles, extract claims and figures, store them, regroup figures."""
    from claimaudit.ingest import (BATCH_ARTICLES, Overrides, SharedFetcher, TerminalProgress,
                                   ingest as run_ingest, is_url, iter_articles)
    fmt = _check_format(fmt, ("table", "json"))
    if workers is not None and workers < 1:
        fail(f"--workers {workers}: give a number of processes of 1 or more")
    if input_format not in ("auto", "text", "html", "jsonl"):
        fail(f"--input-format {input_format}: not one of auto, text, html, jsonl")
    if not timeout > 0:
        fail(f"--timeout {timeout:g}: give a number of seconds above 0")
    if max_bytes <= 0:
        fail(f"--max-bytes {max_bytes}: give a number of bytes above 0")
    srcs = list(sources or [])
    feed_urls = list(feed)
    if feeds_file:
        from claimaudit.sources.feeds import read_feed_urls
        try:
            feed_urls += read_feed_urls(feeds_file)
        except OSError as e:
            fail(f"{feeds_file}: {e.strerror} (check the path)")
    if not srcs and not feed_urls:
        fail("nothing to ingest: give files, folders, URLs, - for stdin, or --feed URL")
    debug = STATE["debug"]
    store = open_store(db)
    errors = []

    def on_error(e):
        from claimaudit.report import one_line
        errors.append(e)
        sys.stderr.write(f"claimaudit: {one_line(str(e))}\n")

    # a progress display only for a person at a terminal, never in cron mail or pipes
    progress = (TerminalProgress() if sys.stdout.isatty() and not quiet and fmt != "json"
                else None)
    def on_notice(message: str) -> None:
        from claimaudit.report import one_line
        sys.stderr.write(f"claimaudit: note: {one_line(message)}\n")

    ov = Overrides(outlet=outlet, published=published, title=title, url=url)
    fetcher = SharedFetcher(timeout=timeout, max_bytes=max_bytes)   # one client for the run
    items = iter_articles(srcs, ov, input_format=input_format, fetcher=fetcher, store=store,
                          debug=debug)
    if feed_urls:
        from claimaudit.feeds_run import iter_feed_articles
        import itertools
        items = itertools.chain(items, iter_feed_articles(store, feed_urls, ov, fetcher=fetcher,
                                                          debug=debug))
    # Files and folders: a pool of extraction processes and batched transactions. URLs,
    # feeds and stdin stay one article at a time, each committed before the next is read
    # (a feed's bookkeeping checks what was stored; a pipe's lines are stored as they come).
    local = not feed_urls and all(s != "-" and not is_url(s) for s in srcs)
    if local:
        from claimaudit.workers import usable_cores
        pool = dict(workers=workers or usable_cores(), batch_size=BATCH_ARTICLES)
    else:
        pool = dict(workers=1, batch_size=1)
    try:
        summary = run_ingest(store, items, sources=srcs + feed_urls, on_error=on_error,
                             on_item=progress, on_notice=None if quiet else on_notice,
                             debug=debug, **pool)
    finally:
        if progress is not None:
            progress.close()
        fetcher.close()
        store.close()
    _finish(summary, fmt, quiet)


# ----------------------------------------------------------------------------- extract

@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Text, HTML or .jsonl files, folders, "
                                                "or - for stdin."),
    fmt: str = typer.Option("json", "--format", help="json | jsonl"),
    input_format: str = typer.Option("auto", "--input-format", help="auto | text | html | jsonl"),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date."),
    outlet: Optional[str] = typer.Option(None, "--outlet"),
    text: Optional[bool] = typer.Option(
        None, "--text/--no-text",
        help="Put each article's text in its record, so `claimaudit load` can store it "
             "(default: with --format jsonl)."),
    narration: bool = typer.Option(
        False, "--narration",
        help="Also keep figures the text credits to no one (headlines), as ingest stores "
             "them."),
) -> None:
    """Extraction only, no store: print claims as JSON (streams one line per article)."""
    from claimaudit.errors import SourceError
    from claimaudit.ingest import Overrides, iter_articles
    from claimaudit.loader import extract_record
    from claimaudit.report import one_line
    fmt = _check_format(fmt, ("json", "jsonl"))
    if input_format not in ("auto", "text", "html", "jsonl"):
        fail(f"--input-format {input_format}: not one of auto, text, html, jsonl")
    with_text = fmt == "jsonl" if text is None else text
    ov = Overrides(outlet=outlet, published=published)
    failed = 0
    docs = []
    out = sys.stdout
    for item in iter_articles(paths, ov, input_format=input_format, debug=STATE["debug"]):
        if isinstance(item, SourceError):
            failed += 1
            sys.stderr.write(f"claimaudit: {one_line(str(item))}\n")
            continue
        doc = extract_record(item, narration=narration, text=with_text)
        if fmt == "jsonl":
            out.write(to_json(doc) + "\n")
        else:
            docs.append(doc)
    if fmt == "json":
        if len(docs) == 1:
            doc = docs[0]
            if doc["id"] is None:
                del doc["id"]
            print(to_json(doc, indent=2))
        else:
            print(to_json(docs, indent=2))
    if failed:
        raise Exit(1)


# ----------------------------------------------------------------------------- load

@app.command()
def load(
    files: list[str] = typer.Argument(..., help="JSON Lines written by `claimaudit extract "
                                                "--format jsonl`, or - for stdin."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    fmt: str = typer.Option("table", "--format", help="table (one line) | json (summary)"),
) -> None:
    """Store claims extracted earlier (no extraction here), then regroup figures."""
    from claimaudit.ingest import TerminalProgress
    from claimaudit.loader import iter_records, load as run_load
    from claimaudit.report import one_line
    fmt = _check_format(fmt, ("table", "json"))
    store = open_store(db)

    def on_error(e) -> None:
        sys.stderr.write(f"claimaudit: {one_line(str(e))}\n")

    def on_notice(message: str) -> None:
        sys.stderr.write(f"claimaudit: note: {one_line(message)}\n")

    progress = (TerminalProgress() if sys.stdout.isatty() and not quiet and fmt != "json"
                else None)
    try:
        summary = run_load(store, iter_records(files), sources=list(files), on_error=on_error,
                           on_item=progress, on_notice=None if quiet else on_notice,
                           debug=STATE["debug"])
    finally:
        if progress is not None:
            progress.close()
        store.close()
    _finish(summary, fmt, quiet)


def _finish(summary, fmt: str, quiet: bool) -> None:
    """``ingest``'s and ``load``'s output: the summary as JSON or one line; exit 1 when a
    source failed."""
    if fmt == "json":
        print(to_json(summary.to_dict()))
    elif not quiet:
        print(summary_line(summary))
    if summary.errors:
        raise Exit(1)


def summary_line(summary) -> str:
    """``ingest``'s and ``load``'s one line."""
    seen = f", {summary.articles_seen} already stored" if summary.articles_seen else ""
    err = f", {len(summary.errors)} failed" if summary.errors else ""
    if not summary.articles_new and summary.articles_seen and not summary.errors:
        return (f"Nothing new: {summary.articles_seen} article"
                f"{'s' if summary.articles_seen != 1 else ''} already stored.")
    if not summary.articles_new and not summary.articles_seen and not summary.errors:
        return "Nothing new."
    return (f"Stored {summary.articles_new} new article{'s' if summary.articles_new != 1 else ''}"
            f" ({summary.claims} claims, {summary.figures} figures){seen}{err}.")


# ----------------------------------------------------------------------------- report

@app.command()
def report(
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Credited or named as origin."),
    metric: Optional[str] = typer.Option(None, "--metric", help="Words of what is counted."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Groups with a figure from it."),
    since: Optional[str] = typer.Option(None, "--since", help="Groups with a figure published since."),
    flag: Optional[str] = typer.Option(None, "--flag", help="Only groups with these flags, e.g. speaker,qualifier."),
    fail_on_flags: bool = typer.Option(False, "--fail-on-flags", help="Exit 3 when any group matches."),
    min_size: int = typer.Option(1, "--min-size", help="Only groups with at least this many figures."),
    limit: Optional[int] = typer.Option(
        None, "--limit", help=f"Show the N largest matching groups (0: all, every statement; "
                              f"default {TABLE_LIMIT} groups of at most {TABLE_ROWS} "
                              f"statements for table and markdown, all for the others)."),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Figure groups: how each figure is restated and re-attributed, earliest first."""
    from claimaudit.groups import find_report
    from claimaudit.report import more_groups_line, render_groups
    fmt = _check_format(fmt)
    if limit is not None and limit < 0:
        fail(f"--limit {limit}: give a number of groups, or 0 for all")
    if limit is None:
        limit = TABLE_LIMIT if fmt in ("table", "markdown") else 0
    flags = [f.strip() for f in flag.split(",") if f.strip()] if flag else []
    with open_store(db) as store:
        groups, total = find_report(store, speaker=speaker, metric=metric, outlet=outlet,
                                    since=since, flags=flags, min_size=min_size, limit=limit,
                                    rows=TABLE_ROWS if limit and fmt in ("table", "markdown")
                                    else None)
    render_groups(groups, fmt, sys.stdout, rows_per_group=TABLE_ROWS if limit else None)
    if total > len(groups):
        line = more_groups_line(total, len(groups))
        if fmt == "table":
            sys.stdout.write(line + "\n")
        elif fmt == "markdown":
            sys.stdout.write("_" + line + "_\n")
        else:                       # pipelines read stdout: the note goes to stderr
            sys.stderr.write(f"claimaudit: {line}\n")
    if fail_on_flags and groups:
        raise Exit(3)


@app.command()
def trace(
    group_id: int = typer.Argument(..., help="A group id from `report`."),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """The timeline of one figure: who said it first and each restatement."""
    from claimaudit.groups import load_report
    from claimaudit.report import render_groups
    fmt = _check_format(fmt)
    with open_store(db) as store:
        groups = load_report(store, group_id=group_id)
    if not groups:
        fail(f"no group {group_id} (run `claimaudit report` to list groups)")
    render_groups(groups, fmt, sys.stdout)


@app.command()
def regroup(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Rebuild every figure group from the stored figures."""
    from claimaudit.groups import regroup as do_regroup
    with open_store(db) as store:
        with store.transaction():   # reads and rewrites as one: an ingest running now
            n = do_regroup(store)   # waits rather than lose its new figures' groups
    print(f"{n} figure groups.")


# ----------------------------------------------------------------------------- listings

@app.command()
def claims(
    speaker: Optional[str] = typer.Option(None, "--speaker"),
    outlet: Optional[str] = typer.Option(None, "--outlet"),
    since: Optional[str] = typer.Option(None, "--since"),
    search: Optional[str] = typer.Option(None, "--search", help="Full-text search of content."),
    with_figures: bool = typer.Option(False, "--with-figures", help="Only claims with figures."),
    limit: Optional[int] = typer.Option(None, "--limit"),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Stored claims with their speakers, cues, dates and figures."""
    from claimaudit.report import claim_columns, render_listing
    fmt = _check_format(fmt)
    with open_store(db) as store:
        rows = store.claims(speaker=speaker, outlet=outlet, since=since, search=search,
                            with_figures=True if with_figures else None, limit=limit)
    render_listing(rows, claim_columns(), fmt, sys.stdout)


@app.command()
def articles(
    outlet: Optional[str] = typer.Option(None, "--outlet"),
    since: Optional[str] = typer.Option(None, "--since"),
    limit: Optional[int] = typer.Option(None, "--limit"),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Stored articles."""
    from claimaudit.report import article_columns, render_listing
    fmt = _check_format(fmt)
    with open_store(db) as store:
        rows = store.articles(outlet=outlet, since=since, limit=limit)
    render_listing(rows, article_columns(), fmt, sys.stdout)


@speakers_app.callback()
def speakers(
    ctx: typer.Context,
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Speakers with aliases, roles, article and figure counts."""
    if ctx.invoked_subcommand:
        ctx.obj = {"db": db}
        return
    from claimaudit.report import render_listing, speaker_columns
    fmt = _check_format(fmt)
    with open_store(db) as store:
        rows = store.speakers()
    render_listing(rows, speaker_columns(), fmt, sys.stdout)


@speakers_app.command("merge")
def speakers_merge(
    ctx: typer.Context,
    keep: str = typer.Argument(..., help="The speaker to keep (name, alias or surname)."),
    other: str = typer.Argument(..., help="The speaker that is the same person or body."),
) -> None:
    """Record that OTHER is KEEP; survives re-ingest. Regroups figures."""
    from claimaudit.groups import regroup
    with open_store((ctx.obj or {}).get("db")) as store:
        kept, merged = store.merge_speakers(keep, other)
        with store.transaction():
            regroup(store)
    print(f"Merged {merged} into {kept}.")


@speakers_app.command("split")
def speakers_split(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A merged speaker, or one whose merges to undo."),
) -> None:
    """Undo a merge. Regroups figures."""
    from claimaudit.groups import regroup
    with open_store((ctx.obj or {}).get("db")) as store:
        names = store.split_speaker(name)
        with store.transaction():
            regroup(store)
    print(f"Split off {', '.join(names)}.")


@store_app.command("check")
def store_check(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Run SQLite's integrity check and print the store's counts."""
    import sqlite3

    from claimaudit.report import one_line
    with open_store(db) as store:
        result = store.integrity_check()
        try:
            counts = store.counts()
        except sqlite3.DatabaseError as e:
            counts = None
            if result == "ok":
                result = str(e)
        path = store.path
    if result == "ok":
        print(f"{path}: integrity ok")
    else:
        problems = [line for line in result.splitlines()
                    if line.strip() and not line.startswith("***")] or [result]
        n = len(problems)
        more = "+" if len(result.splitlines()) >= 100 else ""    # the check stops at 100
        print(f"{path}: integrity FAILED: {n}{more} problem"
              f"{'s' if n != 1 else ''}, first: {one_line(problems[0], 200)}")
    if counts is not None:
        print(", ".join(f"{k} {v}" for k, v in counts.items()))
    if result != "ok":
        sys.stderr.write(f"claimaudit: {one_line(path)}: the store is damaged; restore it "
                         "from a backup, or rescue what is left with `sqlite3 "
                         f"{one_line(path)} .recover`\n")
        raise Exit(1)


@store_app.command("path")
def store_path(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Print where the store lives."""
    from claimaudit.store import default_db_path
    print(db or default_db_path())


# ----------------------------------------------------------------------------- entry point

def _usage_errors(click) -> tuple:
    """Click's usage errors: typer 0.29 and later raise those of its own copy of click."""
    try:
        from typer import _click
        return (click.ClickException, _click.ClickException)
    except (ImportError, AttributeError):
        return (click.ClickException,)


def main(argv: Optional[list[str]] = None) -> None:
    """Console entry: one line per error, exit codes as documented, tracebacks on --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        code = typer.main.get_command(app).main(args=args, prog_name="claimaudit",
                                                standalone_mode=False)
        # typer turns Ctrl-C into Exit(130) and, not standalone, returns that code
        if code == 130:
            raise KeyboardInterrupt
        if isinstance(code, int) and code:
            sys.exit(code)
    except Exit as e:
        sys.exit(e.code)
    except ClaimAuditError as e:
        if debug:
            raise
        from claimaudit.report import one_line
        sys.stderr.write(f"claimaudit: {one_line(str(e))}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("claimaudit: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        sys.exit(0)
    except Exception as e:  # noqa: BLE001 - the last line of defence
        import sqlite3

        import click
        if isinstance(e, sqlite3.DatabaseError) and not debug:
            # a read that met a damaged page, or waited too long on a writer (opening and
            # writes already say which store)
            from claimaudit.report import one_line
            where = STATE.get("store_path")
            where = f"{one_line(where)}: " if where else ""
            reason = one_line(str(e))
            if "locked" in reason or "busy" in reason:
                sys.stderr.write(f"claimaudit: {where}the store is locked by another process "
                                 "(wait for it to finish, or use another --db)\n")
            else:
                sys.stderr.write(f"claimaudit: {where}the store cannot be read ({reason}); "
                                 "run `claimaudit store check`\n")
            sys.exit(2)
        if isinstance(e, click.exceptions.Exit):
            sys.exit(e.exit_code)
        if isinstance(e, _usage_errors(click)):
            e.show()
            sys.exit(2)
        if isinstance(e, click.exceptions.Abort):
            sys.exit(1)
        if debug:
            raise
        from claimaudit.report import one_line
        sys.stderr.write(f"claimaudit: internal error: {one_line(repr(e))} "
                         "(run again with --debug for the traceback)\n")
        sys.exit(2)
