"""Store -> figure groups -> report rows. Grouping rules live in ``match``; this module
reads figures through the store, saves groups, and shapes them for ``report``."""

from __future__ import annotations

import json
from typing import Any, Iterable, Optional

from claimaudit.match import (STATE_VERSION, Group, _flag, assign, bucket_of, earliest_of,
                              flag_touched, group_figures, is_serious, label, names_speaker,
                              query_bins, speaker_key, speaker_patterns, summarise)


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    p = d.get("period") or {}
    so = (d.get("claim") or {}).get("stated_on")
    return {
        "figure_id": d["id"], "value": d["value"], "low": d.get("low"), "high": d.get("high"),
        "qualifier": d.get("qualifier"), "unit": d.get("unit"), "metric": d.get("metric"),
        "subject": d.get("subject"), "period_start": p.get("start"), "period_end": p.get("end"),
        "period_text": p.get("text"), "speaker_name": (d.get("speaker") or {}).get("name"),
        "stated_on": so["date"] if so else None,
        "published": (d["article"].get("published") or "")[:10] or None,
        "headline": _in_headline(d),
    }


def _in_headline(d: dict[str, Any]) -> bool:
    """Is the figure in its article's headline (the title, stored as the text's first
    line)? Its claim's words are then the title's own."""
    title = (d.get("article") or {}).get("title") or ""
    span = d.get("span") or (None, None)
    if not title or span[0] is None or span[0] > len(title) + 2:
        return False
    content = (((d.get("claim") or {}).get("content") or {}).get("text") or "").strip()
    return bool(content) and (content in title or title in content) and \
        (d.get("text") or "") in title


def regroup(store) -> int:
    """Recompute every group from the stored figures (deterministic) and save them."""
    rows = [_flat(d) for d in store.figures_for_grouping() if d.get("value") is not None]
    groups = group_figures(rows)
    store.replace_groups([_group_record(g) for g in groups])
    return len(groups)


# New figures are placed this many at a time (in id order, as one batch would be): memory
# stays flat however many a run stored. Stored groups are read as their summaries
# (``match.Group.state``), not their members, so a chunk costs about its own size; the
# members of a group are read (READ_SLICE figures at a time: their full rows are large)
# only when all its flags must be recomputed (see ``match.flag_new``). A chunk's own rows
# are most of the memory, the groups near it most of its fixed cost: grouping a 10k-article
# load (35k figures) took 5.5-8 s CPU and 103 MB in chunks of 10,000, 6.4-8.4 s and 68 MB in
# chunks of 5,000; 1k articles added to a 50k-article store 2.4 s and 89 MB, 3.4 s and 86 MB.
GROUPING_CHUNK = 10_000
READ_SLICE = 2000


def update_groups(store) -> int:
    """Place the figures stored since the last grouping: only the stored groups they could
    join (their kind, near their values) are read, as summaries; only the groups they
    join are written, and of those only the members whose flags changed. Returns how many
    group writes were made (a group changed by two chunks counts twice)."""
    since, changed = store.last_grouped_figure_id(), 0
    while True:
        chunk = store.figures_for_grouping(since_figure_id=since, limit=GROUPING_CHUNK)
        if not chunk:
            return changed
        since = chunk[-1]["id"]
        new = [_flat(d) for d in chunk if d.get("value") is not None]
        del chunk                               # full rows are large
        changed += _place(new, store)


