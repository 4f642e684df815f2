"""The header of a Lovdata document (dl.data-document-key-info): dt/dd pairs → DocumentMeta.

Known keys become fields (titleShort split at "–" into short title and abbreviation, basedOn and
changesToDocuments normalised to ids); any other pair is kept as-is in ``extra``.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from lxml import etree

from regelsjekk.core.ids import make_doc_id
from regelsjekk.core.model import DocKind, DocumentMeta, Origin
from regelsjekk.lovdata.errors import ImportProblem
from regelsjekk.lovdata.refs import DOC_ID_RE, normalise_target


def clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def text_of(el: etree._Element) -> str:
    if not len(el):  # no children: its text is all there is (most header values, link texts)
        return clean(el.text)
    return clean(etree.tostring(el, method="text", encoding=str, with_tail=False))


def _header_pairs(root: etree._Element) -> dict[str, etree._Element]:
    dl = None
    for el in root.iter("dl"):
        if el.get("class") == "data-document-key-info":
            dl = el
            break
    if dl is None:
        return {}
    pairs: dict[str, etree._Element] = {}
    for dd in dl.iterchildren("dd"):
        cls = dd.get("class")
        if cls and cls not in pairs:
            pairs[cls] = dd
    return pairs


def _items(dd: etree._Element | None) -> list[str]:
    if dd is None:
        return []
    lis = list(dd.iter("li"))
    values = [text_of(li) for li in lis] if lis else [text_of(dd)]
    return [v for v in values if v and v.lower() != "null"]


def _targets(dd: etree._Element | None, stats: Counter, unknown_note: str) -> list[str]:
    """The ids listed in a basedOn/changesToDocuments pair, deduplicated; entries that are no
    id are counted under unknown_note."""
    targets = []
    for raw in _items(dd):
        target = normalise_target(raw)
        if target:
            targets.append(target)
        else:
            stats[unknown_note] += 1
    return list(dict.fromkeys(targets))


_ISO_LIKE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_EDGES = re.compile(r"^(?:[\s,;]|og\b)+|(?:[\s,;]|\bog)+$")


def valid_dates(raw: str | None, stats: Counter) -> str | None:
    """A date field with every impossible date taken out ("0000-02-08", "1990-02-30"): each one
    counted under ``ugyldig_dato``; a field left with nothing but separators is unknown (None).
    Text such as "Kongen bestemmer" is kept."""
    if not raw:
        return None
    bad = 0

    def check(m: re.Match[str]) -> str:
        nonlocal bad
        try:
            date.fromisoformat(m.group(0))
        except ValueError:
            bad += 1
            return ""
        return m.group(0)

    kept = _ISO_LIKE.sub(check, raw)
    if not bad:
        return raw
    stats["ugyldig_dato"] += bad
    kept = _EDGES.sub("", " ".join(kept.split()))
    return kept or None


_KNOWN_HEADER = frozenset({
    "dokid", "refid", "legacyID", "title", "titleShort", "ministry", "dateInForce",
    "dateOfPublication", "lastChangeInForce", "lastChangedBy", "changesToDocuments", "basedOn",
    "legalArea", "appliesTo", "publishedIn", "miscInformation", "table-of-contents"})


def read_meta(root: etree._Element, source_file: str | None, stats: Counter) -> DocumentMeta:
    pairs = _header_pairs(root)
    if not pairs:
        raise ImportProblem("ikke_lovdata", "mangler dokumenthode (header.documentHeader med "
                            "dl.data-document-key-info); er dette et Lovdata-dokument?")
    text = {k: text_of(v) for k, v in pairs.items() if k != "table-of-contents"}
    dokid = text.get("dokid") or None
    base = (source_file or "").rsplit("/", 1)[-1].lower()
    title = text.get("title") or ""
    for fallback in ("head/title", ".//h1"):
        if title:
            break
        found = root.find(fallback)
        if found is not None:
            title = text_of(found)
    doc_id = _document_id(text.get("refid"), dokid, text.get("legacyID"), base, title, stats)
    if dokid:
        prefix = dokid.split("/", 1)[0].upper()
        origin = Origin.CONSOLIDATED if prefix in ("NL", "SF") else Origin.LOVTIDEND
        local = prefix == "LTII"
    else:
        origin = Origin.CONSOLIDATED if base.startswith(("nl-", "sf-")) and "lti/" not in (
            source_file or "") else Origin.LOVTIDEND
        local = base.startswith("lf-")
    short = text.get("titleShort") or None
    abbreviation = None
    if short and "–" in short:
        short, abbreviation = (s.strip() for s in short.split("–", 1))
        abbreviation = abbreviation or None
    return DocumentMeta(
        id=doc_id, kind=DocKind(doc_id.split("/", 1)[0]), origin=origin, dokid=dokid,
        legacy_id=text.get("legacyID") or None, title=title or doc_id, title_short=short,
        abbreviation=abbreviation, ministry=_items(pairs.get("ministry")),
        date_in_force=valid_dates(text.get("dateInForce"), stats),
        date_of_publication=valid_dates(text.get("dateOfPublication"), stats),
        last_change_in_force=valid_dates(text.get("lastChangeInForce"), stats),
        last_changed_by=text.get("lastChangedBy") or None,
        changes_to_documents=_targets(pairs.get("changesToDocuments"), stats, "endrer_uten_id"),
        based_on=_targets(pairs.get("basedOn"), stats, "hjemmel_uten_id"),
        legal_area=_items(pairs.get("legalArea")), applies_to=text.get("appliesTo") or None,
        published_in=text.get("publishedIn") or None,
        misc_information=text.get("miscInformation") or None,
        extra={k: v for k, v in text.items() if k not in _KNOWN_HEADER and v}, local=local,
        source_file=source_file,
    )


def _document_id(refid: str | None, dokid: str | None, legacy: str | None, base: str,
                 title: str, stats: Counter) -> str:
    candidate = refid or ("/".join(dokid.split("/")[1:3]) if dokid else None)
    if not candidate and legacy:
        m = re.match(r"^(LOV|FOR)-(\d{4}-\d{2}-\d{2})(?:-(\d+))?$", legacy.strip())
        if m:
            kind = "lov" if m.group(1) == "LOV" else "forskrift"
            candidate = f"{kind}/{m.group(2)}" + (f"-{m.group(3)}" if m.group(3) else "")
    m = DOC_ID_RE.match((candidate or "").strip().lower())
    if not m:
        raise ImportProblem("mangler_id", f"fant ingen gyldig dokument-id (refid «{refid}», "
                            f"dokid «{dokid}»); forventet for eksempel «lov/2018-06-22-83»")
    kind, date, number = m.groups()
    # An older export labels laws LTI/forskrift: the file name (nl-) and title say otherwise.
    if kind == "forskrift" and base.startswith("nl-") and title.lower().startswith("lov"):
        kind = "lov"
        stats["lov_merket_forskrift"] += 1
    return make_doc_id(kind, date, number)
