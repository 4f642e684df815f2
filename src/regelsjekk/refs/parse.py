"""Find citations of Norwegian legal provisions in text, the way lawyers write them.

The parser is syntactic: it finds anchors (§, §§, kapittel, Lovdata ids and URLs, "lov 22. juni
2018 nr. 83"), reads the pinpoints after them (ledd by ordinal or "(2)", punktum, bokstav,
nummer, lists and ranges) and the law name before or after them. Whether a name really is a law
is for the resolver to decide: in free text a short word before § is only a *weak* guess
(``LawRef.weak``), dropped when it names nothing, so "kl" inside ordinary words or "i § 5"
never become laws.

Two modes: ``parse_citations(text)`` for free text, ``parse_reference(text)`` for one reference
typed into a lookup box, where everything before the first anchor is the law's name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import unquote

from regelsjekk.core import ids
from regelsjekk.core.ids import MONTHS
from regelsjekk.refs.model import Citation, LawRef, Pinpoint, Target
from regelsjekk.refs.normalize import (
    ORDINAL_WORDS,
    normalize_section_number,
    normalize_text,
)
from regelsjekk.refs.pinpoints import (
    _CHAPNUM,
    _L,
    _LAWLIKE_WORD,
    _MONTH,
    _chapter_number,
    _read_chapters,
    _read_sections,
    _with,
)

_DATE = (rf"(?:(?P<d1>\d{{1,2}})\.?\s*(?P<mon>{_MONTH})\.?\s+(?P<y1>\d{{4}})"
         rf"|(?P<d2>\d{{1,2}})\.(?P<m2>\d{{1,2}})\.(?P<y2>\d{{4}})"
         rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))")
_DOCWORD = r"(?P<dockind>lov|lova|loven|forskrift|forskrifta|forskriften|forskr\.|for\.|kgl\.\s?res\.)"

_ANCHOR = re.compile(
    rf"(?P<url>(?:https?://)?(?:www\.)?lovdata\.no/[^\s<>\"]+)"
    rf"|(?P<legacy>\b(?P<lkind>LOV|FOR|lov|for|Lov|For)-(?P<ldate>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:-(?P<lnum>\d+))?(?:-?(?P<lsec>§\s?\d[\w-]*\w|§\s?\d))?)"
    rf"|(?P<pathid>\b(?:(?:NL|SF|LTI|NLO|NLE)/)?(?P<pkind>lov|forskrift)/(?P<pdate>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:-(?P<pnum>\d+))?(?P<prest>(?:/[^\s,;)\]]+)*))"
    rf"|(?P<datenr>\b{_DOCWORD}\s+(?:av\s+|fra\s+|frå\s+)?{_DATE}(?:\s*,?\s*(?:nr\.?|no\.?)\s*(?P<nr>\d+))?)"
    rf"|(?P<sec>§§?|\bparagraf(?:ene|ane)?\s*(?=\d))\s*"
    rf"|(?P<part>\bdel\s+(?=(?:\d+|(?-i:[IVX]+))(?![\w])))"
    rf"|(?P<chap>\b(?:kapittel|kapitel|kapitlene|kapitla|kap\.|kap)\s*(?={_CHAPNUM}))",
    re.IGNORECASE,
)

# "plan- og bygningsloven", "arbeids- og velferdsforvaltningsloven", "universitets- og høyskoleloven"
_LAWLIKE = rf"(?:[{_L}]+-(?:,\s*[{_L}]+-)*\s+(?:og|eller)\s+)?{_LAWLIKE_WORD}"
_LAWLIKE_END = re.compile(rf"(?:^|(?<=[\s(\"]))(?P<name>{_LAWLIKE})\)?\s*,?\s*$", re.IGNORECASE)
_LAWLIKE_START = re.compile(rf"(?P<name>{_LAWLIKE})(?![\w])", re.IGNORECASE)
_GENERIC = {"lov", "loven", "lova", "lovens", "lovas", "forskrift", "forskriften", "forskrifta",
            "forskriftens", "forskriftas"}
_PHRASE = re.compile(r"\b(?:lov|lova|forskrift|forskrifta|forskrifter|forskr\.)\s+(?:om|til|for|med|frå|fra)\b",
                     re.IGNORECASE)
_WEAK_END = re.compile(rf"(?:^|(?<=[\s(]))(?P<name>[{_L}][{_L}0-9.\-]{{0,14}})\s*,?\s*$")
_THIS_DOC = re.compile(
    r"(?:denne|dette)\s+(?:lov|loven|lova|forskrift|forskriften|forskrifta)\b"
    r"|(?:loven|lova|forskriften|forskrifta)\s+her\b", re.IGNORECASE)

# Words that stand before § in ordinary prose and are never law names.
STOP_WORDS = frozenset("""
i etter efter jf jfr jamfør jamfør. se og eller samt til av med om på for fra frå ved under
denne dette den det de ny nye nytt gjeldende gjeldande første annet andre siste hjemmel heimel
paragraf paragrafen paragrafene ledd punktum bokstav nr nummer kapittel kap del som at er var
ikke ikkje kan skal må bør vil etter. iht ift mht pga vedr vedrørende jfr. jf. m.fl. mv m.v. bl.a
f.eks eks se. cf art artikkel nevnte nemnde følgende følgjande sml jamf the and of a an in
""".split())

_CONNECTORS = re.compile(r"^[\s,;]*(?:(?:jf\.?|jfr\.?|jamfør|se|og|eller|samt|m\.?m\.?)[\s,;]*)*$",
                         re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=\w\w)[.!?]\s+(?=[A-ZÆØÅ])")


def _plural(sign: str) -> bool:
    return sign.startswith("§§") or sign.lower().startswith(("paragrafene", "paragrafane"))


# -- law anchors ------------------------------------------------------------------------------


def _law_from_anchor(m: re.Match) -> tuple[LawRef | None, list[Target]]:
    """A LawRef (and maybe targets) from a URL, a Lovdata id or a date-and-number anchor."""
    g = m.groupdict()
    if g["url"]:
        return _law_from_url(g["url"])
    if g["legacy"]:
        kind = "lov" if g["lkind"].lower() == "lov" else "forskrift"
        law = _doc_ref(kind, g["ldate"], g["lnum"])
        targets: list[Target] = []
        if g["lsec"]:
            targets = [Pinpoint(section=normalize_section_number(g["lsec"][1:]))]
        return law, targets
    if g["pathid"]:
        law = _doc_ref(g["pkind"].lower(), g["pdate"], g["pnum"])
        # lov/1967-02-10/§24 has no number: the path still belongs to lov/1967-02-10
        doc = law.doc_id or ids.make_doc_id(g["pkind"].lower(), g["pdate"], None)
        targets = _targets_from_path(doc, g["prest"] or "")
        return law, targets
    if g["datenr"]:
        word = g["dockind"].lower()
        kind = "lov" if word.startswith("lov") else "forskrift"
        if g["y1"]:
            y, mo, d = int(g["y1"]), MONTHS[g["mon"].lower()], int(g["d1"])
        elif g["y2"]:
            y, mo, d = int(g["y2"]), int(g["m2"]), int(g["d2"])
        else:
            y, mo, d = int(g["y3"]), int(g["m3"]), int(g["d3"])
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None, []
        return _doc_ref(kind, f"{y:04d}-{mo:02d}-{d:02d}", g["nr"]), []
    return None, []


def _doc_ref(kind: str, date: str, number: str | None) -> LawRef:
    if number is None:
        # Without a number the date alone may name the document (lov/1967-02-10) or several.
        return LawRef(kind=kind, date=date)
    return LawRef(doc_id=ids.make_doc_id(kind, date, number))


def _targets_from_path(doc_id: str, rest: str) -> list[Target]:
    rest = rest.strip("/")
    if not rest:
        return []
    try:
        pid = ids.parse_id(f"{doc_id}/{rest}")
    except ids.InvalidId:
        return []
    p = Pinpoint()
    for kind, value in pid.path:
        if kind == "paragraf":
            p = _with(p, "section", normalize_section_number(value))
        elif kind == "kapittel":
            p = _with(p, "chapter", value)
        elif kind == "del":
            p = _with(p, "part", value)
        elif kind in ("ledd", "punktum") and value.isdigit():
            p = _with(p, kind, int(value))
        elif kind in ("bokstav", "nummer"):
            p = _with(p, kind, value)
    return [] if p.is_empty else [p]


_URL_DOC = re.compile(r"(?P<kind>lov|forskrift)/(?P<date>\d{4}-\d{2}-\d{2})(?:-(?P<num>\d+))?", re.I)


def _law_from_url(url: str) -> tuple[LawRef | None, list[Target]]:
    """https://lovdata.no/lov/2018-06-22-83/§19-1, …/dokument/NL/lov/…/KAPITTEL_19#§19-1."""
    url = unquote(url).rstrip(".,;)")
    m = _URL_DOC.search(url)
    if not m:
        return None, []
    law = _doc_ref(m.group("kind").lower(), m.group("date"), m.group("num"))
    tail = url[m.end():]
    path, _, fragment = tail.partition("#")
    targets: list[Target] = []
    for piece in (fragment, path):
        sec = re.search(r"§\s?(\d[\w-]*)", piece)
        if sec:
            targets = [Pinpoint(section=normalize_section_number(sec.group(1)))]
            break
        chap = re.search(r"KAPITTEL_(\w+?)(?:_|$)", piece, re.I)
        if chap:
            targets = [Pinpoint(chapter=_chapter_number(chap.group(1)))]
            break
    return law, targets


