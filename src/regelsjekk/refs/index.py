"""The title index: every name a document is known by, precomputed once per knowledge base.

Lookup order, cheapest and safest first: the exact normalised name (titles, short titles,
abbreviations, names in parentheses in the title, aliases from rules/aliases.yaml), then the same
with the bokmål/nynorsk/genitive ending folded (``name_stem``), and only then a fuzzy match
(rapidfuzz ``fuzz.ratio`` over pre-normalised strings, ``processor=None``, with a score cutoff).
Abbreviations and other short names are never matched fuzzily: "kl" must not become "fl".
"""

from __future__ import annotations

import bisect
import math
import pickle
import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from regelsjekk.core.model import DocumentMeta
from regelsjekk.refs.normalize import name_stem, normalize_name

if TYPE_CHECKING:
    from regelsjekk.kb.knowledge import KnowledgeBase

FUZZY_MIN_LENGTH = 6  # names shorter than this (abbreviations) match exactly or not at all
FUZZY_ACCEPT = 90.0  # a fuzzy match at or above this, clearly ahead of the next, is taken
FUZZY_MARGIN = 3.0
FUZZY_SUGGEST = 72.0  # below acceptance but above this: offered as "mente du …?"

_PAREN = re.compile(r"[(\[]([^()\[\]]{2,80})[)\]]")
_ABOUT_OTHER = re.compile(r"\bendring(?:er|ar)?\s+i\b|\b(?:lov|forskrift)\s+(?:av\s+)?\d|\b(?:til|etter)\s+"
                          r"(?:lov|forskrift)\b|\boppheving\b|\bikraftsetting\b", re.I)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE_FORM = re.compile(r"\s*\((?:bokmål|nynorsk)\)\s*$", re.I)  # "Grunnloven (nynorsk)"


@dataclass(slots=True)
class DocInfo:
    """What the index knows of one document, even one that is only named in aliases.yaml."""

    doc_id: str
    in_kb: bool  # False: known by name (aliases.yaml) but not in the knowledge base
    display: str  # "kommuneloven", for messages and suggestions
    names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class NameMatch:
    docs: tuple[str, ...]
    how: str  # "eksakt" | "bøyning" | "fuzzy"
    score: float
    matched: str  # the index key that matched


def split_short_title(short: str) -> tuple[str, str | None]:
    """'Forvaltningsloven – fvl' -> ('Forvaltningsloven', 'fvl'); long tails stay in the name."""
    for sep in (" – ", " - ", " — "):
        if sep in short:
            head, tail = short.rsplit(sep, 1)
            tail = tail.strip()
            if tail and " " not in tail.strip(".") and "," not in tail:
                return head.strip(), tail
    return short.strip(), None


def display_name(meta: DocumentMeta) -> str:
    """The name lawyers use: the short title without abbreviation and without '(bokmål)'."""
    if meta.title_short:
        head, _ = split_short_title(meta.title_short)
        head = _LANGUAGE_FORM.sub("", head)
        is_act = " " not in head or re.search(r"(?:lov|loven|lova|lovi)$", head) is not None
        if head and head[0].isupper() and head[1:2].islower() and is_act \
                and not head.lower().startswith("grunnlov"):
            # "Kommuneloven" -> "kommuneloven", "Plan- og bygningsloven" -> "plan- og bygningsloven"
            return head[0].lower() + head[1:]
        return head
    m = _PAREN.search(meta.title)
    if m and len(m.group(1).split()) <= 3 and re.search(r"lov|forskrift", m.group(1), re.I):
        return m.group(1)
    return meta.title


def names_of(meta: DocumentMeta) -> list[str]:
    """Every name a document's metadata gives it."""
    out = [meta.title]
    without = _PAREN.sub(" ", meta.title).strip()
    if without != meta.title:
        out.append(without)
    # "(kommuneloven)" names the document itself, unless the title is about another act
    # ("Lov om endringer i lov 26. mars 1999 nr. 14 om skatt … (skatteloven)").
    if not _ABOUT_OTHER.search(meta.title):
        for inner in _PAREN.findall(meta.title):
            own_kind = (r"forskrift|reglement|instruks" if meta.id.startswith("forskrift/")
                        else r"lov|lova|loven|lovi")
            if re.search(own_kind, inner, re.I) and len(inner.split()) <= 4:
                out.append(inner)
    if meta.title_short:
        out.append(meta.title_short)
        head, abbr = split_short_title(meta.title_short)
        out.append(head)
        plain = _LANGUAGE_FORM.sub("", head)
        if plain != head:
            out.append(plain)
        if abbr:
            out.append(abbr)
    if meta.abbreviation:
        out.extend(a for a in re.split(r"[,;]", meta.abbreviation) if a.strip())
    return out


