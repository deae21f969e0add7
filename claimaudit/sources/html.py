"""HTML pages -> :class:`Article`: the main text (no menus, sidebars, comments,
related links or footers) plus what the page says about itself (headline, date,
outlet, author, canonical URL).

The page is data.  Nothing in it is executed or followed: scripts are only read
when they are JSON-LD, and then only as JSON.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any, Iterable, Optional
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from claimaudit.errors import FormatError
from claimaudit.extract.dates import normalize_published
from claimaudit.models import Article
from claimaudit.sources.text import article_from_text, decode_bytes

__all__ = ["article_from_html", "decode_html", "extract_main_text", "extract_metadata"]

ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
    "backgroundnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
    "askpublicnewsarticle", "blogposting", "liveblogposting", "report",
    "scholarlyarticle", "techarticle", "socialmediaposting",
}

# ---------------------------------------------------------------- decoding ---

# What browsers actually use for some labels (WHATWG Encoding Standard).
_SUPERSETS = {
    "ascii": "cp1252",
    "latin_1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859_9": "cp1254",
    "iso8859-11": "cp874",
    "iso8859_11": "cp874",
    "tis-620": "cp874",
    "tis_620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
    "utf-16": "utf-8",        # a <meta> cannot say utf-16: bytes without a BOM are not
    "utf-16-le": "utf-8",     # utf-16 if the meta could be read as ASCII
    "utf-16-be": "utf-8",
    "utf-32": "utf-8",
    "utf-32-le": "utf-8",
    "utf-32-be": "utf-8",
}

_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9._:\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([a-zA-Z0-9._:\-]+)""",
                       re.IGNORECASE)