def _place(new: list[dict[str, Any]], store) -> int:
    """Place one chunk of new figures (see update_groups)."""
    if not new:
        return 0
    wanted = set()
    for f in new:
        b = bucket_of(f)
        kind = "|".join(b[:2]) + "|"
        window = query_bins(f)
        if b[0] == "?":
            wanted.add((kind + b[2], kind + b[2], window))
        elif b[2]:
            wanted.add((kind + b[2], kind + b[2], window))
            wanted.add((kind, kind, window))
        else:                                   # any subject of the kind
            wanted.add((kind, kind + "\uffff", window))
    stored = store.groups_near(sorted(wanted, key=lambda w: (w[0], w[1], w[2] or (0, 0))))
    existing, unsummed, before = [], [], {}
    for g in stored:
        bucket = tuple(g["key"].split("|", 2))
        if g["version"] == STATE_VERSION:
            existing.append(Group.from_state(g["id"], bucket, g["place"], g["flag"], g["bins"]))
        else:                                   # no summary (yet): built from its members
            unsummed.append((g["id"], bucket))
    if unsummed:
        rows, flags = _stored_members(store, [gid for gid, _ in unsummed])
        before.update(flags)
        existing += [Group(gid, bucket, rows[gid]) for gid, bucket in unsummed if gid in rows]
    _, touched = assign(new, existing, next_id=store.max_group_id() + 1, flag=False)
    # the earliest statements as stored now (a speaker's canonical name may have grown
    # since: "Belousov" -> "Andrey Belousov"), not as summarised
    summed = [g for g in touched if not g.complete]
    fresh: dict[int, dict[str, Any]] = {}
    firsts = [g.first["figure_id"] for g in summed]
    for i in range(0, len(firsts), READ_SLICE):
        fresh.update((d["id"], _flat(d))
                     for d in store.figures_for_grouping(ids=firsts[i:i + READ_SLICE]))
    for g in summed:
        g.first = fresh.get(g.first["figure_id"], g.first)
    flag_touched(touched)
    full = [g for g in touched if g.needs_members]
    if full:
        rows, flags = _stored_members(store, [g.id for g in full])
        before.update(flags)
        for g in full:
            g.load_members(rows.get(g.id, []))
            _flag(g)
    records = []
    for g in touched:
        rec = _group_record(g)
        rec["id"] = g.id
        rec["members"] = [m for m in rec["members"] if before.get(m["figure_id"]) != m["flags"]]
        fid = g.first["figure_id"]
        if not g.complete and g.stored_first_flags != g.first_flags:
            rec["members"].append({"figure_id": fid, "flags": list(g.first_flags)})
        records.append(rec)
    store.save_groups(records)
    return len(touched)


def _stored_members(store, group_ids: list[int]
                    ) -> tuple[dict[int, list[dict[str, Any]]], dict[int, list[str]]]:
    """The stored members of these groups as grouping rows (by group, in id order) and
    their stored flags (by figure id)."""
    members = store.members_of(group_ids)
    flags = {m["figure_id"]: m["flags"] for ms in members.values() for m in ms}
    owner = {m["figure_id"]: gid for gid, ms in members.items() for m in ms}
    ids = sorted(owner)
    rows: dict[int, list[dict[str, Any]]] = {}
    for i in range(0, len(ids), READ_SLICE):    # in slices: full rows are large
        for d in store.figures_for_grouping(ids=ids[i:i + READ_SLICE]):
            if d.get("value") is not None:
                rows.setdefault(owner[d["id"]], []).append(_flat(d))
    return rows, flags


def _group_record(g: Group) -> dict[str, Any]:
    """A flagged group as the store keeps it: its earliest statement's metric, subject,
    period and value, its size and summary (``Group.state``), and its members (every one
    ``g.members`` holds)."""
    first = g.first
    return {
        "key": "|".join(str(x) for x in g.bucket), "label": label(g),
        "metric": first.get("metric"), "subject": first.get("subject"),
        "period": first.get("period_text"), "value": first.get("value"),
        "low": g.low, "high": g.high,
        "members": [{"figure_id": m["figure_id"], "flags": m["flags"]} for m in g.members],
        "bins": g.value_bins(), "size": g.size, "earliest_figure_id": first["figure_id"],
        "state": (STATE_VERSION, *g.state()),
    }


def summarise_stored_groups(db) -> None:
    """Migration m005: every stored group's size, earliest statement and summary
    (``Group.state``), from its members and their flags as stored (nothing is flagged
    again). ``db``: the migration's open sqlite-utils Database."""
    from pathlib import Path

    from claimaudit.store import Store

    class _Reader(Store):
        """The store's read methods over the migration's connection."""
        def __init__(self, db) -> None:             # noqa: D401 - no open, no migrate
            self.conn, self._db, self.path = db.conn, db, Path("(migrating)")

    reader = _Reader(db)
    groups = db.execute("SELECT id, coalesce(key, '') FROM figure_groups ORDER BY id").fetchall()
    i = 0
    while i < len(groups):                  # about READ_SLICE members at a time
        part, n, end = [], 0, min(len(groups), i + READ_SLICE)
        sizes = dict(db.execute(
            "SELECT group_id, count(*) FROM figure_group_members WHERE group_id IN "
            "(SELECT value FROM json_each(?)) GROUP BY group_id",
            [json.dumps([gid for gid, _ in groups[i:end]])]).fetchall())
        while i < end and (not part or n + sizes.get(groups[i][0], 0) <= READ_SLICE):
            part.append(groups[i])
            n += sizes.get(groups[i][0], 0)
            i += 1
        rows, flags = _stored_members(reader, [gid for gid, _ in part])
        for gid, key in part:
            ms = rows.get(gid, [])
            if not ms:
                db.execute("UPDATE figure_groups SET size = 0 WHERE id = ?", [gid])
                continue
            g = Group(gid, tuple(key.split("|", 2)), ms)
            summarise(g, flags)
            db.execute("UPDATE figure_groups SET size = ?, earliest_figure_id = ? WHERE id = ?",
                       [g.size, g.first["figure_id"], gid])
            db.execute("INSERT OR REPLACE INTO figure_group_state (group_id, version, place, "
                       "flag) VALUES (?, ?, ?, ?)", [gid, STATE_VERSION, *g.state()])