# -- names ------------------------------------------------------------------------------------


def _name_before(text: str, floor: int, start: int) -> LawRef | None:
    """The law name written just before an anchor, in free text."""
    prefix = text[floor:start]
    # A sentence end between the name and the anchor ends the search.
    ends = list(_SENTENCE_END.finditer(prefix))
    if ends:
        prefix = prefix[ends[-1].end():]
    if not prefix.strip():
        return None
    m = _LAWLIKE_END.search(prefix)
    if m:
        name = m.group("name")
        if name.lower() in _GENERIC:
            phrase = _phrase_before(prefix)
            return phrase or LawRef(this_document=True)
        return LawRef(name=name)
    phrase = _phrase_before(prefix)
    if phrase:
        return phrase
    m = _WEAK_END.search(prefix)
    if m:
        word = m.group("name")
        bare = word.lower().rstrip(".")
        if (word.lower() not in STOP_WORDS and bare not in STOP_WORDS and bare not in ORDINAL_WORDS
                and not bare.replace(".", "").isdigit() and not re.fullmatch(r"\d+\.?", bare)):
            return LawRef(name=word, weak=True)
    return None


def _phrase_before(prefix: str) -> LawRef | None:
    """'… etter forskrift om kommunale og fylkeskommunale budsjetter' -> the title phrase."""
    tail = prefix[-220:]
    found = list(_PHRASE.finditer(tail))
    if not found:
        return None
    name = tail[found[-1].start():].strip().rstrip(",")
    if len(name.split()) > 25:
        return None
    return LawRef(name=name)


