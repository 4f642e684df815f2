"""The search index behind `forslag`: BM25F over provisions (§§) of the current laws.

One unit per § of a current document, with fields of different weight: the § heading, its
context (chapter headings and the law's names), our summaries, our tag rationales, and the
statute text when it is imported. Index and query go through the same Norwegian analysis
(regelsjekk.forslag.stemming): stems, compound parts (weaker) and, on the query side, synonyms from
rules/synonymer.yaml (weaker still).

Why in memory and not SQLite FTS5: the store's FTS5 index holds every imported node (about
280,000, most of them historic Lovtidend texts) with the unicode61 tokenizer, which neither stems
nor splits compounds. An OR query over a handful of stems as prefixes costs 150–300 ms there,
before filtering to current law. The current-law part is small (with every shared archive
imported: about 13,000 nodes in some 5,000 §§), so it is read once per knowledge base and ranked
here in milliseconds. The index is built lazily (2–4 s) and cached per KnowledgeBase object.
"""

from __future__ import annotations

import math
import re
import struct
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from regelsjekk.core.model import NodeKind, Origin, Tag
from regelsjekk.forslag import stemming
from regelsjekk.rules.schema import FORSOKSLOVEN

if TYPE_CHECKING:
    from regelsjekk.core.model import Node
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.rules.rulebook import Rulebook

# Field weights and length normalisation (BM25F). Headings and our summaries are short and
# say what a § is about; rationales and statute text are long and say it in passing.
FIELDS: dict[str, tuple[float, float]] = {  # name -> (weight, b)
    "overskrift": (3.0, 0.3),
    "sammendrag": (2.0, 0.5),
    "stikkord": (2.0, 0.3),
    "begrunnelse": (1.0, 0.75),
    "lovtekst": (1.0, 0.75),
    "kapittel": (0.6, 0.3),
}
FIELD_BITS = {name: 1 << i for i, name in enumerate(FIELDS)}
K1 = 1.2
# Statute text is imported for some laws only. Scored in its own channel and mixed in at this
# weight, so a § with text gains from it without crowding out §§ of laws known only by our
# headings, summaries and rationales.
TEXT_MIX = 0.5
DOC_B = 0.75  # length normalisation of the law profiles
PART_WEIGHT = 0.5  # a compound's parts count half as much as the whole word

_AMENDING = re.compile(r"^(endringslov|endringsforskrift|lov om endring|forskrift om endring)",
                       re.IGNORECASE)


# Prior from curated tags: likely obstacles up (duties and organisation rules for the
# municipality, state control, task allocation; rights and procedure a bit less, since the
# checker will block them but the user must still see them), purpose/definition, penal and
# trial-authority sections down.
TAG_FACTOR: dict[Tag, float] = {
    Tag.ORGANISERING: 1.3, Tag.OPPGAVEFORDELING: 1.3, Tag.STATLIG_KONTROLL: 1.3,
    Tag.ENHETSFYLKE: 1.3, Tag.INDIVIDUELL_RETTIGHET: 1.15, Tag.INDIVIDUELL_PLIKT: 1.15,
    Tag.RETTSSIKKERHET: 1.15, Tag.FORVALTNINGSLOV_SAKSBEHANDLING: 1.15,
    Tag.KOMMUNELOV_GRUNNLEGGENDE: 1.15, Tag.PRIVAT_ATFERD: 1.0, Tag.OVERORDNET_RETT: 1.0,
    Tag.STRAFF: 0.6, Tag.SKATT_AVGIFT: 0.8, Tag.EGEN_FORSOKSHJEMMEL: 0.5,
    Tag.FORMAL_DEFINISJON: 0.35,
}
# Headings of sections that are never what an idea has to set aside (entry into force,
# transition, amendments of other laws, bare regulation-making powers), and of purpose and
# definition sections in laws nobody has curated.
_TECHNICAL = re.compile(r"ikraft|overgangs|endring(er|ar)? i andre lov|oppheving av andre lov"
                        r"|^\(?forskrift(er)?\)?\.?$|utfyllende forskrift|^\(?svalbard"
                        r"|^\(?(lovens )?(formål|definisjon(er)?|virkeområde)",
                        re.IGNORECASE)
TECHNICAL_FACTOR = 0.4


@dataclass
class Unit:
    """One § as the ranker sees it."""

    id: str
    doc_id: str
    heading: str | None
    has_text: bool = False
    fields: dict[str, Counter[str]] = field(default_factory=dict)  # words, then stems
    prior: float = 1.0  # from curated tags and the heading (see unit_prior)