def _figure_entry(d: dict[str, Any], flags: list[str], first: Optional[dict]) -> dict[str, Any]:
    claim = d.get("claim") or {}
    entry = {
        "figure_id": d["id"], "claim_id": claim.get("id"), "article": d["article"],
        "text": d["text"], "span": d["span"], "value": d["value"], "low": d.get("low"),
        "high": d.get("high"), "qualifier": d.get("qualifier"), "unit": d.get("unit"),
        "metric": d.get("metric"), "subject": d.get("subject"),
        "period": d.get("period"),
        "speaker": {"name": (d.get("speaker") or {}).get("name"),
                    "text": (d.get("speaker") or {}).get("text")} if d.get("speaker") else None,
        "stated_on": claim.get("stated_on"),
        "origin": [{"speaker": {"name": (o.get("speaker") or {}).get("name")},
                    "stated_on": o.get("stated_on"), "span": o.get("span")}
                   for o in d.get("origins") or []],
        "flags": list(flags),
    }
    if first is not None and "qualifier" in flags:
        entry["serious"] = is_serious(d, first)
    return entry


def _when(d: dict[str, Any]) -> tuple:
    """Time order of a stored figure: stated on, else published; then published, a body
    statement before its headline, id."""
    so = ((d.get("claim") or {}).get("stated_on") or {}).get("date")
    pub = (d["article"].get("published") or "")[:10]
    return (so or pub or "9999", pub or "9999", _in_headline(d), d["id"])


def load_report(store, *, speaker: Optional[str] = None, metric: Optional[str] = None,
                outlet: Optional[str] = None, since: Optional[str] = None,
                flags: Optional[list[str]] = None, min_size: int = 1,
                group_id: Optional[int] = None) -> list[dict[str, Any]]:
    """Stored groups as report objects, filtered; figures in time order."""
    return find_report(store, speaker=speaker, metric=metric, outlet=outlet, since=since,
                       flags=flags, min_size=min_size, group_id=group_id)[0]


def find_report(store, *, speaker: Optional[str] = None, metric: Optional[str] = None,
                outlet: Optional[str] = None, since: Optional[str] = None,
                flags: Optional[list[str]] = None, min_size: int = 1,
                group_id: Optional[int] = None, limit: Optional[int] = None,
                rows: Optional[int] = None) -> tuple[list[dict[str, Any]], int]:
    """(report objects, how many groups match). The store finds the groups the filters
    can match (by index: the speakers named, their claims and origins, the figures'
    groups), only those groups and their figures are read, and each is checked here.
    With a ``limit`` (0 or None: all) and more groups matching, the ``limit`` largest
    (most statements; then the oldest) are returned, in id order like the rest.
    With ``rows`` (a person's view lists that many statements of a group), a group of
    more than DIGEST_OVER statements is summed up in SQL instead of read whole: its
    report object lists only the statements shown and carries a ``digest`` (size,
    outlets, flag counts) for the summary line."""
    ids = texts = None
    if speaker:
        ids, texts = store.speakers_answering(speaker, names_speaker, speaker_patterns(speaker))
        if not ids and not texts:
            return [], 0
    sizes = store.report_group_sizes(speaker_ids=ids, speaker_texts=texts, metric=metric,
                                     outlet=outlet, since=since, flags=flags,
                                     min_size=min_size, group_id=group_id)
    chosen = sizes
    if limit and len(sizes) > limit:
        chosen = sorted(sorted(sizes, key=lambda p: (-p[1], p[0]))[:limit])
    out = _report_groups(store, [g for g, _ in chosen], speaker=speaker, metric=metric,
                         outlet=outlet, since=since, flags=flags, min_size=min_size,
                         rows=rows)
    return out, len(sizes) - (len(chosen) - len(out))


# A group of more statements than this, in a capped view, is summed up in SQL (see
# find_report); the SQL filters already chose it, so it is not checked again here.
DIGEST_OVER = 200


