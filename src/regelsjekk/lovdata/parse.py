"""One Lovdata XML document → model.Document: header metadata, node tree, references.

The body is walked once. Structural elements (section, legalArticle, legalP, list items) become
nodes with ids in Lovdata's scheme; everything else contributes text to the innermost node.
Where a child node stands in its parent's text is kept (``Node.pos``: the number of the parent's
own lines before it), so a ledd reads lead-in, list, then any text after the list; a list item
keeps its printed label (``Node.label``: "a)", "1.", "–") apart from its text.
Amendment instructions (``document-change``, ``change``, ``futureLegalArticle``) quote other
laws' text: they are flattened into their container's text and yield ``endrer`` references, never
nodes of their own, so a quoted "§ 5" cannot be mistaken for a § of the amending act.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from regelsjekk.core.model import (
    Document,
    DocumentMeta,
    Node,
    NodeKind,
    Reference,
    RefKind,
)
from regelsjekk.core.textcodec import bom, looks_like_utf16
from regelsjekk.lovdata.errors import ImportProblem
from regelsjekk.lovdata.header import read_meta, text_of
from regelsjekk.lovdata.labels import (
    classify_section,
    item_kind,
    item_label,
    section_number,
)
from regelsjekk.lovdata.refs import (
    PendingRange,
    RawRef,
    expand_ranges_within,
    normalise_target,
    refine_ledd,
)

_PARSER_KW = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                  remove_comments=True, remove_pis=True)
_BLOCK = frozenset({"article", "p", "div", "li", "ul", "ol", "table", "tr", "section", "h1", "h2",
                    "h3", "h4", "h5", "h6", "br", "blockquote", "footer", "header", "dl", "dt",
                    "dd", "caption", "thead", "tbody", "main"})
_SKIP_CLASSES = frozenset({"changesToParent", "footnotes", "footnote", "footnotereference",
                           "gazettenote", "tocSubUl", "tocTopUl"})
_NOTE_CLASSES = frozenset({"changesToParent", "footnotes", "footnote", "footnotereference",
                           "gazettenote"})
MAX_NOTE_CHARS = 4000  # a note is a line of history or a footnote, never a document
_FLAT_CLASSES = frozenset({"document-change", "change", "futureLegalArticle"})
_CONTAINER_KINDS = frozenset({NodeKind.DOCUMENT, NodeKind.PART, NodeKind.CHAPTER, NodeKind.SECTION})

# Per-document caps (issue 19, defect 5: one 60 MB document took 3.2 GB to parse). The largest
# real document is 1.2 MB with 23,544 «<», 2,681 nodes and 0.8 MB of text; these are 10-20 times
# that, and bound one document's parse to under 512 MB (tests/hostile/test_hostile_memory.py;
# bench/limits.py). A document over a cap is skipped with a reason; the import goes on.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # also bounds its text
MAX_DOCUMENT_TAGS = 500_000  # «<» in the bytes: elements, end tags, comments (counted unparsed)
MAX_DOCUMENT_NODES = 50_000  # §§, ledd, list items … made by the walker



def _n(number: int) -> str:
    """12 345 (Norwegian thousands)."""
    return f"{number:,}".replace(",", "\u00a0")


_parser_local: etree.XMLParser | None = None


def _parser() -> etree.XMLParser:
    global _parser_local
    if _parser_local is None:
        _parser_local = etree.XMLParser(**_PARSER_KW)
    return _parser_local


@dataclass
class ParsedDocument:
    """A Document plus what the loader needs beyond the shared model."""

    document: Document
    ref_flags: list[int]  # per reference: 0 explicit, 2 ledd refined from the words after a link
    ranges: list[PendingRange]  # "§§ 1-1 til 1-4" into other documents, expanded after import
    stats: Counter = field(default_factory=Counter)
    notes: list[tuple[str, str, str | None, str]] = field(default_factory=list)  # see _Walker.note


@dataclass(slots=True)
class _Builder:
    id: str
    kind: NodeKind
    parent_id: str | None
    number: str | None
    heading: str | None
    order: int
    parts: list[str] = field(default_factory=list)
    ledd_count: int = 0
    item_count: int = 0
    last_ledd: _Builder | None = None
    label: str | None = None
    slots: int = 0  # children (and hosted items) placed in this node's text so far
    slot: tuple[_Builder, int] | None = None  # (node whose text this node stands in, slot no.)
    lines: list[int] | None = None  # per slot, the lines of own text before it (set by _text)


# Marks where a child node stands in its parent's text: a line of its own, removed by _text.
_SLOT = "\n\x00\n"


# Elements that never hold structure or block breaks: a subtree made only of these is read in
# one C call instead of element by element (the hot path of the import).
_INLINE = frozenset({"a", "i", "b", "em", "strong", "u", "s", "sub", "sup", "span", "abbr",
                     "small", "q", "cite", "code", "mark"})


_NEVER_INLINE = frozenset({"main", "section", "ul", "ol", "li", "table", "tbody", "thead", "tr",
                           "header", "footer", "dl"})


def _inline_text(el: etree._Element) -> str | None:
    """The text of el if its subtree is purely inline (no lists, blocks or notes), else None."""
    if len(el) == 0:
        return el.text or ""
    for d in el.iterdescendants():
        tag = d.tag
        if tag not in _INLINE or (tag in ("sup", "span") and d.get("class")):
            return None
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


# -- body --------------------------------------------------------------------------------------


class _Walker:
    """Walks main.documentBody once, building nodes, their own text, and references."""

    def __init__(self, doc_id: str, title: str, stats: Counter) -> None:
        self.doc_id = doc_id
        self.stats = stats
        self.nodes: list[_Builder] = []
        self.ids: set[str] = set()
        self.next_suffix: dict[str, int] = {}
        self.refs: list[RawRef] = []
        self.ranges: list[PendingRange] = []
        self.child_count: dict[str | None, int] = {}
        self.by_id: dict[str, _Builder] = {}
        self.range_end: tuple[etree._Element, str] | None = None
        # Notes shown apart from the statute text (issue 12): (node id, kind, label, text).
        self.notes: list[tuple[str, str, str | None, str]] = []
        # footnote -> the node whose text marks it; keyed by Lovdata's per-document counter
        # (data-unique-footnote-counter), since a label («1», «*») starts again in each section
        self.footnote_at: dict[str, str] = {}
        self.root = self._new(doc_id, NodeKind.DOCUMENT, None, None, title)

    def _new(self, node_id: str, kind: NodeKind, parent: _Builder | None, number: str | None,
             heading: str | None, host: _Builder | None = None) -> _Builder:
        """A node under parent, standing in host's text (default: the parent's)."""
        if len(self.nodes) >= MAX_DOCUMENT_NODES:
            raise ImportProblem("for_stor", f"dokumentet har over {_n(MAX_DOCUMENT_NODES)} noder "
                                "(paragrafer, ledd, listepunkter), grensen per dokument; det "
                                "hoppes over, resten av importen fortsetter")
        if node_id in self.ids:
            self.stats["dupliserte_id"] += 1
            # The smallest free suffix from 2: ids only grow, so the search for one id resumes
            # where its last one stopped (from 2 each time, n copies of one § cost n² lookups).
            k = self.next_suffix.get(node_id, 2)
            while f"{node_id}_{k}" in self.ids:
                k += 1
            self.next_suffix[node_id] = k + 1
            node_id = f"{node_id}_{k}"
        self.ids.add(node_id)
        parent_id = parent.id if parent else None
        order = self.child_count.get(parent_id, 0)
        self.child_count[parent_id] = order + 1
        b = _Builder(node_id, kind, parent_id, number, heading or None, order)
        host = host or parent
        if host is not None:
            host.parts.append(_SLOT)
            b.slot = (host, host.slots)
            host.slots += 1
        self.nodes.append(b)
        self.by_id[node_id] = b
        return b

    # -- element dispatch --

    def walk(self, el: etree._Element, cur: _Builder, flat: bool) -> None:
        """Add el's children to cur (text) or as new nodes under cur (the hot loop)."""
        if not len(el):
            if el.text:
                cur.parts.append(el.text)
            return
        if el.tag not in _NEVER_INLINE:
            fast = _inline_text(el)
            if fast is not None:
                cur.parts.append(fast)
                for a in el.iter("a"):
                    self.link(a, cur)
                return
        parts = cur.parts
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = child.tag
            if tag.__class__ is str:
                self.visit(child, tag, cur, flat)
            if child.tail:
                parts.append(child.tail)

    def visit(self, el: etree._Element, tag: str, cur: _Builder, flat: bool) -> None:
        cls = el.get("class")
        if cls is not None:
            if cls in _SKIP_CLASSES:
                if cls in _NOTE_CLASSES:
                    self.note(el, cls, cur)
                return
            if cls in _FLAT_CLASSES:
                self.amendment(el, cur)
                flat = True
            elif cls == "defaultP" and cur.kind == NodeKind.DOCUMENT \
                    and el.get("data-text-size") == "small":
                flat = True  # Lovtidend's front matter ("Endringer i følgende lover: 1. …")
            elif not flat:
                if cls == "legalArticle":
                    return self.article(el, cur)
                if (cls == "legalP" or cls == "numberedLegalP") and cur.kind in _CONTAINER_KINDS:
                    return self.ledd(el, cur)
                if cls == "marginIdArticle":
                    return self.item(el, cur)
        if tag == "a":
            self.link(el, cur)
            self.walk(el, cur, flat)
            return
        if tag == "h1" or tag == "footer":
            return
        if tag == "li":
            return self.flat_item(el, cur, flat) if flat else self.item(el, cur)
        if not flat and tag == "section":
            return self.section(el, cur)
        if tag == "table":
            return self.table(el, cur)
        block = tag in _BLOCK
        if block:
            cur.parts.append("\n")
        self.walk(el, cur, flat)
        if block:
            cur.parts.append("\n")

    def note(self, el: etree._Element, cls: str, cur: _Builder) -> None:
        """A change note, footnote or correction: kept apart from the text it annotates.

        «Endret ved lover …» (changesToParent) belongs to the § it stands in; a footnote to the
        node whose text carries its mark (else the document); a correction notice from Lovtidend
        (gazettenote) to the document. The footnote mark itself stays out of the text, as before."""
        if cls == "footnotereference":
            label = el.get("data-footnotereferencevalue") or (el.text or "").strip()
            if label:
                self.footnote_at.setdefault(_footnote_key(el, label), cur.id)
            return
        if cls == "changesToParent":
            text = _note_text(el)
            if text:
                self.notes.append((cur.id, "endring", None, text[:MAX_NOTE_CHARS]))
            return
        if cls == "gazettenote":
            text = _note_text(el)
            if text:
                kind = el.get("data-gazette-note-type") or "merknad"
                self.notes.append((self.root.id, kind, el.get("data-gazette-note-date"),
                                   text[:MAX_NOTE_CHARS]))
            return
        notes = [el] if cls == "footnote" else [
            a for a in el.iter("article") if a.get("class") == "footnote"]
        for fn in notes:
            label = fn.get("data-name")
            mark = next((c for c in fn if isinstance(c.tag, str) and c.get("class") == "footnoteLabel"),
                        None)
            text = _note_text(fn)
            if mark is not None:
                shown = _note_text(mark)
                text = text[len(shown):].strip() if text.startswith(shown) else text
            if text:
                where = self.footnote_at.get(_footnote_key(fn, label or ""), self.root.id)
                self.notes.append((where, "fotnote", label, text[:MAX_NOTE_CHARS]))

    def table(self, el: etree._Element, cur: _Builder) -> None:
        """A table is text of its container: one line per row, cells separated by « | »."""
        rows = []
        for tr in el.iter("tr"):
            cells = (text_of(cell) for cell in tr if cell.tag in ("td", "th"))
            rows.append(" | ".join(c for c in cells if c))
        caption = el.find("caption")
        if caption is not None:
            rows.insert(0, text_of(caption))
        cur.parts.append("\n" + "\n".join(r for r in rows if r) + "\n")
        for a in el.iter("a"):
            self.link(a, cur)

    def section(self, el: etree._Element, cur: _Builder) -> None:
        head = next((c for c in el if isinstance(c.tag, str) and c.tag in
                     ("h2", "h3", "h4", "h5", "h6")), None)
        heading_text = text_of(head) if head is not None else ""
        kind, number, title = classify_section(heading_text, el.get("data-name") or "")
        if kind == NodeKind.CHAPTER and cur.kind == NodeKind.CHAPTER and not number[0].isdigit():
            # "I. Grunnpensjon" inside "Kapittel 3": a sub-heading, not a chapter of its own.
            kind = None
            self.stats["underoverskrift_i_kapittel"] += 1
        if kind is None:
            # An unnumbered heading (Vedlegg, Ikrafttredelse, …): its content joins the container.
            self.stats["uten_nummer_overskrift"] += 1
            if heading_text:
                cur.parts.append("\n" + heading_text + "\n")
            self._walk_skipping(el, head, cur)
            return
        seg = "del" if kind == NodeKind.PART else "kapittel"
        node = self._new(f"{self.doc_id}/{seg}/{number}", kind, cur, number, title)
        self._heading_marks(head, node)
        self._walk_skipping(el, head, node)

    def _heading_marks(self, head: etree._Element | None, node: _Builder) -> None:
        """A footnote mark in a heading (read as text, never walked) belongs to the node it heads."""
        if head is not None:
            for sup in head.iter("sup"):
                if sup.get("class") == "footnotereference":
                    self.note(sup, "footnotereference", node)

    def _walk_skipping(self, el: etree._Element, skip: etree._Element | None, cur: _Builder) -> None:
        if el.text:
            cur.parts.append(el.text)
        for child in el:
            if child is not skip and isinstance(child.tag, str):
                self.visit(child, child.tag, cur, False)
            if child.tail and child is not skip:
                cur.parts.append(child.tail)

    def article(self, el: etree._Element, cur: _Builder) -> None:
        head = next((c for c in el if isinstance(c.tag, str) and c.get("class") ==
                     "legalArticleHeader"), None)
        value = title = ""
        if head is not None:
            for span in head.iter("span"):
                if span.get("class") == "legalArticleValue":
                    value = text_of(span)
                elif span.get("class") == "legalArticleTitle":
                    title = text_of(span)
        number = section_number(el.get("data-name") or "", value)
        if number is None:
            self.stats["paragraf_uten_nummer"] += 1
            number = str(self.child_count.get(cur.id, 0) + 1)
        elif not (el.get("data-name") or "").startswith("§"):
            self.stats["artikkel_uten_paragraftegn"] += 1
        container = cur
        while container.kind not in (NodeKind.DOCUMENT, NodeKind.PART, NodeKind.CHAPTER):
            container = self.by_id.get(container.parent_id or "", self.root)
        node = self._new(f"{self.doc_id}/§{number}", NodeKind.SECTION, container, number,
                         title or None)
        self._heading_marks(head, node)
        self._walk_skipping(el, head, node)

    def ledd(self, el: etree._Element, cur: _Builder) -> None:
        cur.ledd_count += 1
        k = str(cur.ledd_count)
        node = self._new(f"{cur.id}/ledd/{k}", NodeKind.LEDD, cur, k, None)
        cur.last_ledd = node
        self.walk(el, node, False)

    def item(self, el: etree._Element, cur: _Builder) -> None:
        parent = cur
        if cur.kind in _CONTAINER_KINDS and cur.last_ledd is not None and el.tag == "li":
            # A list after a ledd belongs to it (as in Lovdata's own addresses), though it stands
            # in the container's text (after an amendment's "§ 2 skal lyde:", say); margin-numbered
            # points (marginIdArticle) stand beside the ledd, under the container.
            parent = cur.last_ledd
        parent.item_count += 1
        label, heading = item_label(el)
        kind, value = item_kind(label, el, parent.item_count)
        seg = "bokstav" if kind == NodeKind.BOKSTAV else "nummer"
        node = self._new(f"{parent.id}/{seg}/{value}", kind, parent, value, heading, host=cur)
        node.label = label or None
        self.walk(el, node, False)

    def flat_item(self, el: etree._Element, cur: _Builder, flat: bool) -> None:
        """A list item inside quoted or front-matter text: a line of text led by its label."""
        label, heading = item_label(el)
        start = len(cur.parts)
        self.walk(el, cur, flat)
        body = "".join(cur.parts[start:]).strip()
        del cur.parts[start:]
        lead = " ".join(filter(None, (label, heading)))
        if lead and body:
            first, _, rest = body.partition("\n")
            body = f"{lead} {first.strip()}\n{rest}" if first.strip() else f"{lead} {rest.lstrip()}"
        cur.parts.append("\n" + (body or lead) + "\n")

    # -- references --

    def link(self, el: etree._Element, cur: _Builder) -> None:
        href = el.get("href") or ""
        if not href or href.startswith("#"):
            return
        target = normalise_target(href)
        if target is None:
            self.stats["lenke_utenfor_lov_forskrift"] += 1
            return
        anchor = text_of(el)
        if self.range_end is not None and self.range_end[0] is el:
            # The far end of "§§ 1-1 til 1-4": it carries the range's text, not just "1-4".
            self.refs.append(RawRef(cur.id, target, RefKind.CITES, self.range_end[1], 0))
            self.range_end = None
            return
        nxt = el.getnext()
        tail = el.tail or ""
        if (nxt is not None and nxt.tag == "a" and tail.strip() in ("til", "–", "-", "—")
                and "/§" in target):
            end = normalise_target(nxt.get("href") or "")
            if end and end.split("/§")[0] == target.split("/§")[0] and "/" not in end.split("/§")[1] \
                    and "/" not in target.split("/§")[1]:
                text = f"{anchor} {tail.strip()} {text_of(nxt)}"
                self.ranges.append(PendingRange(cur.id, target, end, text))
                self.refs.append(RawRef(cur.id, target, RefKind.CITES, text, 0))
                self.range_end = (nxt, text)
                return
        refined = refine_ledd(target, tail) if not anchor.startswith("§§") else None
        if refined:
            self.refs.append(RawRef(cur.id, refined, RefKind.CITES, f"{anchor} {_lead(tail)}", 2))
        else:
            self.refs.append(RawRef(cur.id, target, RefKind.CITES, anchor, 0))

    def amendment(self, el: etree._Element, cur: _Builder) -> None:
        for attr in ("data-change-part", "data-add-new-part", "data-document"):
            for raw in (el.get(attr) or "").split():
                target = normalise_target(raw)
                if target:
                    self.refs.append(RawRef(cur.id, target, RefKind.AMENDS, None, 0))