class Posting(NamedTuple):  # a tuple: hundreds of thousands are built per index
    unit: int
    tf: float  # length-normalised, field-weighted term frequency (BM25F) in our own fields
    tf_text: float  # the same in the statute text (0 when the law's text is not imported)
    fields: int  # bit mask of the fields the stem occurs in

    def weight(self) -> float:
        """The saturated term weight: our fields, plus the statute text at TEXT_MIX."""
        w = self.tf / (K1 + self.tf) if self.tf else 0.0
        if self.tf_text:
            w += TEXT_MIX * self.tf_text / (K1 + self.tf_text)
        return w


def section_of(node_id: str) -> str | None:
    """'lov/x/§5-4/ledd/2' -> 'lov/x/§5-4'; None for nodes above § level."""
    parts = node_id.split("/", 3)
    if len(parts) >= 3 and parts[2].startswith("§"):
        return "/".join(parts[:3])
    return None


FORSKRIFT_FACTOR = 0.65


def unit_prior(unit: Unit, rb: Rulebook | None) -> float:
    """How likely a § is to be an obstacle, from its curated tags (nearest curated node in the
    built-in tree wins, as in the rulebook) and its heading. Inferred tags are not used: the
    prior must not rest on guesses, and inference over statute text is too slow to run for
    every candidate."""
    factor = 1.0
    tags = [et.tag for et in rb.curated_tags(unit.id, None)] if rb is not None else []
    if tags:
        fs = [TAG_FACTOR.get(t, 1.0) for t in tags]
        factor = max(1.0, *fs) * min(1.0, *fs)
    elif _TECHNICAL.search(unit.heading or ""):  # curated knowledge wins over the heading
        factor = TECHNICAL_FACTOR
    if unit.id.startswith("forskrift/"):
        # A forskrift fills in a law: where both match, the law's rule is the one to deviate from
        # first (and its § is what the forskrift is made under).
        factor *= FORSKRIFT_FACTOR
    return factor


class SynonymTable:
    """rules/synonymer.yaml as stems, indexed by each member's first stem."""

    def __init__(self, groups: list[list[str]]) -> None:
        self.groups: list[list[tuple[str, tuple[str, ...]]]] = []
        self.by_first: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for g in groups:
            members = [(m, stemming.phrase_stems(m)) for m in g]
            members = [(m, st) for m, st in members if st]
            gi = len(self.groups)
            self.groups.append(members)
            for mi, (_, st) in enumerate(members):
                self.by_first[st[0]].append((gi, mi))

    def stems(self) -> set[str]:
        return {s for g in self.groups for _, st in g for s in st}


class _Vocabulary:
    """The stems of the indexed words and of the synonyms (the decompounder's test), as the
    posting stems plus and minus two small sets rather than a set of its own: a compound split
    at a linking -s- posts a part no word has ("fartsregl" → "fart")."""

    def __init__(self, postings: dict[str, bytes], extra: frozenset[str],
                 posted_only: frozenset[str]) -> None:
        self._postings = postings
        self._extra = extra
        self._posted_only = posted_only

    def __contains__(self, stem: object) -> bool:
        if stem in self._postings:
            return stem not in self._posted_only
        return stem in self._extra


_POSTING = struct.Struct("<iddi")  # unit, tf, tf_text, field mask
_DOC_POSTING = struct.Struct("<id")  # law (index into doc_ids), normalised tf