def _report_groups(store, group_ids: list[int], *, speaker, metric, outlet, since, flags,
                   min_size, rows: Optional[int] = None) -> list[dict[str, Any]]:
    """The report objects of these groups, each checked against the filters."""
    if not group_ids:
        return []
    heads = store.group_heads(group_ids)
    big = {g["id"] for g in heads if rows and g.get("earliest_figure_id") is not None
           and (g.get("size") or 0) > max(DIGEST_OVER, rows)}
    stored = store.members_of([i for i in group_ids if i not in big])
    figs = {d["id"]: d for d in store.figures_for_grouping(
        ids=[m["figure_id"] for ms in stored.values() for m in ms])}
    out = []
    for g in heads:
        if g["id"] in big:
            out.append(_digest_group(store, g, rows))
            continue
        members = [(figs[m["figure_id"]], m.get("flags") or []) for m in stored.get(g["id"], [])
                   if m["figure_id"] in figs]
        if len(members) < max(1, min_size):
            continue
        members.sort(key=lambda p: _when(p[0]))
        flat = {d["id"]: _flat(d) for d, _ in members}
        earliest = figs[earliest_of(list(flat.values()))["figure_id"]]
        entries = [_figure_entry(d, fl, earliest) for d, fl in members]
        first = next(e for e in entries if e["figure_id"] == earliest["id"])
        if speaker and not _mentions(entries, speaker):
            continue
        if metric and not any(metric.lower() in (e.get("metric") or "").lower() for e in entries):
            continue
        if outlet and not any(outlet.lower() in (e["article"].get("outlet") or "").lower()
                              for e in entries):
            continue
        if since and not any((e["article"].get("published") or "") >= since for e in entries):
            continue
        all_flags = sorted({f for e in entries for f in e["flags"]})
        if flags and not set(flags) & set(all_flags):
            continue
        out.append(_report_object(g, first, _origins(entries), all_flags, entries))
    return out


def _report_object(g, first, origins, all_flags, entries) -> dict[str, Any]:
    return {
        "id": g["id"], "label": g["label"], "metric": g.get("metric"),
        "subject": g.get("subject"), "period": g.get("period"), "value": g.get("value"),
        "low": g.get("low"), "high": g.get("high"),
        "earliest": first, "origins": origins, "flags": all_flags, "figures": entries,
    }


def _digest_group(store, head: dict[str, Any], rows: int) -> dict[str, Any]:
    """A large group's report object for a capped view: the statements it shows (the
    earliest, then the flagged; in time order), its origins, and a ``digest``."""
    from claimaudit.report import SERIOUS
    d = store.group_digest(head["id"], head["earliest_figure_id"], rows, tuple(sorted(SERIOUS)))
    figs = {f["id"]: f for f in store.figures_for_grouping(ids=d["shown"])}
    flags = {m["figure_id"]: m["flags"] for m in store.member_flags(d["shown"])}
    earliest = figs[head["earliest_figure_id"]]
    shown = sorted((figs[i] for i in d["shown"] if i in figs), key=_when)
    entries = [_figure_entry(f, flags.get(f["id"], []), earliest) for f in shown]
    first = next(e for e in entries if e["figure_id"] == earliest["id"])
    origins = _first_origins(sorted(d["origins"], key=lambda o: o["when"]))
    obj = _report_object(head, first, origins, sorted(d["flag_counts"]), entries)
    obj["digest"] = {"size": d["size"], "outlets": d["outlets"],
                     "flag_counts": d["flag_counts"]}
    return obj


def _mentions(entries: list[dict[str, Any]], who: str) -> bool:
    for e in entries:
        names = [(e.get("speaker") or {}).get("name")]
        names += [(o.get("speaker") or {}).get("name") for o in e.get("origin") or []]
        if any(names_speaker(who, n) for n in names):
            return True
    return False


def _origins(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The origins these statements (in time order) name, see ``_first_origins``."""
    return _first_origins(
        {"speaker": (o.get("speaker") or {}).get("name"),
         "stated_on": (o.get("stated_on") or {}).get("date") if o.get("stated_on") else None,
         "outlet": e["article"].get("outlet"), "article_id": e["article"].get("id")}
        for e in entries for o in e.get("origin") or [])


def _first_origins(named: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each origin (speaker, date) once, with the outlet and article of the earliest
    statement naming it (``named`` is in time order), by date."""
    seen, out = set(), []
    for o in named:
        key = (speaker_key(o["speaker"]), o["stated_on"])
        if key not in seen:
            seen.add(key)
            out.append({k: o[k] for k in ("speaker", "stated_on", "outlet", "article_id")})
    out.sort(key=lambda o: o["stated_on"] or "9999")
    return out