def _footnote_key(el: etree._Element, label: str) -> str:
    """What ties a footnote mark to its footnote: Lovdata's counter, unique in the document;
    the printed label only where there is no counter (it repeats from section to section)."""
    counter = el.get("data-unique-footnote-counter")
    return f"#{counter}" if counter else label


def _note_text(el: etree._Element) -> str:
    """A note's text on one line: a line break (<br/>) is a space, whitespace runs one space."""
    out: list[str] = []

    def add(e: etree._Element) -> None:
        if e.tag == "br":
            out.append(" ")
        elif e.text:
            out.append(e.text)
        for child in e:
            if isinstance(child.tag, str):
                add(child)
            if child.tail:
                out.append(child.tail)

    add(el)
    return " ".join("".join(out).split())


def _lead(tail: str) -> str:
    m = re.match(r"^\s*(\w+\s+ledd)", tail)
    return m.group(1) if m else ""


# -- entry point -------------------------------------------------------------------------------


def _head(data: bytes, size: int) -> bytes:
    """The start of the document as UTF-8 bytes (a UTF-16/32 document with a BOM decoded), for
    the byte checks below: «<!ENTITY» in UTF-16 is not the bytes b"<!ENTITY"."""
    marked = bom(data)
    if marked is None or marked[0] == "utf-8":
        return data[:size]
    codec, skip, _ = marked
    width = 4 if codec.startswith("utf-32") else 2
    return data[skip:skip + size * width].decode(codec, "ignore").encode("utf-8")