class ProvisionIndex:
    """BM25F postings over the §§ of current law in one knowledge base.

    Kept compact, because a CLI call loads it from disk before its first query: each stem's
    postings are packed bytes (decoded for the stems a query asks for, then kept), the units are
    parallel lists, and idf is derived from a posting list's length when asked. Loading the index
    of the full import is then a few hundred thousand fewer objects (1.4 s -> tens of ms)."""

    def __init__(self, units: list[Unit], synonyms: list[list[str]] | None = None,
                 doc_context: dict[str, Counter[str]] | None = None) -> None:
        self.synonyms = SynonymTable(synonyms or [])
        vocabulary: set[str] = set(self.synonyms.stems())
        for u in units:
            for c in u.fields.values():
                vocabulary.update(stemming.stem(w) for w in c)
        decompounder = stemming.Decompounder(frozenset(vocabulary))
        _stem_fields(units, decompounder)
        self._raw = _pack_postings(units)
        self._extra_vocabulary = frozenset(vocabulary - self._raw.keys())
        self._posted_only = frozenset(self._raw.keys() - vocabulary)
        self.unit_ids = [u.id for u in units]
        self.unit_docs = [u.doc_id for u in units]
        self.unit_headings = [u.heading for u in units]
        self.unit_priors = [u.prior for u in units]
        self.unit_has_text = [u.has_text for u in units]
        self.unit_fields = [frozenset(u.fields) for u in units]
        self.doc_ids, self.unit_doc, self._raw_docs = _pack_documents(units, doc_context or {})
        self._setup()

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k in _STORED}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._setup()

    def _setup(self) -> None:
        """What is derived when the index is built or loaded (never pickled)."""
        self.by_id = {nid: i for i, nid in enumerate(self.unit_ids)}
        self.postings = _Postings(self._raw)
        self.vocabulary = _Vocabulary(self._raw, self._extra_vocabulary, self._posted_only)
        self.decompounder = stemming.Decompounder(self.vocabulary)
        self._decoded_docs: dict[str, list[tuple[int, float]]] = {}
        self._hits: dict[str, dict[int, Posting]] = {}

    @property
    def units(self) -> list[Unit]:
        """The units as objects (tests, the benchmark); the ranker reads the lists."""
        return [self.unit(i) for i in range(len(self.unit_ids))]

    def unit(self, i: int) -> Unit:
        return Unit(id=self.unit_ids[i], doc_id=self.unit_docs[i], heading=self.unit_headings[i],
                    has_text=self.unit_has_text[i], prior=self.unit_priors[i],
                    fields={f: Counter() for f in self.unit_fields[i]})

    def idf(self, stem: str) -> float:
        k = self.postings.count(stem)
        n = max(len(self.unit_ids), 1)
        return math.log(1 + (n - k + 0.5) / (k + 0.5))

    def doc_idf(self, stem: str) -> float:
        k = len(self._raw_docs.get(stem, b"")) // _DOC_POSTING.size
        n = max(len(self.doc_ids), 1)
        return math.log(1 + (n - k + 0.5) / (k + 0.5))

    def _doc_postings(self, stem: str) -> list[tuple[int, float]]:
        found = self._decoded_docs.get(stem)
        if found is None:
            found = self._decoded_docs[stem] = list(
                _DOC_POSTING.iter_unpack(self._raw_docs.get(stem, b"")))
        return found

    # -- querying -----------------------------------------------------------------------------

    def score_documents(self, weights: dict[str, float]) -> list[float]:
        """BM25 score per law (index into doc_ids) for the weighted query stems."""
        out = [0.0] * len(self.doc_ids)
        for s, qw in weights.items():
            found = self._doc_postings(s)
            if not found:
                continue
            idf = self.doc_idf(s)
            for d, tf in found:
                if tf:
                    out[d] += qw * idf * tf / (K1 + tf)
        return out

    def score(self, weights: dict[str, float]) -> dict[int, float]:
        """BM25F score per unit for weighted query stems (unknown stems are ignored)."""
        scores: dict[int, float] = defaultdict(float)
        for s, qw in weights.items():
            plist = self.postings.get(s)
            if not plist:
                continue
            idf = self.idf(s) * qw
            for p in plist:
                scores[p.unit] += idf * p.weight()
        return scores

    def hit(self, unit: int, s: str) -> Posting | None:
        found = self._hits.get(s)
        if found is None:
            found = self._hits[s] = {p.unit: p for p in self.postings.get(s) or ()}
        return found.get(unit)


# What a pickled index holds (the rest is derived by _setup).
_STORED = ("synonyms", "_raw", "_extra_vocabulary", "_posted_only", "unit_ids", "unit_docs", "unit_headings",
           "unit_priors", "unit_has_text", "unit_fields", "doc_ids", "unit_doc", "_raw_docs")


class _Postings:
    """stem -> list[Posting], decoded from packed bytes on first use."""

    def __init__(self, raw: dict[str, bytes]) -> None:
        self._raw = raw
        self._decoded: dict[str, list[Posting]] = {}

    def __contains__(self, stem: object) -> bool:
        return stem in self._raw

    def __len__(self) -> int:
        return len(self._raw)

    def count(self, stem: str) -> int:
        return len(self._raw.get(stem, b"")) // _POSTING.size

    def get(self, stem: str) -> list[Posting] | None:
        found = self._decoded.get(stem)
        if found is None:
            raw = self._raw.get(stem)
            if raw is None:
                return None
            found = self._decoded[stem] = [Posting._make(t) for t in _POSTING.iter_unpack(raw)]
        return found


def _stem_fields(units: list[Unit], decompounder: stemming.Decompounder) -> None:
    """Words -> stems, plus the parts of compounds at PART_WEIGHT."""
    for u in units:
        for name, words in u.fields.items():
            stems: Counter[str] = Counter()
            for w, n in words.items():
                s = stemming.stem(w)
                stems[s] += n
                for p in decompounder.parts(w):
                    if p != s:
                        stems[p] += PART_WEIGHT * n
            u.fields[name] = stems