def _codec(label: Optional[str]) -> Optional[str]:
    """A charset label -> the Python codec to use (browser supersets applied), or None."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in ("x-user-defined", "binary", "none", "unknown", ""):
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _try(data: bytes, codec: str) -> Optional[str]:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _bom(data: bytes) -> Optional[tuple[str, str]]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return data.decode("utf-32", errors="replace"), "utf-32"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"
    return None


def _declared_in_document(data: bytes) -> Optional[str]:
    head = data[:8192]
    m = _XML_DECL.match(head)
    if m:
        return m.group(1).decode("ascii", "replace")
    m = _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _decode(data: bytes, header_charset: Optional[str], source: str = "<html>"
            ) -> tuple[str, str, bool]:
    """(text, encoding, guessed): ``guessed`` when no declaration was usable."""
    bom = _bom(data)
    if bom is not None:
        return bom[0], bom[1], False
    for label in (header_charset, _declared_in_document(data)):
        codec = _codec(label)
        if codec is None:
            continue
        text = _try(data, codec)
        if text is not None:
            return text, codec, False
    # no (usable) declaration: the same detection as plain-text files (UTF-8, UTF-8 with
    # stray Windows bytes, Latin-script text as cp1252, else charset-normalizer)
    text, fallback = decode_bytes(data, source)
    return text, fallback or "utf-8", True


def decode_html(data: bytes, header_charset: str | None) -> tuple[str, str]:
    """Decode a page: BOM, then the HTTP header's charset, then ``<meta charset>`` /
    ``http-equiv`` content-type (or an XML declaration), then detection
    (:func:`claimaudit.sources.text.decode_bytes`).  Labels ``iso-8859-1``, ``latin-1``
    and ``ascii`` mean windows-1252, as in browsers; a declaration that does not fit the
    bytes is skipped.  Returns ``(text, encoding)``, the encoding as a Python codec name
    (``"utf-8"``, ``"cp1252"``; ``"utf-8+cp1252"`` for UTF-8 with stray Windows bytes).
    Raises :class:`DecodeError` for binary or empty data."""
    text, encoding, _ = _decode(data, header_charset)
    return text, encoding


# ------------------------------------------------------------- main text ----

_WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLOCK_TAGS = {"p", "head", "item", "quote", "code", "list", "div"}
_SKIP_TAGS = {"graphic", "table", "ref"}


def _clean_block(text: str) -> str:
    text = text.replace("\u200b", "").replace("\ufeff", "")
    lines = [_WS.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _gather(el: Any) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        else:
            parts.append(_gather(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _has_blocks(el: Any) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el)


def _blocks(el: Any) -> Iterable[str]:
    """Paragraph-level texts of trafilatura's XML, in order (a list item is one block;
    loose text next to nested blocks is a block of its own)."""
    for child in el:
        if not isinstance(child.tag, str) or child.tag in _SKIP_TAGS:
            pass
        elif _has_blocks(child):
            if child.text and child.text.strip():
                yield child.text
            yield from _blocks(child)
        else:
            yield _gather(child)
        if child.tail and child.tail.strip() and el.tag != "main":
            yield child.tail


def _trafilatura_paragraphs(html: str, url: Optional[str]) -> list[str]:
    try:
        import trafilatura
        from lxml import etree

        xml = trafilatura.extract(
            html, url=url, output_format="xml", include_comments=False,
            include_tables=False, include_images=False, include_links=False,
            favor_precision=True, deduplicate=False, with_metadata=False)
    except Exception:  # a page trafilatura chokes on -> the fallback below
        return []
    if not xml:
        return []
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except Exception:
        return []
    main = root.find("main")
    if main is None:
        return []
    return [b for b in (_clean_block(x) for x in _blocks(main)) if b]


_ALWAYS_DROP = ("script, style, noscript, template, iframe, svg, form, nav, footer, aside, "
                "[role=navigation], [role=contentinfo], [role=complementary]")
_BOILERPLATE = (_ALWAYS_DROP + ", header, [role=banner], [id*=comment], [class*=comment], "
                "[class*=related], [class*=sidebar], [class*=newsletter], [class*=share], "
                "[class*=promo], [class*=advert]")


def _soup_paragraphs(soup: BeautifulSoup) -> list[str]:
    """The fallback: <p> texts of <article>, <main> or <body>, minus obvious boilerplate
    (class-name guesses dropped again if they leave nothing)."""
    for selectors in (_BOILERPLATE, _ALWAYS_DROP):
        copy = BeautifulSoup(str(soup), "lxml")       # a copy we may cut up
        for tag in copy.select(selectors):
            if tag.name not in ("html", "body", "main", "article"):
                tag.decompose()
        container = copy.find("article") or copy.find("main") or copy.body or copy
        paragraphs = []
        for p in container.find_all("p"):
            for br in p.find_all("br"):
                br.replace_with("\n")
            text = _clean_block(p.get_text())
            if text:
                paragraphs.append(text)
        if not paragraphs:
            text = _clean_block(container.get_text("\n"))
            paragraphs = [line for line in text.split("\n") if len(line.split()) >= 4]
        if paragraphs:
            return paragraphs
    return []


def extract_main_text(html: str, *, url: Optional[str] = None,
                      soup: Optional[BeautifulSoup] = None) -> str:
    """The article body, paragraphs separated by a blank line ("" when none)."""
    paragraphs = _trafilatura_paragraphs(html, url)
    if not paragraphs:
        paragraphs = _soup_paragraphs(soup if soup is not None else BeautifulSoup(html, "lxml"))
    return "\n\n".join(paragraphs)


# -------------------------------------------------------------- metadata ----

def _s(value: Any) -> Optional[str]:
    """A string out of a JSON-LD value (strings, {"name"}, {"@value"}, lists)."""
    if value is None:
        return None
    if isinstance(value, list):
        for v in value:
            s = _s(v)
            if s:
                return s
        return None
    if isinstance(value, dict):
        for key in ("name", "@value", "text", "headline"):
            if key in value:
                return _s(value[key])
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = _WS.sub(" ", BeautifulSoup(value, "lxml").get_text(" ") if "<" in value else value)
    text = " ".join(text.split())
    return text or None


def _types(node: dict) -> set[str]:
    t = node.get("@type")
    if isinstance(t, str):
        t = [t]
    if not isinstance(t, list):
        return set()
    return {x.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for x in t if isinstance(x, str)}


def _json_nodes(value: Any, depth: int = 0) -> Iterable[dict]:
    if depth > 6:
        return
    if isinstance(value, list):
        for v in value:
            yield from _json_nodes(v, depth + 1)
    elif isinstance(value, dict):
        yield value
        graph = value.get("@graph")
        if graph is not None:
            yield from _json_nodes(graph, depth + 1)
        for key in ("mainEntity", "mainEntityOfPage", "itemListElement", "hasPart"):
            sub = value.get(key)
            if isinstance(sub, (dict, list)):
                yield from _json_nodes(sub, depth + 1)


def _load_json_ld(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:]
    if raw.endswith("-->"):
        raw = raw[:-3]
    raw = raw.strip().rstrip(";")
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        return None


def _json_ld(soup: BeautifulSoup) -> dict[str, Optional[str]]:
    nodes: list[dict] = []
    for script in soup.find_all("script"):
        if (script.get("type") or "").strip().lower().split(";")[0] != "application/ld+json":
            continue
        data = _load_json_ld(script.string or script.get_text() or "")
        if data is not None:
            nodes.extend(_json_nodes(data))
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}

    def resolve(v: Any) -> Any:
        if isinstance(v, dict) and set(v) <= {"@id", "@type"} and v.get("@id") in by_id:
            return by_id[v["@id"]]
        if isinstance(v, list):
            return [resolve(x) for x in v]
        return v

    for node in nodes:
        if not (_types(node) & ARTICLE_TYPES):
            continue
        authors = resolve(node.get("author") or node.get("creator"))
        if not isinstance(authors, list):
            authors = [authors]
        names: list[str] = []
        for a in authors:
            name = _s(resolve(a))
            if name and not name.startswith(("http://", "https://")) and name not in names:
                names.append(name)
        publisher = resolve(node.get("publisher") or node.get("sourceOrganization"))
        page = resolve(node.get("mainEntityOfPage"))
        url = node.get("url") if isinstance(node.get("url"), str) else None
        if not url and isinstance(page, dict) and isinstance(page.get("@id"), str):
            url = page["@id"]
        elif not url and isinstance(page, str):
            url = page
        return {
            "title": _s(node.get("headline")) or _s(node.get("name")),
            "published": _s(node.get("datePublished")) or _s(node.get("dateCreated")),
            "author": ", ".join(names) or None,
            "outlet": _s(publisher),
            "url": url,
        }
    return {}


def _meta(soup: BeautifulSoup, *names: str) -> Optional[str]:
    wanted = {n.lower() for n in names}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        if key in wanted:
            value = _s(tag.get("content"))
            if value:
                return value
    return None


def _time_datetime(soup: BeautifulSoup) -> Optional[str]:
    times = [t for t in soup.find_all("time") if t.get("datetime")]
    for t in times:   # an explicit publication time first
        if t.has_attr("pubdate") or (t.get("itemprop") or "").lower() == "datepublished":
            return t["datetime"].strip()
    scoped = [t for t in times if t.find_parent("article") is not None]
    for t in scoped or times:
        return t["datetime"].strip()
    return None


def _canonical(soup: BeautifulSoup) -> Optional[str]:
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        if isinstance(rel, str):
            rel = rel.split()
        if "canonical" in [r.lower() for r in rel]:
            return link["href"].strip()
    return None


def _absolute(candidate: Optional[str], base: Optional[str]) -> Optional[str]:
    if not candidate:
        return None
    candidate = candidate.strip()
    if base:
        candidate = urljoin(base, candidate)
    parts = urlsplit(candidate)
    if parts.scheme in ("http", "https") and parts.netloc:
        return candidate
    return None


def _strip_outlet_from_title(title: Optional[str], outlet: Optional[str]) -> Optional[str]:
    if not title or not outlet:
        return title
    for sep in (" | ", " - ", " – ", " — ", " :: ", " · "):
        suffix = sep + outlet
        if title.lower().endswith(suffix.lower()) and len(title) > len(suffix):
            return title[: -len(suffix)].strip()
        prefix = outlet + sep
        if title.lower().startswith(prefix.lower()) and len(title) > len(prefix):
            return title[len(prefix):].strip()
    return title


def _normalize_date(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    try:
        return normalize_published(value)
    except Exception:   # an odd string in a page must not stop the import
        return None


def extract_metadata(soup: BeautifulSoup, *, url: Optional[str] = None) -> dict[str, Optional[str]]:
    """title / published (raw) / outlet / author / url from the page's own markup."""
    ld = _json_ld(soup)
    title_tag = soup.title.get_text() if soup.title else None
    outlet = ld.get("outlet") or _meta(soup, "og:site_name", "application-name", "publisher",
                                       "dc.publisher")
    title = (ld.get("title") or _meta(soup, "og:title", "twitter:title", "dc.title")
             or _strip_outlet_from_title(_s(title_tag), outlet))
    published_candidates = [
        ld.get("published"),
        _meta(soup, "article:published_time", "og:published_time", "og:article:published_time"),
        _time_datetime(soup),
        _meta(soup, "date", "pubdate", "publishdate", "publish-date", "publish_date",
              "dc.date", "dc.date.issued", "dcterms.date", "dcterms.issued", "dcterms.created",
              "datepublished", "sailthru.date", "parsely-pub-date", "citation_publication_date"),
    ]
    author = ld.get("author")
    if not author:
        meta_author = _meta(soup, "author", "article:author", "dc.creator", "byl")
        if meta_author and not meta_author.startswith(("http://", "https://")):
            author = re.sub(r"^by\s+", "", meta_author, flags=re.IGNORECASE)
    page_url = (_absolute(_canonical(soup), url) or _absolute(_meta(soup, "og:url"), url)
                or _absolute(ld.get("url"), url))
    return {"title": title, "published_candidates": published_candidates,  # type: ignore[dict-item]
            "outlet": outlet, "author": author, "url": page_url}