_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)  # ASCII case-insensitive, as bytes.upper()
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def check_prolog(data: bytes) -> None:
    """Refuse internal DTD subsets and entity declarations before lxml sees the bytes."""
    head = _head(data, 4096)
    if _ENTITY.search(head) or (_DOCTYPE.search(head) and b"[" in head.split(b">", 1)[0]):
        raise ImportProblem("dtd_entitet", "dokumentet har en intern DTD med ENTITY-deklarasjoner; "
                            "slike dokumenter avvises av sikkerhetshensyn (XXE/«billion laughs»)")


# libxml2's "Input is not proper UTF-8" / "Invalid bytes in character encoding" / "Char 0x0 out
# of allowed range" (XML_ERR_INVALID_CHAR, XML_ERR_INVALID_ENCODING, XML_ERR_UNKNOWN_ENCODING).
_ENCODING_ERRORS = frozenset({9, 31, 81})
_RESOURCE_LIMIT = 114  # XML_ERR_RESOURCE_LIMIT: a text node over 10 MB, nesting past 256 levels
_LOVDATA_MARK = re.compile(rb"documentHeader|data-document-key-info|class=\"dokid\"")


def _where(exc: etree.XMLSyntaxError) -> str:
    """' (linje 3, kolonne 14)': where lxml stopped (its own message is English, left out)."""
    line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    if not line:
        return ""
    return f" (linje {line}" + (f", kolonne {column})" if column else ")")