def _pack_postings(units: list[Unit]) -> dict[str, bytes]:
    """BM25F postings per stem, packed (see ProvisionIndex)."""
    avg: dict[str, float] = {}
    for f in FIELDS:  # average length over the units that have the field
        lengths = [sum(u.fields[f].values()) for u in units if u.fields.get(f)]
        avg[f] = (sum(lengths) / len(lengths)) if lengths else 1.0
    postings: dict[str, list[bytes]] = defaultdict(list)
    for i, u in enumerate(units):
        norm = {}
        for f, counter in u.fields.items():
            w, b = FIELDS[f]
            length = sum(counter.values())
            norm[f] = w / (1 - b + b * length / avg[f])
        per_stem: dict[str, list[float | int]] = {}
        for f, counter in u.fields.items():
            slot = 1 if f == "lovtekst" else 0
            for s, tf in counter.items():
                acc = per_stem.setdefault(s, [0.0, 0.0, 0])
                acc[slot] += tf * norm[f]
                acc[2] |= FIELD_BITS[f]
        for s, (tf, tf_text, mask) in per_stem.items():
            postings[s].append(_POSTING.pack(i, float(tf), float(tf_text), int(mask)))
    return {s: b"".join(p) for s, p in postings.items()}


def _pack_documents(units: list[Unit], doc_context: dict[str, Counter[str]],
                    ) -> tuple[list[str], list[int], dict[str, bytes]]:
    """A profile per law: its names, chapter headings, § headings and our summaries.

    Ranking laws first tells which law an idea is about ("helse- og omsorgstjenester",
    "reguleringsplan"); a § in a law that fits the idea as a whole is a better candidate
    than a § with the same words in an unrelated law. Returns (law ids, each unit's law,
    packed (law, normalised tf) postings per stem)."""
    profiles: dict[str, Counter[str]] = defaultdict(Counter)
    for doc_id, c in doc_context.items():
        profiles[doc_id].update(c)
    for u in units:
        prof = profiles[u.doc_id]
        for f in ("overskrift", "sammendrag", "stikkord"):
            prof.update(u.fields.get(f, {}))
    doc_ids = sorted(profiles)
    position = {d: i for i, d in enumerate(doc_ids)}
    unit_doc = [position[u.doc_id] for u in units]
    n = max(len(doc_ids), 1)
    lengths = [sum(profiles[d].values()) for d in doc_ids]
    avg = sum(lengths) / n or 1.0
    packed: dict[str, list[bytes]] = defaultdict(list)
    for i, (d, length) in enumerate(zip(doc_ids, lengths)):
        norm = 1 - DOC_B + DOC_B * length / avg
        for t, tf in profiles[d].items():
            packed[t].append(_DOC_POSTING.pack(i, tf / norm))
    return doc_ids, unit_doc, {t: b"".join(p) for t, p in packed.items()}


# -- building from a knowledge base ---------------------------------------------------------------


def _add(unit: Unit, fieldname: str, text: str | None) -> None:
    """Collect words (stemmed once the vocabulary for compound splitting is known)."""
    if text:
        unit.fields.setdefault(fieldname, Counter()).update(stemming.content_words(text))


def _doc_names(kb: KnowledgeBase, doc_id: str) -> str:
    meta = kb.document(doc_id)
    names = [meta.title, meta.title_short or "", meta.abbreviation or ""] if meta else []
    if kb.rulebook is not None:
        names.extend(kb.rulebook.aliases().get(doc_id, []))
    return " ".join(names)


