"""Build fixtures/attribution/gold.json: short invented news articles with attribution gold.

Every article, person, outlet, place and number below is invented for claimaudit. Offsets are
never typed by hand: each attribution names its source, cue and content as substrings of the
article, and this script finds them. A marker is one of

    "text"              must occur exactly once in the article
    ("text", n)         the n-th occurrence (0-based) of "text"
    ("context", "text") "text" inside "context"; context must occur once in the article and
                        "text" once in the context

Convention (PolNeAR's): source = the words as written (a pronoun stays "he"; the name phrase
with a preceding title or role, without a following appositive); cue = the reporting verb or
phrase (with its auxiliaries: "has said", "was quoted as saying"; a noun cue such as "In a
statement" is a second cue span); content = the reported clause without cue, source and a
leading "that", and without the sentence's final full stop; direct quotes keep their
quotation marks (a quote split around its cue is two content spans). An attribution with no
written source (agentless passive) has source [].

Run with the project venv (rewrites the file; prints a summary):

    .venv/bin/python scripts/make_attribution_gold.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "attribution" / "gold.json"


def A(source, cue, content):
    """One attribution: source marker (or None), cue marker(s), content marker(s)."""
    return dict(source=source, cue=cue, content=content)


ARTICLES = [
    # 1: "X said that", "said X" inversion with a following relative clause, a bare fact.
    ("port-backlog",
     "Harbour director Ada Berg said on Tuesday that 312 container ships had been delayed at "
     "Port Velna since March. The backlog would clear by June, said Tomas Reid, who chairs the "
     "port's board. Cranes at the northern quay were idle for most of the week.",
     [A("Harbour director Ada Berg", ("said", 0),
        "312 container ships had been delayed at Port Velna since March"),
      A("Tomas Reid", ("said", 1), "The backlog would clear by June")]),

    # 2: appositive after the name, "X told Y that", "has said".
    ("deficit-forecast",
     "Marek Olsen, the finance minister, said the deficit would narrow to 2.4 percent of output "
     "next year. Olsen told parliament that tax receipts had risen by 9 percent. The opposition "
     "has said the forecast is too optimistic.",
     [A("Marek Olsen", ("said", 0), "the deficit would narrow to 2.4 percent of output next year"),
      A(("Olsen", 1), "told", "tax receipts had risen by 9 percent"),
      A("The opposition", "has said", "the forecast is too optimistic")]),

    # 3: "According to X," first; "X's figures show"; an unattributed fact.
    ("cod-catch",
     "According to the Coastal Fisheries Agency, the cod catch fell by a third last season. "
     "Trawler crews in Dunmore landed 4,100 tonnes, the agency's figures show. Prices at the "
     "dock doubled.",
     [A("the Coastal Fisheries Agency", "According to", "the cod catch fell by a third last season"),
      A("the agency's figures", "show", "Trawler crews in Dunmore landed 4,100 tonnes")]),

    # 4: "In an interview with Z, X said", pronoun source with "told Y that".
    ("bridge-cost",
     "In an interview with the Lerwick Courier, transport secretary Ines Falk said the new "
     "bridge would cost 480 million crowns. She told reporters on Friday that construction "
     "would start in the autumn. The old ferry carries about 2,000 cars a day.",
     [A("transport secretary Ines Falk", "said", "the new bridge would cost 480 million crowns"),
      A("She", "told", "construction would start in the autumn")]),

    # 5: "X's office said in a statement", the statement as source of "added".
    ("storm-power",
     "Governor Pavel Kruk's office said in a statement that 17 villages had lost power after "
     "the storm. Repair crews restored electricity to 11 of them by Sunday evening, the "
     "statement added. Schools in the valley stayed closed.",
     [A("Governor Pavel Kruk's office", "said in a statement",
        "17 villages had lost power after the storm"),
      A("the statement", "added", "Repair crews restored electricity to 11 of them by Sunday evening")]),

    # 6: passive "were revealed by X", passive "It was reported by X that", agentless passive.
    ("smoke-casualties",
     "The casualty figures were revealed by deputy health minister Lena Vass at a briefing in "
     "Orlin. Some 640 people had been treated for smoke inhalation, she said. It was reported "
     "by the regional broadcaster that two hospitals were full. It was later claimed that 12 "
     "of the patients were firefighters.",
     [A("deputy health minister Lena Vass", "were revealed by", "The casualty figures"),
      A("she", "said", "Some 640 people had been treated for smoke inhalation"),
      A("the regional broadcaster", "was reported", "two hospitals were full"),
      A(None, "was later claimed", "12 of the patients were firefighters")]),

    # 7: "as X put it", "warned", "estimated", an unattributed sentence.
    ("inflation-winter",
     "Prices will keep rising through the winter, as central bank governor Ruth Amsel put it on "
     "Wednesday. Amsel warned that inflation could reach 7 percent by March. Economists at "
     "Norvik Bank estimated that food costs alone had risen 12 percent. The bank's shares "
     "closed higher.",
     [A("central bank governor Ruth Amsel", [("winter, as", "as"), "put it"],
        "Prices will keep rising through the winter"),
      A(("Amsel", 1), "warned", "inflation could reach 7 percent by March"),
      A("Economists at Norvik Bank", "estimated", "food costs alone had risen 12 percent")]),

    # 8: "will say" nested under "aides said", "is expected to argue", "was quoted as saying".
    ("army-recruits",
     "Prime Minister Jonas Halm will say in a speech on Monday that the army needs 5,000 more "
     "recruits, aides said. Defence chief Karl Brenn is expected to argue that the budget is "
     "too small. Brenn was quoted as saying last month that morale was 'never better'.",
     [A("aides", "said",
        "Prime Minister Jonas Halm will say in a speech on Monday that the army needs 5,000 more recruits"),
      A("Prime Minister Jonas Halm", "will say", "the army needs 5,000 more recruits"),
      A("Defence chief Karl Brenn", "is expected to argue", "the budget is too small"),
      A(("Brenn", 1), "was quoted as saying", "morale was 'never better'")]),

    # 9: a direct quote of two sentences before its cue.
    ("water-reserve",
     "“We have 48 hours of water left. After that, the town is on its own,” Mayor Sofia Rand "
     "said on Thursday. The reservoir held less than a fifth of its usual volume.",
     [A("Mayor Sofia Rand", "said",
        "“We have 48 hours of water left. After that, the town is on its own,”")]),

    # 10: a colon quote running across paragraphs (the continuation paragraph opens with “).
    ("keller-strike",
     "Union leader Brigid Moss said the strike at the Keller plant would go ahead on Monday.\n\n"
     "Speaking outside the gates, Moss said: “Our members voted 86 percent in favour. The "
     "company has had six months to make a fair offer.\n\n"
     "“It has made none, and 1,200 workers will walk out at dawn.”\n\n"
     "Keller did not respond to a request for comment.",
     [A("Union leader Brigid Moss", ("said", 0),
        "the strike at the Keller plant would go ahead on Monday"),
      A(("Moss", 1), ("said", 1),
        "“Our members voted 86 percent in favour. The company has had six months to make a "
        "fair offer.\n\n“It has made none, and 1,200 workers will walk out at dawn.”")]),

    # 11: straight quotes split around the cue, "He added that".
    ("rail-signals",
     "\"The rail line is safe,\" inspector Hugo Varga said, \"but the 40-year-old signals must "
     "be replaced.\" He added that repairs would take 18 months.",
     [A("inspector Hugo Varga", "said",
        ["\"The rail line is safe,\"", "\"but the 40-year-old signals must be replaced.\""]),
      A("He", "added", "repairs would take 18 months")]),

    # 12: guillemet quote with "said X" inversion.
    ("border-open",
     "«The border will stay open,» said interior minister Anne Duval. Duval said 3,500 officers "
     "would be deployed along the frontier. Traffic at the Vallon crossing was light on "
     "Saturday.",
     [A("interior minister Anne Duval", ("said", 0), "«The border will stay open,»"),
      A(("Duval", 1), ("said", 1), "3,500 officers would be deployed along the frontier")]),

    # 13: an unbalanced quote mark (opened, never closed).
    ("harvest-aid",
     "“The harvest is the worst in 30 years, farm minister Piet Loor said on Monday. He said "
     "2,300 farms had applied for emergency aid. Grain prices in Tessel rose 15 percent in a "
     "week.",
     [A("farm minister Piet Loor", ("said", 0), "“The harvest is the worst in 30 years"),
      A("He", ("said", 1), "2,300 farms had applied for emergency aid")]),

    # 14: bodies and a role noun as sources ("The minister, Viktor Hale, told ...").
    ("drones-overnight",
     "The Defence Ministry said its air defences shot down 14 drones overnight. The minister, "
     "Viktor Hale, told state radio the attacks had caused no casualties. The Pentagon said it "
     "could not verify the claim.",
     [A("The Defence Ministry", ("said", 0), "its air defences shot down 14 drones overnight"),
      A("The minister", "told", "the attacks had caused no casualties"),
      A("The Pentagon", ("said", 1), "it could not verify the claim")]),

    # 15: "announced", a role noun "The minister", a plural body that "welcomed ... but said".
    ("nurses-hired",
     "Health Minister Clara Nuñez announced on Friday that 250 new nurses would be hired. The "
     "minister said the first 80 would start in January. Hospital unions welcomed the plan but "
     "said it fell short of the 600 posts they had demanded.",
     [A("Health Minister Clara Nuñez", "announced", "250 new nurses would be hired"),
      A("The minister", ("said", 0), "the first 80 would start in January"),
      A("Hospital unions", ("said", 1), "it fell short of the 600 posts they had demanded")]),

    # 16: nested attribution "X said Y told him ...".
    ("kitchen-fire",
     "Fire chief Omar Diallo said a resident told him the blaze started in a kitchen on the "
     "third floor. Diallo said 37 people were evacuated.",
     [A("Fire chief Omar Diallo", ("said", 0),
        "a resident told him the blaze started in a kitchen on the third floor"),
      A("a resident", "told", "the blaze started in a kitchen on the third floor"),
      A(("Diallo", 1), ("said", 1), "37 people were evacuated")]),

    # 17: colon quotes ("Analyst Mira Tosh: “...”").
    ("rate-cuts",
     "Analyst Mira Tosh: “Rates will be cut twice before the summer.” Trader Ben Ollo: “Nobody "
     "expected a 50-basis-point move.” The currency fell 0.8 percent against the euro.",
     [A("Analyst Mira Tosh", ("Tosh: “", ":"), "“Rates will be cut twice before the summer.”"),
      A("Trader Ben Ollo", ("Ollo: “", ":"), "“Nobody expected a 50-basis-point move.”")]),

    # 18: "In remarks to ..., X claimed", noun cue "In his remarks ... called for", data "show".
    ("jobs-lost",
     "In remarks to the chamber, Senator Lucas Brandt claimed that 90,000 jobs had been lost in "
     "the region. In his remarks, Brandt also called for a 4 percent cut in payroll taxes. "
     "Employment data from the statistics office show 31,000 fewer jobs than a year ago.",
     [A("Senator Lucas Brandt", "claimed", "90,000 jobs had been lost in the region"),
      A(("Brandt", 1), ["In his remarks", "called for"], "a 4 percent cut in payroll taxes"),
      A("Employment data from the statistics office", "show",
        "31,000 fewer jobs than a year ago")]),

    # 19: "has said", past "said", present "say", pluperfect "had earlier insisted".
    ("export-target",
     "Trade envoy Dora Quill has said repeatedly that exports will double by 2030. On Tuesday "
     "she said the target still stood. Critics say the goal is unrealistic. The envoy had "
     "earlier insisted that the port's capacity was sufficient.",
     [A("Trade envoy Dora Quill", "has said", "exports will double by 2030"),
      A("she", ("said", 1), "the target still stood"),
      A("Critics", "say", "the goal is unrealistic"),
      A("The envoy", "had earlier insisted", "the port's capacity was sufficient")]),

    # 20: no attribution at all, numbers everywhere (precision).
    ("ferry-crossing",
     "The Amber Line ferry left Tessel at 6.15 a.m. with 212 passengers aboard. Heavy seas "
     "delayed its arrival in Karsk by nearly two hours. The company runs four crossings a day "
     "in summer.",
     []),

    # 21: trailing "according to", "said X, an analyst at ..." with appositive, bare fact.
    ("copper-output",
     "Output at the Harlan copper mine rose to 58,000 tonnes in 2023, according to company "
     "filings. That was up from 51,000 tonnes, said Pia Lund, an analyst at Vesta Capital. The "
     "mine employs about 900 people.",
     [A("company filings", "according to",
        "Output at the Harlan copper mine rose to 58,000 tonnes in 2023"),
      A("Pia Lund", "said", "That was up from 51,000 tonnes")]),

    # 22: "told Y that", quote + "she said in an interview", quote + "X added".
    ("coach-losses",
     "Coach Elif Sayar told the Morning Post that the team had lost 11 of its last 14 games. "
     "“We are not good enough right now,” she said in an interview published on Sunday. “But I "
     "believe in these players,” Sayar added.",
     [A("Coach Elif Sayar", "told", "the team had lost 11 of its last 14 games"),
      A(("” she said", "she"), "said", "“We are not good enough right now,”"),
      A(("Sayar", 1), "added", "“But I believe in these players,”")]),

    # 23: trailing "officials warned", a body, plural "Residents said".
    ("flood-warning",
     "Heavy rain could flood low-lying districts of Branmouth by Thursday, officials warned. "
     "The city's emergency office said 4,000 sandbags had been handed out. Residents said the "
     "river had already risen by a metre.",
     [A("officials", "warned", "Heavy rain could flood low-lying districts of Branmouth by Thursday"),
      A("The city's emergency office", ("said", 0), "4,000 sandbags had been handed out"),
      A("Residents", ("said", 1), "the river had already risen by a metre")]),

    # 24: "said X, the festival's director" with a quote, "she said, adding that".
    ("festival-sales",
     "“Ticket sales are up 22 percent,” said Noor Haddad, the festival's director. “We sold out "
     "the main stage in four days,” she said, adding that such demand had never been seen "
     "before. Haddad said the festival would add a third day next year.",
     [A("Noor Haddad", ("said", 0), "“Ticket sales are up 22 percent,”"),
      A("she", ("said", 1), "“We sold out the main stage in four days,”"),
      A("she", "adding", "such demand had never been seen before"),
      A(("Haddad", 1), ("said", 2), "the festival would add a third day next year")]),

    # 25: "In a statement, the Interior Ministry said", "X, citing police sources, reported".
    ("river-crossings",
     "In a statement, the Interior Ministry said 1,450 migrants had crossed the Sava river in "
     "August. The Tarn News Agency, citing police sources, reported that two smugglers had been "
     "arrested. Arrivals in July were about half the August number.",
     [A("the Interior Ministry", ["In a statement", "said"],
        "1,450 migrants had crossed the Sava river in August"),
      A("The Tarn News Agency", "reported", "two smugglers had been arrested")]),

    # 26: a dateline, "X said on Saturday that", "..., he said.", "..., the club said."
    ("match-arrests",
     "ORLIN, May 3 (North Wire) - Police chief Anders Kell said on Saturday that 23 people had "
     "been arrested after the match. Officers seized 40 flares, he said. The stadium will "
     "reopen next week, the club said.",
     [A("Police chief Anders Kell", ("said", 0), "23 people had been arrested after the match"),
      A((", he said", "he"), ("said", 1), "Officers seized 40 flares"),
      A("the club", ("said", 2), "The stadium will reopen next week")]),
]


def find(text: str, marker) -> list[int]:
    if isinstance(marker, str):
        n = text.count(marker)
        assert n == 1, f"{marker!r} occurs {n} times; give an occurrence index or a context"
        s = text.index(marker)
        return [s, s + len(marker)]
    a, b = marker
    if isinstance(b, int):
        s = -1
        for _ in range(b + 1):
            s = text.find(a, s + 1)
            assert s >= 0, f"{a!r} has no occurrence {b}"
        return [s, s + len(a)]
    assert text.count(a) == 1, f"context {a!r} occurs {text.count(a)} times"
    assert a.count(b) == 1, f"{b!r} occurs {a.count(b)} times in context {a!r}"
    s = text.index(a) + a.index(b)
    return [s, s + len(b)]


def spans(text: str, markers) -> list[list[int]]:
    if markers is None:
        return []
    if isinstance(markers, list):
        return [find(text, m) for m in markers]
    return [find(text, markers)]


def build() -> list[dict]:
    rows, ids = [], set()
    for aid, text, attrs in ARTICLES:
        assert aid not in ids, aid
        ids.add(aid)
        out = []
        for at in attrs:
            try:
                out.append({"source": spans(text, at["source"]), "cue": spans(text, at["cue"]),
                            "content": spans(text, at["content"])})
            except AssertionError as e:
                raise SystemExit(f"{aid}: {e}") from None
        rows.append({"id": aid, "text": text, "attributions": out})
    return rows


def main() -> None:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n = sum(len(r["attributions"]) for r in rows)
    print(f"wrote {OUT} ({len(rows)} articles, {n} attributions)")


if __name__ == "__main__":
    main()