_POST = re.compile(r"\s*,?\s+(?:i|etter|efter|til|av)\s+", re.IGNORECASE)
_PHRASE_END = re.compile(r"[,;:)\]]|\.(?:\s|$)|\s(?:jf|jfr|jamfør|og\s+§)\b|§|$", re.IGNORECASE)


def _name_after(text: str, pos: int, single: bool = False) -> tuple[LawRef | None, int, re.Match | None]:
    """'§ 19-1 i kommuneloven', '§ 5 i denne loven', '§ 3 i lov 22. juni 2018 nr. 83'.

    In a typed reference (``single``) everything after "i"/"etter" is the name.
    """
    m = _POST.match(text, pos)
    if not m:
        return None, pos, None
    p = m.end()
    if tm := _THIS_DOC.match(text, p):
        return LawRef(this_document=True), tm.end(), None
    if (am := _ANCHOR.match(text, p)) and (am.group("datenr") or am.group("pathid")
                                           or am.group("legacy") or am.group("url")):
        return None, p, am
    if single:
        name = text[p:].strip().rstrip(".,;")
        if name and "§" not in name:
            if name.lower() in _GENERIC:
                return LawRef(this_document=True), len(text), None
            return LawRef(name=name), len(text), None
    if pm := _PHRASE.match(text, p):
        end = _PHRASE_END.search(text, pm.end())
        stop = end.start() if end else len(text)
        name = text[p:stop].strip()
        if name and len(name.split()) <= 25:
            return LawRef(name=name), p + len(text[p:stop].rstrip()), None
    if lm := _LAWLIKE_START.match(text, p):
        name = lm.group("name")
        if name.lower() in _GENERIC:
            return LawRef(this_document=True), lm.end(), None
        return LawRef(name=name), lm.end(), None
    return None, pos, None


# -- the two entry points -----------------------------------------------------------------------


def parse_citations(text: str) -> list[Citation]:
    """Every citation in free text, in order, with "jf." chains resolved to their law.

    Spans (start, end, text) refer to ``normalize_text(text)``.
    """
    return _parse(normalize_text(text), single=False)


def parse_reference(text: str) -> list[Citation]:
    """One reference as typed into a lookup: the text before the first anchor is the name.

    Usually one citation; a chain ("kl. § 19-1, jf. § 19-2") gives more.
    """
    return _parse(normalize_text(text), single=True)


