"""Tidligere forsøk: the trial regulations in the imported Lovtidend, read once per import.

A regulation made under forsøksloven (or under a sector law's own trial authority) is a trial:
a kommune's vedtekter, a state pilot. Most of the 1993–2000 ones end with a list of what they set
aside ("Denne forskrift kommer i stedet for følgende bestemmelser: …"). This pass finds them and
records, per trial, what the text says — who, when, under which authority, approved by whom — and
every provision it sets aside, as the id that provision had *then*:

  "lov av 18. mars 1955 nr. 2 … § 3 første ledd og § 5" → lov/1955-03-18-2/§3/ledd/1, …/§5
  "lov om vegtrafikk av 18. juni 1965 nr. 4 § 6"       → lov/1965-06-18-4/§6
  "valgloven § 44 nr 4 andre ledd" (1999)              → lov/1985-03-01-3/§44/nummer/4/ledd/2

A law named without date is read as the law of that name on the trial's date (the current law by
name, walked back through rules/tid.yaml's successions). What cannot be given an id for certain is
kept as text with the reason ("forskrift av 27. oktober 1993": no number and none known) — never a
guessed id. Mapping an old provision to today's is not done here: kb.trials does that from
rules/tid.yaml when asked, so a rules edit needs no re-import.

Stored in table ``trials`` (one JSON row per trial) and as ``setter_til_side`` references
(trial § → provision, ``derived = 4``), which the graph picks up like every other reference.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date

from regelsjekk.core.ids import MONTHS, doc_of, is_valid_id
from regelsjekk.core.model import RefKind
from regelsjekk.kb.store import count_promulgated_years
from regelsjekk.lovdata.summary import Summary

DERIVED = 4
FORSOKSLOVEN = "lov/1992-06-26-87"
EXTRACTOR_VERSION = "1"

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = rf"(?P<d>\d{{1,2}})\.\s*(?P<mon>{_MONTH})\.?\s+(?P<y>\d{{4}})\d?"
# The words that say a text sets something aside, bokmål and nynorsk.
TRIGGER = re.compile(
    r"kommer?\s+i\s+stedet\s+for|kjem\s+i\s+staden\s+for|komme\s+i\s+staden\s+for|"
    r"\bunntak\s+fr[aå]\b|gjelder\s+ikke|skal\s+ikke\s+gjelde|"
    r"gjeld\s+ikkje|skal\s+ikkje\s+gjelde|uten\s+hinder\s+av|utan\s+hinder\s+av|\berstatter\b|"
    r"\bfravik(?:es|ast)?\b|\bkan\s+ikke\s+påklages|\bunntatt\s+fra\b", re.IGNORECASE)
# A citation with a date: "lov av 18. mars 1955 nr. 2", "lov om vegtrafikk av 18. juni 1965 nr. 4",
# "skiltforskriftene av 10. oktober 1980", "bestemmelser av 20. januar 1984 nr. 218".
_DATED = re.compile(rf"\b(?:av\s+|frå\s+|fra\s+)?{_DATE}(?:\s+nr\.?\s*(?P<n>\d+))?", re.IGNORECASE)
_HEAD_WORD = re.compile(r"\b\w*(?:lov|forskrift|bestemmelse|vedtekt|reglement|instruks)\w*", re.IGNORECASE)
# A sentence ends at ". " before a capital letter (not in "nr. 4", "1. mai") or at a line break.
_SENTENCE_END = re.compile(r"(?<!\bnr)(?<!\bjf)(?<!\d)\.\s+(?=[A-ZÆØÅ])|\n")
_TITLE_TO_SECTION = re.compile(r"\s*(?:om|for)\s+[^§;:]{0,200}?(?=\s*(?:§|kap\b|kap\.))")
_TITLE = re.compile(r"\s*(?:\([^)]*\)|om\s+[^§,;:]{0,120}?(?=\s*(?:§|kap\b|kap\.|,|;|$))|"
                    r"for\s+[^§,;:]{0,120}?(?=\s*(?:§|kap\b|kap\.|,|;|$)))?")
# A law named by its short name: "valgloven § 44", "kommunelovens § 23", "forvaltningsloven".
_NAMED = re.compile(r"\b(?P<name>[a-zæøå][a-zæøå\-]{2,}?(?:lov(?:en|a|i|ens|as)?|"
                    r"forskrift(?:en|a|ene)?))\b", re.IGNORECASE)
_SECTION = re.compile(r"§§?\s*(?P<num>\d+[a-z]?(?:-\d+[a-z]?)?)", re.IGNORECASE)
_ORDINAL = {"første": 1, "fyrste": 1, "annet": 2, "andre": 2, "tredje": 3, "fjerde": 4,
            "femte": 5, "sjette": 6, "sjuende": 7, "syvende": 7, "sjuande": 7, "åttende": 8,
            "åttande": 8, "niende": 9, "tiende": 10}
_STEP = re.compile(rf"\s*,?\s*(?:(?P<ord>{'|'.join(_ORDINAL)})\s+ledd|(?:nr|pkt|punkt)\.?\s*"
                   r"(?P<nr>\d+)|bokstav\s+(?P<b>[a-z])\b|(?P<b2>[a-z])\))", re.IGNORECASE)
_MORE = re.compile(r"\s*(?:,|og|eller|samt)\s*(?:§\s*)?(?P<num>\d+[a-z]?(?:-\d+[a-z]?)?)\b"
                   r"(?!\.\s*(?:" + _MONTH + r"))", re.IGNORECASE)
_LEDD_LIST = re.compile(r"\s*,?\s*\d+\.\s*(?:(?:,|og)\s*\d+\.\s*)*ledd\b", re.IGNORECASE)
_AVSNITT = re.compile(r"\s*,?\s*\d+\.\s*(?:(?:,|og)\s*\d+\.\s*)*(?:avsnitt|punktum)\b",
                      re.IGNORECASE)
_MORE_NR = re.compile(r"\s*(?:,|og)\s*(?:nr|pkt)\.?\s*(?P<num>\d+)\b", re.IGNORECASE)
_CHAPTER = re.compile(r"\bkap(?:ittel|\.)?\s*(?P<ch>[IVXL]+|\d+[A-Z]?)\b")
# Mentions that are not the thing set aside: "jf. …", "med hjemmel i …", the trial's own §§.
_SKIP_BEFORE = re.compile(r"(?:\bjf\.?|\bjfr\.?|\bmed\s+hjemmel\s+i|\bi\s+medhold\s+av|"
                          r"\bhjemmel\s+i|\bi\s+tillegg\s+til|\bi\s+henhold\s+til)\s*$", re.IGNORECASE)
_OWN = re.compile(r"\b(?:vedtekten\w*|denne\s+forskrift\w*|forskriften|forskrifta|dette\s+reglement)\s*$",
                  re.IGNORECASE)
_NEGATED = re.compile(r"\b(berører|berøres|berørast|rører)\s+ikke|\bikke\s+berør", re.IGNORECASE)
_UNTIL = re.compile(rf"\b(?:gjelder|gjeld|varer|vare|løper|gjelde)\s+(?:fram\s+)?til\s+(?:og\s+med\s+)?"
                    rf"{_DATE}", re.IGNORECASE)
_UNTIL_YEAR = re.compile(r"\b(?:gjelder|gjeld|varer|vare)\s+(?:fram\s+)?til\s+(?:utgangen\s+av\s+)?"
                         r"(?:år(?:et)?\s+)?(?P<y>\d{4})\b", re.IGNORECASE)
_BUDGET_YEAR = re.compile(r"budsjett\w*\s*(?:og\s+regnskaps\w*\s*)?(?:året\s+)?(?P<y>(?:19|20)\d\d)", re.IGNORECASE)
_APPROVER = re.compile(r"(?:Stadfestet|Godkjent|stadfestet|godkjent)\s+(?:\d{1,2}\.\s*\w+\s+\d{4}\s+)?"
                       r"av\s+(?P<who>[A-ZÆØÅ][\w\-]*(?:[\s\-]+(?:og\s+)?[\w\-]+)*?"
                       r"(?:departementet|departement|Kongen|statsråd))")
_MADE_BY = re.compile(r"Fastsatt\s+(?:ved\s+\S+\s+)?(?:\d{1,2}\.\s*\w+\s+\d{4}\s+)?av\s+"
                      r"(?P<who>.+?)(?=\s+\d{1,2}\.\s*\w+\s+\d{4}|\s+med\s+hjemmel|[.;]|$)")
_APPLICANT = re.compile(r"(?P<name>[A-ZÆØÅ][\w\-]+(?:[ \-][A-ZÆØÅ][\w\-]+)*) +"
                        r"(?P<kind>fylkeskommune|kommune|herad|bydel)\b")
_TRIAL_WORDS = re.compile(r"\bforsøk|\bprøveordning|\bpilot|\bfrikommune|\bfrifylke|\bvedtekt", re.IGNORECASE)
_AMENDMENT = re.compile(r"^\s*(?:Forskrift|Vedtekter?)\s+(?:om\s+)?(?:endring|endringar|endringer|"
                        r"oppheving|forlengelse|forlenging)\b", re.IGNORECASE)
_KOSTRA = re.compile(r"KOSTRA|alternativ rapportering", re.IGNORECASE)
_STATE_WORDS = re.compile(r"departement|direktorat|Arbeids- og velferdsetaten|NAV|fylkesmann|"
                          r"statsforvalter|Helfo|Husbanken", re.IGNORECASE)


@dataclass
class SetAside:
    """One thing a trial sets aside, as written and (where certain) as the id it had then."""

    text: str                 # the citation as the trial writes it (short)
    source: str               # the node in the trial that says it
    target: str | None = None
    uncertain: bool = False
    reason: str | None = None  # why there is no id, or what is uncertain


@dataclass
class TrialRecord:
    id: str
    dokid: str
    title: str
    kind: str                                  # "forsøk" or "endring" (amends an earlier trial)
    applicants: list[str] = field(default_factory=list)
    applicant_kind: str | None = None          # kommune / fylkeskommune / statlig / None
    authority: list[str] = field(default_factory=list)
    approver: str | None = None
    made_by: str | None = None
    start: str | None = None                   # ISO dates
    end: str | None = None
    end_text: str | None = None                # "til departementet har fastsatt …" etc.
    published: str | None = None
    kostra: bool = False
    amends: list[str] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    none_reason: str | None = None             # why no set-aside provision could be read
    source_archive: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


# -- names -------------------------------------------------------------------------------------

def _norm_name(name: str) -> str:
    """'kommunelovens' / 'kommunelova' / 'Kommuneloven' → 'kommunelov'."""
    n = name.lower().strip().rstrip(".")
    n = re.sub(r"\s+(?:19|20)\d\d$", "", n)
    for suffix in ("ens", "as", "en", "a", "i", "s", "ene", "e"):
        if n.endswith(("lov" + suffix, "forskrift" + suffix)):
            return n[: -len(suffix)]
    return n


@dataclass
class NameTable:
    """Law names → document ids with the dates they applied, for reading a name as of a date."""

    entries: dict[str, list[tuple[str, str | None, str | None]]] = field(default_factory=dict)

    def add(self, name: str, doc_id: str, start: str | None, end: str | None) -> None:
        key = _norm_name(name)
        if not key or " " in key and not key.endswith(("lov", "forskrift")):
            return
        rows = self.entries.setdefault(key, [])
        if all(r[0] != doc_id for r in rows):
            rows.append((doc_id, start, end))

    def at(self, name: str, when: str | None) -> list[str]:
        """The documents that bore `name` on `when` (ISO date; None: any)."""
        rows = self.entries.get(_norm_name(name), [])
        if when is None:
            return sorted({r[0] for r in rows})
        return sorted({doc for doc, start, end in rows
                       if (start is None or start <= when) and (end is None or when < end)})


def name_table(docs: Iterable[tuple[str, str | None, str | None, str | None]],
               successions: Iterable[tuple[str, str | None, str | None, str]] = ()) -> NameTable:
    """Build the table from (doc_id, short title, abbreviation, date) and curated successions
    (old id, new id, repealed-from date, name such as 'kommuneloven 1992')."""
    table = NameTable()
    start_of: dict[str, str | None] = {}
    for doc_id, short, abbreviation, when in docs:
        start_of[doc_id] = _doc_date(doc_id)
        for name in (short, abbreviation):
            if name:
                table.add(name, doc_id, start_of[doc_id], None)
    ended: dict[str, str] = {}
    for old, new, since, name in successions:
        end = since or (_doc_date(new) if new else None)
        if end:
            ended[old] = end
        if name:
            table.add(name, old, _doc_date(old), end)
    # A current law's name did not mean it before it was made: its predecessor bore the name then.
    for rows in table.entries.values():
        for i, (doc_id, start, end) in enumerate(rows):
            rows[i] = (doc_id, start, end or ended.get(doc_id))
    return table


def _real_date(iso: str) -> bool:
    try:
        date.fromisoformat(iso)
    except ValueError:  # "0000-02-08" in old metadata
        return False
    return True


def _doc_date(doc_id: str | None) -> str | None:
    m = re.match(r"^(?:lov|forskrift)/(\d{4}-\d{2}-\d{2})", doc_id or "")
    return m.group(1) if m else None


# -- reading a trial ---------------------------------------------------------------------------

@dataclass
class _Block:
    node: str
    text: str
    section: str | None  # the trial's own § this text belongs to


def _iso(m: re.Match) -> str | None:
    try:
        return date(int(m["y"]), MONTHS[m["mon"].lower()], int(m["d"])).isoformat()
    except (KeyError, ValueError):
        return None


def _reading_order(nodes: list[tuple[str, str | None, str, str | None, int]]) -> list[_Block]:
    """(id, parent, kind, text, ord) rows → text blocks in reading order (depth first by ord)."""
    children: dict[str | None, list[tuple]] = {}
    for row in nodes:
        children.setdefault(row[1], []).append(row)
    for rows in children.values():
        rows.sort(key=lambda r: r[4])
    ids = {r[0] for r in nodes}
    roots = [r for r in nodes if r[1] is None or r[1] not in ids]
    roots.sort(key=lambda r: r[4])
    out: list[_Block] = []
    stack = list(reversed(roots))
    while stack:
        node_id, _parent, _kind, text, _ord = stack.pop()
        section = None
        m = re.search(r"/§([^/]+)", node_id)
        if m:
            section = m.group(1)
        if text:
            out.append(_Block(node_id, text, section))
        stack.extend(reversed(children.get(node_id, [])))
    return out


def _pinpoints(doc: str, tail: str) -> tuple[list[str], int]:
    """Parse "§ 3 første ledd og § 5", "§ 4 første ledd pkt. 3", "kap. XIII" after a citation.

    Returns the ids and how much of `tail` was read (0: nothing, the whole document is meant)."""
    ids: list[str] = []
    pos = 0
    m = re.match(r"\s*(?:\([^)]{1,40}\)\s*)?,?\s*", tail)
    start = m.end() if m else 0
    ch = _CHAPTER.match(tail, start)
    if ch:
        return [f"{doc}/kapittel/{ch['ch']}"], ch.end()
    sec = _SECTION.match(tail, start)
    while sec:
        nums = [sec["num"]]
        pos = sec.end()
        path, pos = _steps(tail, pos)
        ids.append(f"{doc}/§{nums[0]}{path}")
        # "§§ 3 og 5", "§ 3 første ledd og § 5", "§§ 6, 7 og 9"
        while True:
            ledd = _LEDD_LIST.match(tail, pos)
            if ledd:  # "§ 15, 1. og 2. ledd"
                ids.pop()
                ids.extend(f"{doc}/§{nums[0]}{path}/ledd/{n}"
                           for n in re.findall(r"\d+", ledd.group()))
                pos = ledd.end()
                continue
            skip = _AVSNITT.match(tail, pos)
            if skip:  # "2. og 3. avsnitt": punktum-level; the id stops at the level above
                pos = skip.end()
                continue
            nr = _MORE_NR.match(tail, pos)
            if nr and path.rsplit("/", 2)[-2:-1] == ["nummer"]:  # "§ 12 nr. 2 og nr. 5"
                ids.append(f"{doc}/§{nums[0]}{path.rsplit('/', 1)[0]}/{nr['num']}")
                pos = nr.end()
                continue
            more = _MORE.match(tail, pos)
            if not more:
                break
            pos = more.end()
            if (path.rsplit("/", 2)[-2:-1] == ["nummer"] and "," not in more.group()
                    and "§" not in more.group()):
                # "§ 21 nr. 1 og 2": nummer 2 of § 21 ("…, 24" starts a new §)
                ids.append(f"{doc}/§{nums[0]}{path.rsplit('/', 1)[0]}/{more['num']}")
                continue
            nums = [more["num"]]
            path, pos = _steps(tail, pos)
            ids.append(f"{doc}/§{more['num']}{path}")
        nxt = re.match(r"\s*(?:,|og|samt)\s*(?=§)", tail[pos:])
        if not nxt:
            break
        sec = _SECTION.match(tail, pos + nxt.end())
    return ids, pos


def _steps(tail: str, pos: int) -> tuple[str, int]:
    path = ""
    while True:
        step = _STEP.match(tail, pos)
        if not step:
            return path, pos
        if step["ord"]:
            path += f"/ledd/{_ORDINAL[step['ord'].lower()]}"
        elif step["nr"]:
            path += f"/nummer/{step['nr']}"
        else:
            path += f"/bokstav/{(step['b'] or step['b2']).lower()}"
        pos = step.end()


def _kind_before(text: str, at: int) -> str | None:
    """The document kind a dated citation belongs to: the nearest kind word before it."""
    heads = list(_HEAD_WORD.finditer(text, max(0, at - 90), at))
    if not heads:
        return None
    last = heads[-1].group().lower()
    return "lov" if "lov" in last and "forskrift" not in last else "forskrift"


def _citations(text: str, trial_date: str | None, names: NameTable, known: set[str],
               ) -> Iterator[tuple[str, str | None, bool, str | None]]:
    """(citation text, id or None, uncertain, reason) for each thing cited in `text`."""
    if not isinstance(known, KnownIds):
        known = KnownIds(known)
    spans: list[tuple[int, int, str | None, bool, str | None]] = []
    skipped_to = -1  # "i henhold til konsesjonsloven av … og lov av …": the chain is skipped too
    for m in _DATED.finditer(text):
        kind = _kind_before(text, m.start())
        if kind is None:
            continue
        heads = list(_HEAD_WORD.finditer(text, max(0, m.start() - 90), m.start()))
        start = heads[-1].start() if heads else m.start()
        if heads and not re.match(r"(?:av|fra|frå)\s", m.group(), re.IGNORECASE) and \
                text[heads[-1].end():m.start()].strip():
            continue  # "Forskriften trer i kraft 3. mai 1993": a date, not a citation
        if heads and _OWN.search(text[:heads[-1].end()]):
            continue
        chained = skipped_to >= 0 and re.fullmatch(r"[\s,]*(?:og|samt|eller)?[\s,]*(?:\w+loven\s+)?",
                                                   text[skipped_to:start]) is not None
        if (chained or _SKIP_BEFORE.search(text[:start])
                or _NEGATED.search(text[max(0, start - 60):start])):
            skipped_to = m.end()
            continue
        day = _iso(m)
        if day is None:
            continue
        if m["n"]:
            doc = f"{kind}/{day}-{int(m['n'])}"
            spans.append((start, m.end(), doc, False, None))
            continue
        same_day = known.on_day(kind, day)
        if kind == "lov" and f"lov/{day}" in known:
            spans.append((start, m.end(), f"lov/{day}", True,
                          "Loven er sitert uten nummer; id-en uten nummer er kjent fra dataene."))
        elif len(same_day) == 1:
            spans.append((start, m.end(), same_day[0], True,
                          "Sitert uten nummer; den eneste kjente med denne datoen."))
        else:
            reason = ("Sitert uten nummer, og ingen kjent id har denne datoen." if not same_day else
                      f"Sitert uten nummer, og {len(same_day)} kjente har denne datoen.")
            spans.append((start, m.end(), None, False, reason))
    taken = [(a, b) for a, b, *_ in spans]
    for m in _NAMED.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        name = m["name"]
        if text[m.start() - 1:m.start()] == "(" and text[m.end():m.end() + 1] == ")":
            continue  # "lov av … (delingsloven) § 4-2": the short name of the citation before it
        low = name.lower()
        if low.startswith(("denne", "forskrift", "lov")) or _norm_name(name) in ("lov", "forskrift"):
            continue
        if _SKIP_BEFORE.search(text[:m.start()]) or _NEGATED.search(text[max(0, m.start() - 60):m.end() + 40]):
            continue
        after = text[m.end():m.end() + 12]
        if re.match(r"\s+av\s+\d", after):
            continue  # dated citation handled above
        docs = names.at(name, trial_date)
        if len(docs) == 1:
            spans.append((m.start(), m.end(), docs[0], False, "navngitt"))
        elif not docs and names.at(name, None):
            spans.append((m.start(), m.end(), None, False,
                          f"«{name}» var ikke navnet på en kjent lov på forsøkets dato."))
        elif len(docs) > 1:
            spans.append((m.start(), m.end(), None, False, f"«{name}» kan bety flere lover."))
    spans.sort()
    for i, (start, end, doc, uncertain, reason) in enumerate(spans):
        limit = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        tail = text[end:limit]
        # Skip the title between the date/number and the §: "lov av … nr. 2 om tilskiping av jordbruk § 3"
        # The title between the number and the §: "om kartlegging, deling og registrering av
        # grunneiendom (delingsloven) § 4-2" — commas and a short name included when a § follows;
        # otherwise it ends at the first comma (what follows may be the next item).
        title = _TITLE_TO_SECTION.match(tail) or _TITLE.match(tail)
        skip = title.end() if title else 0
        written = text[start:end + skip].strip()
        if doc is None:
            yield written[:200], None, False, reason
            continue
        ids, used = _pinpoints(doc, tail[skip:])
        written = text[start:end + skip + used].strip().rstrip(",")
        named = reason == "navngitt"
        reason = None if named else reason
        if not ids and named:
            # "forvaltningslovens regler om begrunnelse": the law, but not which provisions.
            yield written[:200], None, False, (f"{doc} er nevnt uten paragraf; hvilke bestemmelser "
                                               f"som settes til side, står ikke.")
        elif not ids:
            yield written[:200], doc, uncertain, reason
        for one in ids:
            if is_valid_id(one):
                yield written[:200], one, uncertain, reason


def _sentence_scopes(blocks: list[_Block]) -> Iterator[tuple[_Block, str]]:
    """The pieces of text that set something aside: a sentence with a trigger word, or — when the
    sentence leads in to a list ("… følgende bestemmelser:") — the rest of that § of the trial."""
    for i, block in enumerate(blocks):
        for m in TRIGGER.finditer(block.text):
            ends = [e.end() for e in _SENTENCE_END.finditer(block.text, 0, m.start() + 1)
                    if e.end() <= m.start()]
            lo = ends[-1] if ends else 0
            hi_m = re.search(r"\.\s+(?=[A-ZÆØÅ])|\n", block.text[m.end():])
            hi = m.end() + hi_m.start() + 1 if hi_m else len(block.text)
            sentence = block.text[lo:hi]
            if _NEGATED.search(sentence):
                continue
            yield block, sentence
            if sentence.rstrip().endswith(":") or (hi_m is None and block.text.rstrip().endswith(":")):
                if block.text[hi:].strip():
                    yield block, block.text[hi:]  # the list in the same block, line by line
                for later in blocks[i + 1:]:
                    if later.section != block.section:
                        break
                    yield later, later.text


def read_trial(meta: dict, nodes: list[tuple], names: NameTable, known: set[str],
               authorities: Iterable[str]) -> TrialRecord:
    """One trial regulation → its record (pure: the store is read by the caller)."""
    title = meta.get("title") or ""
    misc = meta.get("misc_information") or ""
    rec = TrialRecord(id=meta["id"], dokid=meta.get("dokid") or meta["id"], title=title,
                      kind="endring" if _AMENDMENT.search(title) else "forsøk",
                      source_archive=meta.get("source_archive"),
                      published=meta.get("date_of_publication"))
    rec.amends = [d for d in meta.get("changes_to_documents") or [] if d != rec.id]
    rec.authority = sorted({b for b in meta.get("based_on") or []
                            for a in authorities if b == a or b.startswith(a + "/")
                            or a.startswith(b + "/")})
    rec.kostra = bool(_KOSTRA.search(title))
    # Who applied: "Steinkjer kommune", "Akershus fylkeskommune" in the title or virkeområde.
    places = "\n".join(x for x in (title, meta.get("applies_to") or "") if x)
    seen: list[str] = []
    for m in _APPLICANT.finditer(places):
        name = f"{m['name']} {m['kind']}"
        if name not in seen and not name.lower().startswith(("forskrift", "forsøk")):
            seen.append(name)
    rec.applicants = seen
    if seen:
        kinds = {("fylkeskommune" if s.endswith("fylkeskommune") else "kommune") for s in seen}
        rec.applicant_kind = kinds.pop() if len(kinds) == 1 else "flere"
    elif meta.get("applies_to"):
        rec.applicants = [meta["applies_to"].rstrip(".")]
    elif _STATE_WORDS.search(misc) and not re.search(r"kommunestyre|fylkesting|bystyre|herads", misc, re.IGNORECASE):
        rec.applicant_kind = "statlig"
    approved = _APPROVER.search(misc)
    made = _MADE_BY.search(misc)
    rec.made_by = made["who"].strip() if made else None
    rec.approver = approved["who"].strip() if approved else (
        rec.made_by if rec.made_by and _STATE_WORDS.search(rec.made_by) else None)
    # When: dateInForce, else the budget year; until: "gjelder til …" in the text.
    start = meta.get("date_in_force") or ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", start) and _real_date(start):
        rec.start = start
    blocks = _reading_order(nodes)
    text = "\n".join(b.text for b in blocks)
    budget = _BUDGET_YEAR.search(text) or _BUDGET_YEAR.search(start)
    if rec.kostra and budget or rec.start is None and budget:
        rec.start = f"{budget['y']}-01-01"
    until = _UNTIL.search(text)
    if until:
        rec.end = _iso(until)
    else:
        year = _UNTIL_YEAR.search(text)
        if year:
            rec.end = f"{year['y']}-12-31"
        elif rec.kostra and re.search(r"endelige?\s+(?:regnskaps)?forskrift", text, re.IGNORECASE):
            rec.end_text = "til departementet har fastsatt endelige forskrifter"
    when = rec.start or _doc_date(rec.id)
    seen_ids: set[tuple[str | None, str]] = set()
    for block, scope in _sentence_scopes(blocks):
        for written, target, uncertain, reason in _citations(scope, when, names, known):
            if target is not None and doc_of(target) == rec.id:
                continue
            if target is not None and rec.kind == "endring" and doc_of(target) in rec.amends:
                continue  # an amendment changing the trial's own text sets nothing aside
            key = (target, written if target is None else "")
            if key in seen_ids:
                continue
            seen_ids.add(key)
            rec.set_aside.append(SetAside(text=written, source=block.node, target=target,
                                          uncertain=uncertain, reason=reason))
    if not rec.set_aside:
        rec.none_reason = _why_none(rec, text)
    return rec


def _why_none(rec: TrialRecord, text: str) -> str:
    if rec.kind == "endring":
        return "Endrer et tidligere forsøk; setter ikke selv noe til side."
    if rec.kostra:
        return ("KOSTRA-forsøk: erstatter en budsjettforskrift som ikke ble kunngjort og ikke har "
                "Lovdata-id.")
    if TRIGGER.search(text):
        return "Teksten sier at noe settes til side, men navngir ingen bestemmelse med kjent id."
    return "Teksten navngir ingen bestemmelse som settes til side."


# -- the import pass ---------------------------------------------------------------------------

def trial_authorities(rulebook: object | None) -> list[str]:
    ids = [FORSOKSLOVEN]
    for authority in getattr(rulebook, "trial_authorities", list)():
        ids.append(authority.provision)
    return ids


def _is_candidate(meta: dict, authorities: list[str]) -> bool:
    based = meta.get("based_on") or []
    hits = [a for a in authorities for b in based
            if b == a or b.startswith(a + "/") or a.startswith(b + "/")]
    if not hits:
        return False
    if any(h == FORSOKSLOVEN for h in hits):
        return True
    # A sector authority often also holds ordinary regulation powers (arbeidsmarkedsloven § 12):
    # only a regulation that calls itself a trial is one.
    return bool(_TRIAL_WORDS.search(meta.get("title") or ""))


def find_trials(con: sqlite3.Connection, summary: Summary, rulebook: object | None = None) -> None:
    """Rebuild the ``trials`` table and the ``setter_til_side`` references for the whole store."""
    con.execute("DELETE FROM trials")
    con.execute("DELETE FROM refs WHERE derived = ?", (DERIVED,))
    # What the library covers (regulations as promulgated, per year), counted once here rather
    # than by a scan of every document in each process that lists trials (kb/store.py).
    years = count_promulgated_years(con)
    con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('promulgated_years', ?)",
                (json.dumps(years, sort_keys=True),))
    authorities = trial_authorities(rulebook)
    metas = [json.loads(raw) for (raw,) in con.execute(
        "SELECT meta FROM documents WHERE active = 1 AND kind = 'forskrift' AND "
        "(meta LIKE '%lov/1992-06-26-87%' OR meta LIKE '%forsøk%' OR meta LIKE '%Forsøk%')")]
    candidates = [m for m in metas if _is_candidate(m, authorities)]
    if not candidates:
        summary.notes["forsøksforskrifter"] += 0
        return
    names = _names(con, rulebook)
    known = _known_ids(con, rulebook)
    rows, refs = [], []
    for meta in candidates:
        nodes = con.execute("SELECT id, parent_id, kind, text, ord FROM nodes WHERE doc_id = ?",
                            (meta["id"],)).fetchall()
        rec = read_trial(meta, nodes, names, known, authorities)
        rows.append((rec.id, rec.kind, rec.start, rec.to_json()))
        for item in rec.set_aside:
            if item.target:
                refs.append((item.source, item.target, RefKind.SETS_ASIDE.value, item.text[:300],
                             rec.id, DERIVED))
    con.executemany("INSERT OR REPLACE INTO trials(doc_id, kind, start, data) VALUES (?,?,?,?)", rows)
    con.executemany("INSERT INTO refs(source, target, kind, text, doc_id, derived) "
                    "VALUES (?,?,?,?,?,?)", refs)
    con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('trials_extractor', ?)",
                (EXTRACTOR_VERSION,))
    summary.notes["forsøksforskrifter"] += len(rows)
    summary.notes["forsøk_tilsidesatte_bestemmelser"] += len(refs)


def _names(con: sqlite3.Connection, rulebook: object | None) -> NameTable:
    docs = [(d, s, a, w) for d, s, a, w in con.execute(
        "SELECT doc_id, title_short, abbreviation, date_in_force FROM documents WHERE active = 1 "
        "AND origin != 'lovtidend'")]
    successions = []
    if rulebook is not None:
        for doc_id in rulebook.builtin_document_ids():  # metadata only: no nodes unpickled
            meta = rulebook.builtin_meta(doc_id)
            docs.append((doc_id, meta.title_short, meta.abbreviation, None))
        for doc_id, aliases in rulebook.aliases().items():
            for alias in aliases:
                if " " not in alias.strip() or alias.lower().endswith(("loven", "lova")):
                    docs.append((doc_id, alias, None, None))
        for succ in rulebook.time.laws.values():
            successions.append((succ.old, succ.new, succ.since.isoformat() if succ.since else None,
                                succ.name))
    return name_table(docs, successions)


class KnownIds(set):
    """Document ids the data knows, with the ids of each date at hand: a regulation cited by
    date alone is looked up among that day's ids, not by a scan of all 21,000 (767 such
    citations in the shared archives made that scan 2.7 s of the import)."""

    def on_day(self, kind: str, day: str) -> list[str]:
        index = self.__dict__.get("_by_day")
        if index is None:
            index = {}
            for k in self:
                head, _, rest = k.partition("/")
                index.setdefault((head, rest[:10]), []).append(k)
            self.__dict__["_by_day"] = index
        return sorted(k for k in index.get((kind, day), ())
                      if k == f"{kind}/{day}" or k.startswith(f"{kind}/{day}-"))


def _known_ids(con: sqlite3.Connection, rulebook: object | None) -> KnownIds:
    """Every document id the data knows, as a document or as the target of a reference."""
    known = KnownIds(d for (d,) in con.execute("SELECT doc_id FROM documents"))
    for (target,) in con.execute("SELECT DISTINCT target FROM refs WHERE kind IN ('hjemmel', 'endrer')"):
        known.add(doc_of(target))
    if rulebook is not None:
        known.update(rulebook.builtin_document_ids())
        known.update(rulebook.time.laws)
    return known