def eligible_documents(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """(built-in doc ids, imported consolidated doc ids) whose §§ may be suggested.

    Built-in documents are current by construction (rules/struktur comes from the consolidated
    data). From the import, only consolidated (gjeldende) documents qualify: a Lovtidend text is
    the text as promulgated, and nothing in it says whether it is still in force or how its §§
    are numbered today. Amending acts and local regulations are left out. Forsøksloven itself is
    the authority for trials, never an obstacle, so it is left out too.
    """
    builtin = [d.meta.id for d in kb.rulebook.builtin_documents()] if kb.rulebook else []
    known = set(builtin)
    imported: list[str] = []
    if kb.has_import:
        for meta in kb.documents():
            if meta.id in known or meta.origin != Origin.CONSOLIDATED or meta.local:
                continue
            if _AMENDING.match(meta.title_short or "") or _AMENDING.match(meta.title or ""):
                continue
            imported.append(meta.id)
    return [d for d in builtin if d != FORSOKSLOVEN], sorted(imported)


def build_index(kb: KnowledgeBase) -> ProvisionIndex:
    """Read the §§ of every eligible document with headings, summaries, rationales and text."""
    builtin_ids, imported_ids = eligible_documents(kb)
    rb = kb.rulebook
    summaries = rb.summaries() if rb else {}
    keywords = rb.keywords() if rb else {}
    repealed = rb.repealed if rb else frozenset()
    rationales: dict[str, list[str]] = defaultdict(list)  # by § (or chapter/part) id
    if rb is not None:
        for a in rb.assignments():
            rationales[section_of(a.node_id) or a.node_id].append(a.rationale)
    builtin_docs = {d.meta.id: d for d in rb.builtin_documents()} if rb else {}

    units: list[Unit] = []
    doc_context: dict[str, Counter[str]] = {}
    for doc_id in builtin_ids + imported_ids:
        names = _doc_names(kb, doc_id)
        if doc_id in builtin_docs:  # current structure; text only if the import has the law
            structure = builtin_docs[doc_id].nodes
            text_nodes = kb.nodes_of(doc_id) if _from_import(kb, doc_id) else []
        else:
            structure = text_nodes = kb.nodes_of(doc_id)
        units.extend(_units_of(doc_id, structure, text_nodes, names, summaries, keywords,
                               rationales, repealed))
        context = [names] + [n.heading or "" for n in structure
                             if n.kind in (NodeKind.PART, NodeKind.CHAPTER)]
        doc_context[doc_id] = Counter(stemming.stems(" ".join(context)))  # no parts: names
    for u in units:
        u.prior = unit_prior(u, rb)
    return ProvisionIndex(units, rb.synonyms() if rb is not None else [], doc_context)


def _from_import(kb: KnowledgeBase, doc_id: str) -> bool:
    meta = kb.document(doc_id)
    return meta is not None and meta.origin != Origin.BUILTIN


def _units_of(doc_id: str, structure: list[Node], text_nodes: list[Node], names: str,
              summaries: dict[str, str], keywords: dict[str, list[str]],
              rationales: dict[str, list[str]], repealed: frozenset[str]) -> list[Unit]:
    by_id = {n.id: n for n in structure}
    units: dict[str, Unit] = {}
    for n in structure:
        if n.kind != NodeKind.SECTION or n.id in repealed or _is_repealed_heading(n.heading):
            continue
        u = Unit(id=n.id, doc_id=doc_id, heading=n.heading)
        _add(u, "overskrift", n.heading)
        context = [names]
        parent = by_id.get(n.parent_id) if n.parent_id else None
        while parent is not None and parent.kind != NodeKind.DOCUMENT:
            context.append(parent.heading or "")
            context.append(summaries.get(parent.id, ""))
            context.extend(rationales.get(parent.id, ()))  # what the chapter is about
            parent = by_id.get(parent.parent_id) if parent.parent_id else None
        _add(u, "kapittel", " ".join(context))
        for r in rationales.get(n.id, ()):
            _add(u, "begrunnelse", r)
        units[n.id] = u
    for nid, text in summaries.items():
        sec = section_of(nid)
        if sec in units:
            _add(units[sec], "sammendrag", text)
    for nid, terms in keywords.items():
        if nid in units:
            _add(units[nid], "stikkord", " ".join(terms))
    for n in text_nodes:
        sec = section_of(n.id)
        if sec in units and n.text:
            _add(units[sec], "lovtekst", n.text)
            units[sec].has_text = True
    return list(units.values())


def _is_repealed_heading(heading: str | None) -> bool:
    h = (heading or "").strip(" ().").lower()
    return h in ("opphevet", "oppheva", "opphevd")


def index_for(kb: KnowledgeBase) -> ProvisionIndex:
    """The index of one knowledge base: from the disk cache when rules/, the store and this code
    are unchanged (built once, loaded in a fraction of the time), else built and cached; kept with
    the knowledge base (thread-safe)."""
    return kb.derived("forslag", lambda: _cached_index(kb))


_CODE = [Path(__file__).resolve().parent / n for n in ("index.py", "stemming.py")]


def _cached_index(kb: KnowledgeBase) -> ProvisionIndex:
    from regelsjekk.core.paths import derived_cache_file, load_cached, store_cached

    target = derived_cache_file("forslag", kb, _CODE)
    index = load_cached(target)
    if isinstance(index, ProvisionIndex):
        return index
    index = build_index(kb)
    store_cached(target, index)
    return index