def _parse(t: str, single: bool) -> list[Citation]:
    out: list[Citation] = []
    floor = 0
    pos = 0
    while True:
        m = _ANCHOR.search(t, pos)
        if not m:
            break
        start = m.start()
        law: LawRef | None = None
        targets: list[Target] = []
        end = m.end()
        if m.group("part"):
            # "del 5" is ordinary prose too: only a citation with a law named right before it.
            pm = re.match(r"\d+|[IVX]+", t[m.end():])
            typed = _strip_lead(t[:start]) if single and not out else ""
            law = LawRef(name=typed) if typed else _name_before(t, floor, start)
            if pm is not None and (law is None or law.weak):
                after, e2, anchor = _name_after(t, m.end() + pm.end(), single=single and not out)
                if after is not None and (after.name or after.this_document):
                    out.append(Citation(law=after, targets=(Pinpoint(part=pm.group(0)),),
                                        text=t[start:e2], start=start, end=e2))
                    floor = pos = e2
                    continue
                if anchor is not None and (law2 := _law_from_anchor(anchor)[0]) is not None:
                    out.append(Citation(law=law2, targets=(Pinpoint(part=pm.group(0)),),
                                        text=t[start:anchor.end()], start=start, end=anchor.end()))
                    floor = pos = anchor.end()
                    continue
            if pm is None or law is None or law.weak or not (law.name or law.this_document):
                pos = m.end()
                continue
            if law.name and not (single and not out):
                idx = t.rfind(law.name, floor, start)
                start = idx if idx >= 0 else start
            elif single and not out:
                start = 0
            targets, end = [Pinpoint(part=pm.group(0))], m.end() + pm.end()
        elif m.group("sec") or m.group("chap"):
            if m.group("sec"):
                targets, end = _read_sections(t, m.end(), plural=_plural(m.group("sec")))
            else:
                targets, end = _read_chapters(t, m.end())
            if not targets:
                if single:
                    bad = t[m.start():m.start() + 24].strip()
                    out.append(Citation(law=None, text=bad, start=m.start(), end=m.end(),
                                        problem=f"Kunne ikke lese nummeret i «{bad}»: forventet for "
                                                "eksempel «§ 19-1», «§ 4a» eller «kapittel 5»."))
                pos = m.end()
                continue
            if single and not out:
                name = _strip_lead(t[:start])
                if name:
                    law = LawRef(name=name)
                    start = 0
            else:
                law = _name_before(t, floor, start)
                if law is not None and law.name and not law.this_document:
                    idx = t.rfind(law.name, floor, start)
                    if idx >= 0:
                        start = idx
        else:
            law, targets = _law_from_anchor(m)
            if law is None:
                pos = m.end()
                continue
            if m.group("pathid") and (m.group("prest") or "").strip("/") and not targets:
                # an id whose path cannot be read never widens to the whole document
                bad = m.group("pathid")
                out.append(Citation(law=None, text=bad, start=m.start(), end=m.end(),
                                    problem=f"Kunne ikke lese id-en «{bad}»: forventet for "
                                            "eksempel «lov/2018-06-22-83/§19-1/ledd/2»."))
                pos = m.end()
                continue
            if single and not out:
                start = 0
            # "lov 22. juni 2018 nr. 83 (om kommuner …) § 5-1": the pinpoint follows the law.
            if not targets:
                nxt = _ANCHOR.search(t, end)
                if nxt and (nxt.group("sec") or nxt.group("chap")):
                    gap = t[end:nxt.start()]
                    if re.fullmatch(r"\s*(?:\(?\s*om\b[^§]{0,240}?\)?)?\s*,?\s*", gap, re.IGNORECASE):
                        if nxt.group("sec"):
                            more, e2 = _read_sections(t, nxt.end(), plural=_plural(nxt.group("sec")))
                        else:
                            more, e2 = _read_chapters(t, nxt.end())
                        if more:
                            targets, end = more, e2

        # A law named after the pinpoints wins over a weak guess before them.
        if targets and (law is None or law.weak or law.this_document):
            after, e2, anchor = _name_after(t, end, single=single and not out)
            if anchor is not None:
                law2, _ = _law_from_anchor(anchor)
                if law2 is not None:
                    law, end = law2, anchor.end()
            elif after is not None:
                law, end = after, e2
        out.append(Citation(law=law, targets=tuple(targets), text=t[start:end], start=start, end=end))
        floor = pos = end
    if single and not out and t.strip():
        name = _strip_lead(t)
        if name:
            out.append(Citation(law=LawRef(name=name), text=t, start=0, end=len(t)))
    return _chain(t, out)


def _strip_lead(prefix: str) -> str:
    """The name part of a typed reference: drop leading 'jf.', 'se', 'etter' and trailing commas."""
    name = prefix.strip().rstrip(",").strip()
    name = re.sub(r"^(?:(?:jf|jfr|jamfør|se|etter|efter|i)\.?(?:\s+|$))+", "", name, flags=re.IGNORECASE)
    return name.strip()


def _chain(t: str, cits: list[Citation]) -> list[Citation]:
    """A citation without a law after 'jf.', ',' or 'og' takes the law of the one before it."""
    out: list[Citation] = []
    for c in cits:
        if (c.law is None or c.law.weak) and out and out[-1].law is not None:
            gap = t[out[-1].end:c.start]
            if _CONNECTORS.match(gap):
                prev = out[-1].law
                if c.law is None:
                    c = replace(c, law=prev, inherited=True)
                else:
                    c = replace(c, chain_law=prev)
        out.append(c)
    return out