class TitleIndex:
    """Names -> document ids for one knowledge base (build once, query many times)."""

    def __init__(self, metas: list[DocumentMeta], aliases: dict[str, list[str]] | None = None) -> None:
        self.docs: dict[str, DocInfo] = {}
        exact: dict[str, set[str]] = defaultdict(set)
        stem: dict[str, set[str]] = defaultdict(set)
        self.by_date: dict[tuple[str, str], list[str]] = defaultdict(list)
        for meta in metas:
            info = DocInfo(meta.id, True, display_name(meta), names_of(meta))
            self.docs[meta.id] = info
            kind, _, rest = meta.id.partition("/")
            self.by_date[(kind, rest[:10])].append(meta.id)
        for doc_id, extra in (aliases or {}).items():
            info = self.docs.get(doc_id)
            if info is None:
                info = self.docs[doc_id] = DocInfo(doc_id, False, extra[0] if extra else doc_id)
            info.names.extend(extra)
        for info in self.docs.values():
            for name in info.names:
                key = normalize_name(name)
                if key:
                    exact[key].add(info.doc_id)
                    stem[name_stem(key)].add(info.doc_id)
        self.exact = {k: tuple(sorted(v)) for k, v in exact.items()}
        # The longest exact key: a text much longer than this cannot be a name, so callers that
        # try many cuts of one text (refs.resolve._titled_reference) need only look near it.
        self.longest_name = max((len(k) for k in self.exact), default=0)
        self.stem = {k: tuple(sorted(v)) for k, v in stem.items()}
        # Sorted by length: a ratio of at least c needs the lengths within a window (see _window),
        # so each fuzzy query scores only the keys that can reach the cutoff.
        fuzzy_keys = sorted((k for k in self.stem if len(k) >= FUZZY_MIN_LENGTH), key=len)
        self.fuzzy_keys = fuzzy_keys
        self.fuzzy_docs = [self.stem[k] for k in fuzzy_keys]
        self._lengths = [len(k) for k in fuzzy_keys]

    def __len__(self) -> int:
        size = self.__dict__.get("_size")  # a loaded index: without unpickling the documents
        return size if size is not None else len(self.docs)

    # Pickled (the disk cache every CLI call loads) in parts: the exact names at once, every
    # other table as its own pickle, unpickled when first used (most citations are found by
    # their exact name: the folded names, the fuzzy keys and the dates are then never read);
    # the documents as plain tuples, three times faster to unpickle than 21,000 slotted objects.
    _LAZY = ("docs", "stem", "by_date", "fuzzy_keys", "fuzzy_docs", "_lengths")

    def __getstate__(self) -> dict:
        for name in self._LAZY:
            getattr(self, name)  # a loaded index pickled again: load every part first
        state = {k: v for k, v in self.__dict__.items() if k not in self._LAZY and k != "_parts"}
        state["_size"] = len(self.docs)
        parts = {name: getattr(self, name) for name in self._LAZY}
        parts["docs"] = {k: (v.in_kb, v.display, tuple(v.names)) for k, v in self.docs.items()}
        state["_parts"] = {k: pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)
                           for k, v in parts.items()}
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> object:
        parts = self.__dict__.get("_parts")
        if parts is None or name not in parts:
            raise AttributeError(name)
        with _PARTS_LOCK:
            if name not in self.__dict__:
                value = pickle.loads(parts[name])  # our own cache file (core.paths.load_cached)
                self.__dict__[name] = _DocTable(value) if name == "docs" else value
        return self.__dict__[name]

    def lookup(self, name: str, fuzzy: bool = True) -> NameMatch | None:
        """The best match for a name, or None. Exact and folded matches come before fuzzy ones."""
        key = normalize_name(name)
        if not key:
            return None
        if key in self.exact:
            return NameMatch(self.exact[key], "eksakt", 100.0, key)
        skey = name_stem(key)
        if skey in self.stem:
            return NameMatch(self.stem[skey], "bøyning", 100.0, skey)
        if not fuzzy or len(skey) < FUZZY_MIN_LENGTH:
            return None
        hits = self._extract(skey, FUZZY_ACCEPT, 8)
        if not hits:
            return None
        best_key, best, idx = hits[0]
        docs = set(self.fuzzy_docs[idx])
        for other_key, score, j in hits[1:]:
            if set(self.fuzzy_docs[j]) <= docs:
                continue
            if score > best - FUZZY_MARGIN:
                return None  # two different documents about equally close: not a match
            break
        return NameMatch(tuple(sorted(docs)), "fuzzy", best, best_key)

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Document ids whose names are close to ``name`` (for "mente du …?")."""
        key = name_stem(normalize_name(name))
        if not key:
            return []
        out: list[str] = []
        if len(key) < FUZZY_MIN_LENGTH:
            # Short input: only names that start with it (abbreviations, "kommunel…").
            for k, docs in self.stem.items():
                if k.startswith(key) and len(k) <= len(key) + 12:
                    out.extend(d for d in docs if d not in out)
                if len(out) >= limit:
                    break
            return out[:limit]
        for _k, _score, idx in self._extract(key, FUZZY_SUGGEST, limit * 3):
            for d in self.fuzzy_docs[idx]:
                if d not in out:
                    out.append(d)
        return out[:limit]

    def _extract(self, key: str, cutoff: float, limit: int) -> list[tuple[str, float, int]]:
        """rapidfuzz over the keys whose length can reach ``cutoff``; indexes into fuzzy_keys.

        fuzz.ratio is 100 * (1 - d / (la + lb)) with d >= |la - lb|, so a score of c% needs
        lb between la * c / (200 - c) and la * (200 - c) / c.
        """
        la = len(key)
        lo = bisect.bisect_left(self._lengths, math.floor(la * cutoff / (200 - cutoff)))
        hi = bisect.bisect_right(self._lengths, math.ceil(la * (200 - cutoff) / cutoff))
        hits = process.extract(key, self.fuzzy_keys[lo:hi], scorer=fuzz.ratio, processor=None,
                               score_cutoff=cutoff, limit=limit)
        return [(k, score, lo + i) for k, score, i in hits]

    def by_kind_date(self, kind: str, iso_date: str) -> list[str]:
        return list(self.by_date.get((kind, iso_date), []))


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


_PARTS_LOCK = threading.Lock()


class _DocTable(Mapping[str, DocInfo]):
    """doc id -> DocInfo over the tuples a pickled TitleIndex holds (made on first access)."""

    def __init__(self, rows: dict[str, tuple[bool, str, tuple[str, ...]]]) -> None:
        self._rows = rows
        self._made: dict[str, DocInfo] = {}

    def __getitem__(self, doc_id: str) -> DocInfo:
        info = self._made.get(doc_id)
        if info is None:
            in_kb, display, names = self._rows[doc_id]
            info = self._made[doc_id] = DocInfo(doc_id, in_kb, display, list(names))
        return info

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def title_index(kb: KnowledgeBase) -> TitleIndex:
    """The index of a knowledge base, built on first use and kept as long as the kb lives."""
    index = _CACHE.get(kb)
    if index is None:
        index = _CACHE[kb] = _cached_title_index(kb)
    return index


_CODE = [Path(__file__).resolve().parent / n for n in ("index.py", "normalize.py")]


def _cached_title_index(kb: KnowledgeBase) -> TitleIndex:
    """Built from every document's names once per store and rules/ version, then loaded from the
    cache: reading 17,000 documents' metadata on every CLI call cost seconds."""
    from regelsjekk.core.paths import derived_cache_file, load_cached, store_cached

    target = derived_cache_file("navn", kb, _CODE)
    index = load_cached(target)
    if isinstance(index, TitleIndex):
        return index
    aliases = {}
    rulebook = getattr(kb, "rulebook", None)
    if rulebook is not None and hasattr(rulebook, "aliases"):
        aliases = rulebook.aliases()
    index = TitleIndex(list(kb.documents()), aliases)
    store_cached(target, index)
    return index