def article_from_html(html: str | bytes, *, url: str | None = None, source: str | None = None,
                      charset: str | None = None) -> Article:
    """Build an :class:`Article` from a page.  ``charset`` is the HTTP header's, if any.

    Preference for each field: JSON-LD, then OpenGraph / ``article:`` / ``<time>`` /
    ``<meta>``, then ``<title>``, then the dateline at the top of the text.  The
    page's canonical URL wins over the URL it was fetched from.
    Raises :class:`FormatError` when the page has no main text at all."""
    where = source or url or "<html>"
    encoding = None
    if isinstance(html, (bytes, bytearray)):
        if not bytes(html).strip():
            raise FormatError(where, "empty page", "nothing to read")
        html, codec, guessed = _decode(bytes(html), charset, where)
        if guessed and codec != "utf-8":
            encoding = codec
    html = html.replace("\x00", "")
    if not html.strip():
        raise FormatError(where, "empty page", "nothing to read")
    try:
        soup = BeautifulSoup(html, "lxml")
    except Exception as exc:  # pragma: no cover - lxml copes with almost anything
        raise FormatError(where, f"cannot parse HTML ({exc})") from None

    text = extract_main_text(html, url=url, soup=soup)
    if not text.strip():
        raise FormatError(where, "no article text found in the page",
                          "it may be empty, need JavaScript, or not be an article")
    meta = extract_metadata(soup, url=url)
    title = meta["title"]

    # The headline repeated as the first block of the body belongs to ``title``.
    first, _, rest = text.partition("\n\n")
    if title and rest and " ".join(first.split()).lower() == " ".join(title.split()).lower():
        text = rest

    published = None
    for candidate in meta["published_candidates"]:  # type: ignore[union-attr]
        published = _normalize_date(candidate)
        if published:
            break
    # the dateline at the top of the text fills in outlet / date when the markup has none
    article = article_from_text(text, source=where, url=meta["url"] or url,
                                outlet=meta["outlet"], published=published,
                                title=title, encoding=encoding)
    if meta["author"]:
        article.author = meta["author"]
    return article