def parse_bytes(data: bytes) -> etree._Element:
    """Parse with entities, DTD loading and network off; classify failures for the summary."""
    if not data.strip():
        raise ImportProblem("tom_fil", "filen er tom")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ImportProblem("for_stor", f"dokumentet er {len(data) / 2**20:.1f} MiB, over grensen "
                            f"på {MAX_DOCUMENT_BYTES >> 20} MiB per dokument; det hoppes over, "
                            "resten av importen fortsetter")
    tags = data.count(b"<")
    if tags > MAX_DOCUMENT_TAGS:
        raise ImportProblem("for_stor", f"dokumentet har {_n(tags)} tagger, over grensen på "
                            f"{_n(MAX_DOCUMENT_TAGS)} per dokument; det hoppes over, resten av "
                            "importen fortsetter")
    if looks_like_utf16(data):
        raise ImportProblem("ikke_utf8", "filen er ikke UTF-8: den ser ut som UTF-16 uten merke "
                            "(BOM) for tegnkoding, så den kan ikke leses sikkert. Lagre den som "
                            "UTF-8 (eller UTF-16 med BOM)")
    check_prolog(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        where = _where(exc)
        if exc.code == _RESOURCE_LIMIT:
            raise ImportProblem("for_stor", "dokumentet går over tolkerens grenser" + where +
                                " (en tekst over 10 MB uten tagger, eller elementer nestet over "
                                "256 nivåer); det hoppes over, resten av importen fortsetter"
                                ) from None
        if exc.code in _ENCODING_ERRORS:
            raise ImportProblem("ikke_utf8", "filen er ikke UTF-8 og oppgir ingen annen "
                                f"tegnkoding: ugyldige byte{where}. Lagre den som UTF-8") from None
        head = _head(data, 8192)
        # Lovdata's own documents start "<!DOCTYPE html><html>" too: only a page without
        # Lovdata's document header is a web page; a broken Lovdata document is broken XML.
        if re.match(rb"^\s*(<!doctype html|<html)", head.lower()) and not _LOVDATA_MARK.search(head):
            raise ImportProblem("html_side", "filen er en HTML-side (en nettside), ikke et "
                                "Lovdata-dokument, og ikke gyldig XML" + where + "; trolig en "
                                "feilside fra nettjeneren. Last ned arkivet på nytt eller sjekk "
                                "adressen") from None
        raise ImportProblem("ikke_xml", "dokumentet er ikke gyldig XML" + where + "; filen er "
                            "skadet eller avkortet. Last ned arkivet på nytt fra Lovdata") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (any(True for _ in dtd.iterentities())
                            or any(True for _ in dtd.iterelements())):
        raise ImportProblem("dtd_entitet", "dokumentet har en intern DTD; avvist av sikkerhetshensyn")
    return root


@dataclass
class _Core:
    meta: DocumentMeta
    nodes: list[tuple]  # (id, doc_id, parent_id, kind value, number, heading, text, order,
    # label, pos), in document order
    refs: list[RawRef]  # deduplicated
    ranges: list[PendingRange]
    stats: Counter
    notes: list[tuple[str, str, str | None, str]] = field(default_factory=list)


def _parse_core(data: bytes, source_file: str | None, source_archive: str | None) -> _Core:
    root = parse_bytes(data)
    stats: Counter = Counter()
    try:
        meta = read_meta(root, source_file, stats)
    except ImportProblem as problem:
        if problem.code == "ikke_lovdata" and root.tag == "html":
            raise ImportProblem("html_side", "filen er en HTML-side uten Lovdata-dokumenthode "
                                "(trolig en feilside fra nettjeneren), ikke et Lovdata-dokument. "
                                "Last ned arkivet på nytt eller sjekk adressen") from None
        raise
    meta.source_archive = source_archive
    main = next((el for el in root.iter("main") if el.get("class") == "documentBody"), None)
    walker = _Walker(meta.id, meta.title, stats)
    if main is not None:
        walker.walk(main, walker.root, False)
    else:
        stats["mangler_dokumentkropp"] += 1
    doc_id = meta.id
    own = []
    for b in walker.nodes:  # each node's own text first: a node's place is in its host's text
        text, b.lines = _text(b.parts)
        own.append(text)
    # Rows as the loader stores them (parse_rows): (id, doc_id, parent_id, kind, number,
    # heading, text, order, label, pos), in document order.
    nodes = []
    for b, text in zip(walker.nodes, own):
        pos = None
        if b.slot is not None:
            host, k = b.slot
            slots = host.lines
            if k < len(slots):
                # In the grandparent's text (a list filed under the ledd before it): negative.
                pos = slots[k] if host.id == b.parent_id else -1 - slots[k]
        nodes.append((b.id, doc_id, b.parent_id, b.kind.value, b.number, b.heading, text,
                      b.order, b.label, pos))
    doc_refs = [RawRef(meta.id, t, RefKind.HJEMMEL, None, 0) for t in meta.based_on]
    doc_refs += [RawRef(meta.id, t, RefKind.AMENDS, None, 0) for t in meta.changes_to_documents]
    section = NodeKind.SECTION.value
    section_order = [n[0] for n in nodes if n[3] == section]
    inside, pending = expand_ranges_within(walker.ranges, meta.id, section_order)
    seen: set[tuple[str, str, str]] = set()
    refs: list[RawRef] = []
    for r in doc_refs + inside + walker.refs:  # range text wins over an endpoint's own anchor
        key = (r.source, r.target, r.kind)
        if key in seen or r.target == r.source:
            continue
        seen.add(key)
        refs.append(r)
    stats["noder"] = len(nodes)
    return _Core(meta, nodes, refs, pending, stats, walker.notes)


def parse_document(data: bytes, source_file: str | None = None,
                   source_archive: str | None = None) -> ParsedDocument:
    """Parse one document. Raises ImportProblem (with a reason code) when it must be skipped."""
    core = _parse_core(data, source_file, source_archive)
    doc_id = core.meta.id
    # Built by us from checked parts: skip pydantic's per-field validation.
    nodes = [Node.model_construct(id=i, kind=NodeKind(k), doc_id=doc_id, parent_id=p, number=n,
                                  heading=h, text=t, summary=None, order=o, label=lb, pos=ps)
             for i, _, p, k, n, h, t, o, lb, ps in core.nodes]
    refs = [Reference.model_construct(source=r.source, target=r.target, kind=r.kind,
                                      text=r.text or None) for r in core.refs]
    return ParsedDocument(Document(meta=core.meta, nodes=nodes, references=refs),
                          [r.derived for r in core.refs], core.ranges, core.stats, core.notes)


def parse_rows(data: bytes, source_file: str, source_archive: str, content_hash: str) -> tuple:
    """The loader's fast path: the same parse as parse_document, straight to SQLite rows."""
    core = _parse_core(data, source_file, source_archive)
    meta = core.meta
    meta.content_hash = content_hash
    doc_id = meta.id
    nodes = core.nodes
    refs = [(r.source, r.target, r.kind.value, r.text or None, doc_id, r.derived)
            for r in core.refs]
    ranges = [(g.source, g.first, g.last, g.text, doc_id) for g in core.ranges]
    head = (meta.dokid or f"?/{doc_id}", doc_id, meta.kind.value, meta.origin.value, meta.title,
            meta.title_short, meta.abbreviation, meta.date_in_force, meta.date_of_publication,
            meta.last_change_in_force, meta.source_archive, meta.source_file, content_hash)
    try:  # the same JSON as json.dumps(model_dump(mode="json")), a third of the time
        meta_text = meta.model_dump_json()
    except ValueError:  # a name pydantic will not encode (undecodable bytes): the plain way
        meta_text = json.dumps(meta.model_dump(mode="json"), ensure_ascii=False,
                               separators=(",", ":"))
    notes = [(node_id, doc_id, kind, label, text) for node_id, kind, label, text in core.notes]
    return head, meta_text, nodes, refs, ranges, dict(core.stats), notes


def _text(parts: list[str]) -> tuple[str | None, list[int]]:
    """The node's own text (whitespace collapsed within lines, blank lines dropped) and, per slot
    (a node standing in this text) in creation order, how many of those lines come before it."""
    joined = "".join(parts)
    if not joined or joined.isspace():
        return None, []
    if "\n" not in joined:
        return _squeeze(joined), []
    lines: list[str] = []
    slots: list[int] = []
    for line in joined.split("\n"):
        if line == "\x00":
            slots.append(len(lines))
        elif line and not line.isspace():
            lines.append(_squeeze(line))
    return "\n".join(lines) or None, slots



_CHUNK = 65536


def _squeeze(line: str) -> str:
    """" ".join(line.split()): whitespace runs → one space, ends trimmed. A long line is done in
    chunks, so that no list of every word is ever held (a 16 MB line of words was ~25 times its
    size in word objects)."""
    if len(line) < _CHUNK:
        return " ".join(line.split())
    out: list[str] = []
    gap = False  # whitespace since the last word
    for start in range(0, len(line), _CHUNK):
        chunk = line[start:start + _CHUNK]
        words = chunk.split()
        if not words:
            gap = True
            continue
        if out and (gap or chunk[0].isspace()):
            out.append(" ")
        out.append(" ".join(words))
        gap = chunk[-1].isspace()
    return "".join(out)
