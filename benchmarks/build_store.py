"""Build a large claimaudit store quickly, for measuring reports and grouping.

    python benchmarks/build_store.py /tmp/big.db --figures 1000000

Extracting ~200k synthetic articles one by one would take a quarter of an hour, so this
extracts a base corpus once (``make_corpus.py`` articles, cached next to the store as a
pickle) and then stores many "worlds": renamed copies of chunks of it, written through
``Store.add_article`` like an ingest would. Each world has its own text (so its own content
hash), URL, dates (shifted), value scale (figures of different worlds do not agree), and
words for what is counted (invented nouns, so there are hundreds of kinds of figure); one
speaker's surname per world is replaced by an invented one, so some speakers are rare while
the base ones (``Ilves``, ``Lind``...) appear in thousands of groups. Groups are built at
the end with ``regroup`` (``--no-group`` leaves every figure ungrouped).

Deterministic for a given size, --base, --chunk and --seed. Prints the counts and timings.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import pickle
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import make_corpus  # noqa: E402

from claimaudit.models import Article  # noqa: E402

SYL_A = ["bra", "cor", "dal", "fen", "gar", "hol", "jor", "kel", "lum", "mar", "nor", "pel",
         "quo", "ros", "sal", "tor", "ves", "wyn", "zan", "bel"]
SYL_B = ["vet", "dro", "mik", "sol", "tan", "gul", "pax", "rin", "bok", "lev", "nad", "zor",
         "fep", "wim", "kus"]


def nouns(n: int = 300) -> list[str]:
    """Invented plural nouns ("bravets"): no curated metric family, so each is its own kind."""
    from claimaudit.vocab import metric_families
    out = []
    for a in SYL_A:
        for b in SYL_B:
            w = a + b + "s"
            if not metric_families(w, None):
                out.append(w)
    random.Random(3).shuffle(out)
    return out[:n]


def rare_surnames() -> list[str]:
    out = [(a + b + "ski").capitalize() for a in SYL_A for b in SYL_B]
    out += [(b + a + "ova").capitalize() for a in SYL_A for b in SYL_B]
    random.Random(5).shuffle(out)
    return out


def base_corpus(n: int, seed: int, cache: Path) -> list[tuple[Article, list]]:
    """``n`` synthetic articles with their extracted claims, cached as a pickle."""
    if cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    from claimaudit.extract.pipeline import extract_claims
    rng = random.Random(seed)
    facts = make_corpus.facts_for(rng)
    out = []
    t = time.perf_counter()
    for i in range(n):
        d = make_corpus.article(i, rng, facts)
        art = Article(text=d["text"], id=d["id"], url=d["url"], outlet=d["outlet"],
                      published=d["published"], title=d["title"], source=d["url"])
        out.append((art, extract_claims(art, narration=True)))
    print(f"extracted {n} base articles in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    with cache.open("wb") as fh:
        pickle.dump(out, fh)
    return out


def _shift(date: str | None, days: int) -> str | None:
    if not date or len(date) < 10:
        return date
    try:
        return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=days)).isoformat() + date[10:]
    except ValueError:
        return date


class World:
    """How one copy of a chunk differs from the base."""

    def __init__(self, w: int, metrics: list[str], kinds: list[str], surnames: list[str],
                 rare: list[str]):
        rng = random.Random(w * 7919 + 1)
        self.w = w
        self.days = (w * 3) % 700
        self.scale = 1.7 ** rng.randrange(12)
        picked = rng.sample(kinds, len(metrics))
        self.metric = dict(zip(metrics, picked))
        self.surname = (rng.choice(surnames), rare[w % len(rare)])

    def name(self, s: str | None) -> str | None:
        if not s:
            return s
        return s.replace(self.surname[0], self.surname[1])

    def speaker(self, ref):
        if ref is None:
            return None
        return dataclasses.replace(ref, name=self.name(ref.name), text=self.name(ref.text))

    def value(self, v):
        return None if v is None else round(v * self.scale, 2 if v * self.scale < 100 else 0)

    def figure(self, f):
        metric = f.metric
        if metric:
            metric = self.metric.get(metric, metric)
        return dataclasses.replace(f, value=self.value(f.value), low=self.value(f.low),
                                   high=self.value(f.high), metric=metric)

    def date(self, ref):
        if ref is None or ref.precision != "day":
            return ref
        return dataclasses.replace(ref, date=_shift(ref.date, self.days))

    def claim(self, c):
        return dataclasses.replace(
            c, speaker=self.speaker(c.speaker), stated_on=self.date(c.stated_on),
            figures=[self.figure(f) for f in c.figures],
            origin=[dataclasses.replace(o, speaker=self.speaker(o.speaker),
                                        stated_on=self.date(o.stated_on)) for o in c.origin])

    def article(self, a: Article) -> Article:
        return dataclasses.replace(
            a, text=a.text + f"\n\n(world {self.w})", id=f"{a.id}-w{self.w}",
            url=f"{a.url}/w{self.w}", source=f"{a.url}/w{self.w}",
            published=_shift(a.published, self.days))


def build(db: Path, figures: int, base_n: int, chunk: int, seed: int, group: bool,
          batch: int = 500) -> dict:
    from claimaudit.store import Store
    base = base_corpus(base_n, seed, db.with_name(f"base-{base_n}-{seed}.pkl"))
    metrics = sorted({f.metric for _, cs in base for c in cs for f in c.figures if f.metric})
    kinds = nouns()
    surnames = sorted(set(make_corpus.LAST))
    rare = rare_surnames()
    if db.exists():
        sys.exit(f"{db}: already exists; remove it or choose another path")
    store = Store(db)
    t0 = time.perf_counter()
    stored = articles = 0
    w = 0
    pending = 0
    store.db.conn.execute("BEGIN IMMEDIATE")
    while stored < figures:
        world = World(w, metrics, kinds, surnames, rare)
        start = (w * chunk) % len(base)
        for art, claims in base[start:start + chunk]:
            if stored >= figures:
                break
            new_claims = [world.claim(c) for c in claims]
            store.add_article(world.article(art), new_claims)
            stored += sum(len(c.figures) for c in new_claims)
            articles += 1
            pending += 1
            if pending >= batch:
                store.db.conn.execute("COMMIT")
                store.db.conn.execute("BEGIN IMMEDIATE")
                pending = 0
        w += 1
        if w % 500 == 0:
            print(f"  {articles} articles, {stored} figures, "
                  f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)
    store.db.conn.execute("COMMIT")
    t_insert = time.perf_counter() - t0
    out = {"db": str(db), "articles": articles, "figures_stored": stored, "worlds": w,
           "insert_s": round(t_insert, 1)}
    if group:
        from claimaudit.groups import regroup
        t1 = time.perf_counter()
        with store.transaction():
            out["groups"] = regroup(store)
        out["regroup_s"] = round(time.perf_counter() - t1, 1)
    out["counts"] = store.counts()
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--figures", type=int, default=1_000_000, help="figures to store (about)")
    ap.add_argument("--base", type=int, default=2000, help="base articles to extract once")
    ap.add_argument("--chunk", type=int, default=40, help="base articles per world")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-group", action="store_true", help="leave the figures ungrouped")
    a = ap.parse_args()
    print(json.dumps(build(a.db, a.figures, a.base, a.chunk, a.seed, not a.no_group)))


if __name__ == "__main__":
    main()
