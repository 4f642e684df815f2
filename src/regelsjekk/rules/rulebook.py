"""The rulebook: everything in rules/ loaded, validated and ready for the knowledge base.

rules/ is data that lawyers edit: the built-in structure of the laws a municipality meets most
(struktur/), curated tags per law (lover/), the tag vocabulary (tags.yaml), forsøksloven's
conditions (forsoksloven.yaml), the sector laws' own trial authorities (hjemler.yaml), text
patterns for inference (inferens.yaml), aliases and synonyms. Tag semantics: tags are inherited
downwards and the nearest node (self or ancestor) with curated entries wins wholly; curated beats
inferred; an untagged provision is uavklart. Parsed files are cached by modification time, so
loading the rulebook again in the same process is nearly free.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import weakref
from collections import defaultdict
from pathlib import Path
from typing import Any

from regelsjekk.core import paths
from regelsjekk.core.ids import InvalidId, doc_of, parse_id
from regelsjekk.core.model import (
    Confidence,
    Document,
    DocumentMeta,
    EffectiveTag,
    Node,
    NodeKind,
    NodeLookup,
    RuleRef,
    STRUCTURAL_KINDS,
    Tag,
    TagAssignment,
    TagSource,
)
from regelsjekk.rules.inference import InferenceHit, Inferencer
from regelsjekk.rules.schema import (
    Approver,
    Arrangement,
    AuthorityLimit,
    Condition,
    CuratedFile,
    DagensReglerFile,
    FalseFriend,
    ForsoksFile,
    HjemlerFile,
    InferensFile,
    OmraderFile,
    PraksisFile,
    Precedent,
    Purpose,
    RulesError,
    SectionSuccession,
    Succession,
    TagDefinition,
    TagsFile,
    TidFile,
    TimeRules,
    TrialArea,
    TrialAuthority,
    TrialConditions,
    YamlFile,
)
from regelsjekk.rules.struktur import read_structure

__all__ = [
    "Approver", "Condition", "FalseFriend", "Rulebook", "RulesError", "Succession",
    "TagDefinition", "TimeRules", "TrialAuthority", "TrialConditions", "load_rulebook",
]

_CONF_RANK = {Confidence.HIGH: 0, Confidence.MEDIUM: 1, Confidence.LOW: 2}
_file_cache: dict[Path, tuple[tuple[int, int], Any]] = {}
_HERE = Path(__file__).resolve().parent
# The code whose output is cached on disk (see _disk_cache_file).
_PARSER_CODE = [_HERE / "rulebook.py", _HERE / "schema.py", _HERE / "struktur.py",
                _HERE / "inference.py", _HERE.parent / "core" / "model.py",
                _HERE.parent / "core" / "ids.py"]
_book_cache: dict[Path, tuple[tuple, Rulebook]] = {}
_lock = threading.Lock()


def _cached(path: Path, name: str, parse: Any, raw: bool = False) -> Any:
    """Parse a file once per (mtime, size); parse(YamlFile) -> value (or parse(path, name))."""
    st = path.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _file_cache.get(path)
    if hit and hit[0] == stamp:
        return hit[1]
    value = _disk_cache_load(path, stamp)
    if value is None:
        value = parse(path, name) if raw else parse(YamlFile(path, name))
        _disk_cache_store(path, stamp, value)
    _file_cache[path] = (stamp, value)
    return value


def _disk_cache_file(path: Path, stamp: tuple[int, int]) -> Path | None:
    """Where the parsed form of one rules file is kept between processes (YAML parsing and
    validation are most of a cold start). Keyed by the file's path, mtime and size and by the
    code that parses it, so an edit to either makes a new entry."""
    return _code_keyed("regler", f"{path.resolve()}|{stamp}")


def _code_keyed(folder_name: str, what: str) -> Path | None:
    """A cache file in folder_name named by `what` and the code that builds what is cached."""
    folder = paths.cache_dir()
    if folder is None:
        return None
    code = "".join(f"{f.stat().st_mtime_ns}:{f.stat().st_size};" for f in _PARSER_CODE)
    key = hashlib.sha256(f"{what}|{code}".encode()).hexdigest()[:24]
    return folder / folder_name / f"{key}.pickle"


def _disk_cache_load(path: Path, stamp: tuple[int, int]) -> Any:
    return paths.load_cached(_disk_cache_file(path, stamp))


def _disk_cache_store(path: Path, stamp: tuple[int, int], value: Any) -> None:
    paths.store_cached(_disk_cache_file(path, stamp), value)


def _signature(rules_dir: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in rules_dir.rglob("*.yaml")))


def load_rulebook(rules_dir: Path) -> Rulebook:
    """The rulebook in rules_dir; raises RulesError (file, line, key, Norwegian message)."""
    rules_dir = Path(rules_dir).resolve()
    if not rules_dir.is_dir():
        raise RulesError(str(rules_dir), None, None, "fant ikke regelmappen.",
                         "oppgi mappen med --regler eller REGELSJEKK_RULES.")
    with _lock:
        sig = _signature(rules_dir)
        hit = _book_cache.get(rules_dir)
        if hit and hit[0] == sig:
            return hit[1]
        # The whole rulebook from one file on disk (one load instead of 130 files and the indexes
        # built again): keyed by every rules file and the code that reads them.
        target = _book_cache_file(rules_dir, sig)
        book = paths.load_cached(target)
        if not isinstance(book, Rulebook):
            book = Rulebook(rules_dir)
            paths.store_cached(target, book)
        _book_cache[rules_dir] = (sig, book)
        return book


def _book_cache_file(rules_dir: Path, sig: tuple) -> Path | None:
    return _code_keyed("regelbok", f"{rules_dir}|{sig}")


# -- curated files (rules/lover) -----------------------------------------------------------------


class CuratedLaw:
    """One parsed rules/lover file with the rule reference of every entry."""

    def __init__(self, yf: YamlFile) -> None:
        self.file = yf.validate(CuratedFile)
        self.name = yf.name
        self.assignments: list[TagAssignment] = []
        self.entry_rules: list[RuleRef] = []
        for i, entry in enumerate(self.file.tagger):
            rule = yf.rule(("tagger", i))
            self.entry_rules.append(rule)
            if doc_of(entry.id) != self.file.dokument:
                raise yf.error(("tagger", i, "id"),
                               f"«{entry.id}» hører ikke til {self.file.dokument}.",
                               "hver fil i rules/lover gjelder én lov; flytt oppføringen.")
            for tag in entry.tagger:
                self.assignments.append(TagAssignment(
                    node_id=entry.id, tag=tag, source=TagSource.CURATED,
                    rationale=(entry.begrunnelse or "").strip(), confidence=entry.sikkerhet,
                    reviewed=entry.vurdert or self.file.vurdert, rule=rule))
        self.summaries, self.summary_rules = _per_node(
            yf, "sammendrag", self.file.sammendrag, _one_line)
        self.keywords, self.keyword_rules = _per_node(
            yf, "stikkord", self.file.stikkord, lambda terms: [_one_line(t) for t in terms])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _per_node(yf: YamlFile, section: str, entries: dict[str, Any], clean: Any,
              ) -> tuple[dict[str, Any], dict[str, RuleRef]]:
    """A mapping keyed by node id (sammendrag, stikkord): cleaned values and each entry's rule
    reference, both under the canonical id; an invalid id is an error at its key."""
    values: dict[str, Any] = {}
    rules: dict[str, RuleRef] = {}
    for key, value in entries.items():
        try:
            nid = str(parse_id(key))
        except InvalidId as exc:
            raise yf.error((section, key), str(exc)) from None
        values[nid] = clean(value)
        rules[nid] = yf.rule((section, key))
    return values, rules


# -- the rulebook ---------------------------------------------------------------------------------


class Rulebook:
    """All of rules/, validated. Construct through load_rulebook (cached)."""

    def __init__(self, rules_dir: Path, errors: list[RulesError] | None = None) -> None:
        """Load every file; with ``errors`` given, collect file errors there instead of raising."""
        self.rules_dir = rules_dir
        self._errors = errors
        # What a report cites as the version of the rules: a hash of every rules file's content.
        digest = hashlib.sha256()
        for path in sorted(rules_dir.rglob("*.yaml")):
            digest.update(path.relative_to(rules_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
        self.version = digest.hexdigest()[:12]

        def load(path: Path, parse: Any, raw: bool = False) -> Any:
            name = path.relative_to(rules_dir).as_posix()
            try:
                return _cached(path, name, parse, raw)
            except RulesError as exc:
                if errors is None:
                    raise
                errors.append(exc)
                return None

        struktur = rules_dir / "struktur"
        docs = [load(p, read_structure, True) for p in sorted(struktur.glob("*.yaml"))
                if p.name != "LISTE.yaml"] if struktur.is_dir() else []
        # Shallow copies: the parsed files are cached and shared, and _index adds nodes.
        self._documents: list[Document] = [
            Document.model_construct(meta=d[0].meta, nodes=list(d[0].nodes), references=[])
            for d in docs if d is not None]
        self.repealed: frozenset[str] = frozenset().union(*(d[1] for d in docs if d is not None))
        # Curated laws (rules/lover/) and central regulations (rules/forskrifter/), one file each.
        curated_files = [*sorted((rules_dir / "lover").glob("*.yaml")),
                         *sorted((rules_dir / "forskrifter").glob("*.yaml"))]
        laws = [c for c in (load(p, CuratedLaw) for p in curated_files) if c is not None]
        self._laws_at: dict[int, CuratedLaw] = dict(enumerate(laws))
        # A forskrift's hjemmel (curated) becomes its document's based_on: the graph's hjemmel edge.
        hjemmel = {c.file.dokument: c.file.hjemmel for c in laws if c.file.hjemmel}
        self._documents = [
            Document.model_construct(meta=d.meta.model_copy(update={"based_on": hjemmel[d.meta.id]}),
                                     nodes=d.nodes, references=d.references)
            if d.meta.id in hjemmel else d for d in self._documents]
        self._tag_defs = self._load_optional("tags.yaml", load, self._parse_tags) or {}
        self._authorities = self._load_optional("hjemler.yaml", load, self._parse_hjemler)
        self._conditions = self._load_optional("forsoksloven.yaml", load, self._parse_forsok)
        self.inferencer: Inferencer | None = self._load_optional(
            "inferens.yaml", load, lambda yf: Inferencer.from_file(yf, yf.validate(InferensFile)))
        self._aliases, self.alias_rules = (
            self._load_optional("aliases.yaml", load, self._parse_aliases) or ({}, {}))
        self._synonyms = self._load_optional("synonymer.yaml", load, self._parse_synonyms) or []
        self.time: TimeRules = self._load_optional("tid.yaml", load, self._parse_tid) or TimeRules()
        self.arrangements: list[Arrangement] = self._load_optional(
            "dagens_regler.yaml", load, self._parse_arrangements) or []
        self.precedents: list[Precedent] = self._load_optional(
            "praksis.yaml", load, self._parse_precedents) or []
        self.trial_areas: list[TrialArea] = self._load_optional(
            "forsoksomrader.yaml", load, self._parse_areas) or []
        self._index()
        self._infer_cache: weakref.WeakKeyDictionary[Any, dict[str, list[EffectiveTag]]] = (
            weakref.WeakKeyDictionary())
        self._no_kb_cache: dict[str, list[EffectiveTag]] = {}

    # -- pickling: the per-document parts load on first use ------------------------------------
    #
    # Most of the rulebook is per document: the built-in structure of 62 laws and regulations
    # (16,000 nodes) and their curated tags. A lookup or a check reads one or two of them, so the
    # cached rulebook keeps each document's part as its own pickle, unpickled when a node of that
    # document is first asked for (_ensure). Everything else (tags, authorities, time rules,
    # aliases, summaries) loads at once.

    def __getstate__(self) -> dict[str, Any]:
        self._ensure_all()
        state = self.__dict__.copy()
        state["_infer_cache"] = None  # per-process caches (a weak dictionary cannot be pickled)
        state["_no_kb_cache"] = {}
        state["_errors"] = None
        state["_load_lock"] = None
        parts: dict[str, tuple[list[Node] | None, list[tuple[int, CuratedLaw]],
                               dict[str, list[TagAssignment]]]] = {}

        def part(doc_id: str) -> tuple:
            return parts.setdefault(doc_id, (None, [], {}))

        for doc_id, doc in self._doc_index.items():
            parts[doc_id] = (list(doc.nodes), [], {})
        for i, law in self._laws_at.items():
            part(law.file.dokument)[1].append((i, law))
        for nid, found in self._curated.items():
            part(doc_of(nid))[2][nid] = found
        state["_pending"] = {doc_id: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                             for doc_id, value in parts.items()}
        # What the graph needs of every built-in document, as one small pickle of its own: the
        # graph is built without unpickling each document's nodes (a quarter of opening it).
        state["_structure_blob"] = pickle.dumps(self._structure_rows(),
                                                protocol=pickle.HIGHEST_PROTOCOL)
        state["_structure"] = None
        state["_doc_index"] = {}
        state["_nodes"] = {}
        state["_curated"] = {}
        state["_laws_at"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._infer_cache = weakref.WeakKeyDictionary()
        self._load_lock = threading.RLock()

    def _ensure(self, doc_id: str) -> None:
        """Unpickle one document's part if it is still pending (thread-safe; it leaves
        _pending only once everything it holds is in place)."""
        if doc_id not in self._pending:
            return
        with self._load_lock:
            blob = self._pending.get(doc_id)
            if blob is None:
                return
            nodes, laws, curated = pickle.loads(blob)  # our own cache (core.paths.load_cached)
            if nodes is not None:
                self._doc_index[doc_id] = Document.model_construct(
                    meta=self._metas[doc_id], nodes=nodes, references=[])
                self._nodes.update((n.id, n) for n in nodes)
            self._laws_at.update(laws)
            self._curated.update(curated)
            del self._pending[doc_id]

    def _ensure_all(self) -> None:
        for doc_id in list(self._pending):
            self._ensure(doc_id)

    def _node(self, node_id: str) -> Node | None:
        self._ensure(doc_of(node_id))
        return self._nodes.get(node_id)

    @property
    def laws(self) -> list[CuratedLaw]:
        """Every curated file (rules/lover, rules/forskrifter), in file order."""
        self._ensure_all()
        return [self._laws_at[i] for i in sorted(self._laws_at)]

    @property
    def curated(self) -> dict[str, list[TagAssignment]]:
        """Curated assignments by node id (all documents)."""
        self._ensure_all()
        return self._curated

    def _load_optional(self, name: str, load: Any, parse: Any) -> Any:
        path = self.rules_dir / name
        return load(path, parse) if path.is_file() else None

    def _index(self) -> None:
        """Curated assignments by node, summaries, and nodes the curated files add (bokstav)."""
        curated: dict[str, list[TagAssignment]] = defaultdict(list)
        self._summaries: dict[str, str] = {}
        self._keywords: dict[str, list[str]] = {}
        for _, law in sorted(self._laws_at.items()):
            for a in law.assignments:
                if all(b.tag != a.tag for b in curated[a.node_id]):
                    curated[a.node_id].append(a)
            self._summaries.update(law.summaries)
            self._keywords.update(law.keywords)
        self._curated: dict[str, list[TagAssignment]] = dict(curated)
        self._nodes: dict[str, Node] = {n.id: n for d in self._documents for n in d.nodes}
        self._doc_index = {d.meta.id: d for d in self._documents}
        self._doc_order = [d.meta.id for d in self._documents]
        self._metas = {d.meta.id: d.meta for d in self._documents}
        self._has_references = any(d.references for d in self._documents)
        del self._documents  # _doc_index holds them; _doc_order keeps their order
        self._pending: dict[str, bytes] = {}  # filled only in an unpickled rulebook
        self._structure: dict[str, list[tuple[str, str, str | None]]] | None = None
        self._load_lock = threading.RLock()
        # A curated bokstav/nummer the normalised text cannot show: add it under its ledd and
        # remember it, so lint can check it against an import.
        self.synthetic_nodes: set[str] = set()
        for nid in list(self._curated) + list(self._summaries):
            if nid in self._nodes:
                continue
            pid = parse_id(nid)
            parent = pid.parent()
            if pid.kind in ("bokstav", "nummer") and parent and str(parent) in self._nodes:
                node = Node(id=nid, kind=NodeKind(pid.kind), doc_id=pid.doc, parent_id=str(parent),
                            number=pid.path[-1][1], order=10_000 + len(self.synthetic_nodes))
                self._nodes[nid] = node
                self._doc_index[pid.doc].nodes.append(node)
                self.synthetic_nodes.add(nid)

    # -- parsers of the single files ---------------------------------------------------------

    @staticmethod
    def _parse_tags(yf: YamlFile) -> dict[Tag, TagDefinition]:
        parsed = yf.validate(TagsFile)
        return {tag: TagDefinition(tag=tag, label=e.navn, effect=e.virkning,
                                   ground_or_limit=e.grunnlag, also_cites=e.ogsa,
                                   direction_sensitive=e.retningsavhengig,
                                   explanation=_one_line(e.forklaring),
                                   rule=yf.rule(("tagger", tag.value)))
                for tag, e in parsed.tagger.items()}

    @staticmethod
    def _parse_hjemler(yf: YamlFile) -> tuple[list[TrialAuthority], list[FalseFriend]]:
        parsed = yf.validate(HjemlerFile)
        auth = [TrialAuthority(id=e.id, provision=e.bestemmelse, law=doc_of(e.bestemmelse),
                               name=e.navn, approver=e.godkjenner, allows=_one_line(e.tillater),
                               limits=[_one_line(x) for x in e.begrensninger],
                               covers=e.omfatter,
                               covers_regulations_under=e.omfatter_forskrifter_etter,
                               applicants=e.søkere,
                               purposes=[Purpose(id=f.id, text=_one_line(f.tekst),
                                                 question=_one_line(f.spørsmål),
                                                 keywords=[[w.lower() for w in g] for g in f.nøkkelord])
                                         for f in e.formål],
                               typed_limits=[AuthorityLimit(id=g.id, kind=g.type,
                                                            text=_one_line(g.tekst), source=g.kilde)
                                             for g in e.grenser],
                               confidence=e.sikkerhet, verified=e.kontrollert,
                               note=_one_line(e.merknad) if e.merknad else None,
                               rule=yf.rule(("hjemler", i)))
                for i, e in enumerate(parsed.hjemler)]
        ids = [a.id for a in auth]
        for i, a in enumerate(auth):
            if ids.index(a.id) != i:
                raise yf.error(("hjemler", i, "id"), f"id «{a.id}» er brukt to ganger.")
        friends = [FalseFriend(provision=e.bestemmelse, name=e.navn, why=_one_line(e.hvorfor),
                               rule=yf.rule(("ikke_forsokshjemler", i)))
                   for i, e in enumerate(parsed.ikke_forsokshjemler)]
        return auth, friends

    @staticmethod
    def _parse_precedents(yf: YamlFile) -> list[Precedent]:
        parsed = yf.validate(PraksisFile)
        return [Precedent(id=e.id, municipality=e.kommune, year=e.år, set_aside=e.tilsidesatt,
                          summary=_one_line(e.sammendrag), rule=yf.rule(("vedtekter", i)))
                for i, e in enumerate(parsed.vedtekter)]

    @staticmethod
    def _parse_areas(yf: YamlFile) -> list[TrialArea]:
        parsed = yf.validate(OmraderFile)
        return [TrialArea(name=e.navn, keywords=e.ord, laws=e.lover, rule=yf.rule(("omrader", i)))
                for i, e in enumerate(parsed.omrader)]

    def precedents_for(self, node_id: str, chain: tuple[str, ...] | list[str]) -> list[tuple]:
        """(precedent, the provision it set aside) for a provision, directly or through the
        § mappings of rules/tid.yaml (a kommuneloven 1992 § → today's §§)."""
        wanted = set(chain) | {node_id}
        out = []
        for p in self.precedents:
            for old in p.set_aside:
                mapped = self.time.sections.get(old)
                now = set(mapped.new) if mapped else set()
                if old in wanted or now & wanted:
                    out.append((p, old))
                    break
        return out

    @staticmethod
    def _parse_arrangements(yf: YamlFile) -> list[Arrangement]:
        parsed = yf.validate(DagensReglerFile)
        return [Arrangement(id=e.id, name=e.navn, provision=e.hjemmel, applies_to=e.gjelder,
                            keywords=[[w.lower() for w in g] for g in e.nøkkelord],
                            text=_one_line(e.tekst), confidence=e.sikkerhet,
                            rule=yf.rule(("ordninger", i)))
                for i, e in enumerate(parsed.ordninger)]

    @staticmethod
    def _parse_tid(yf: YamlFile) -> TimeRules:
        parsed = yf.validate(TidFile)
        laws: dict[str, Succession] = {}
        for i, e in enumerate(parsed.lover):
            if e.fra in laws:
                raise yf.error(("lover", i, "fra"), f"«{e.fra}» står to ganger.")
            laws[e.fra] = Succession(old=e.fra, name=e.navn, new=e.til, also=e.ogsa_til,
                                     since=e.opphevet_fra, source=e.kilde, confidence=e.sikkerhet,
                                     note=_one_line(e.merknad), rule=yf.rule(("lover", i)))
        current = {doc: yf.rule(("gjeldende", i)) for i, doc in enumerate(parsed.gjeldende)}
        for doc in current.keys() & laws.keys():
            raise yf.error(("gjeldende",), f"«{doc}» står både som opphevet og som gjeldende.")
        sections = {e.fra: SectionSuccession(old=e.fra, new=e.til, confidence=e.sikkerhet,
                                             note=_one_line(e.merknad),
                                             rule=yf.rule(("bestemmelser", i)))
                    for i, e in enumerate(parsed.bestemmelser)}
        return TimeRules(laws=laws, current=current, sections=sections)

    @staticmethod
    def _parse_forsok(yf: YamlFile) -> TrialConditions:
        p = yf.validate(ForsoksFile)
        return TrialConditions(
            max_years=p.varighet_år, max_extension_years=p.forlengelse_år,
            reform_extension=p.forlengelse_til_reform, applicant_kinds=p.søkere,
            approvers=[Approver(name=a.navn, short=a.kort, when=_one_line(a.når), applicants=a.søkere,
                                cites=a.hjemmel, rule=yf.rule(("godkjennere", i)))
                       for i, a in enumerate(p.godkjennere)],
            conditions=[Condition(id=c.id, text=_one_line(c.tekst), cites=c.hjemmel,
                                  rule=yf.rule(("vilkår", i)))
                        for i, c in enumerate(p.vilkår)],
            rule=yf.rule(("varighet_år",)))

    @staticmethod
    def _parse_aliases(yf: YamlFile) -> tuple[dict[str, list[str]], dict[str, RuleRef]]:
        if not isinstance(yf.data, dict):
            raise yf.error((), "skal være en tabell: dokument-id: [navn, …].")
        out: dict[str, list[str]] = {}
        rules: dict[str, RuleRef] = {}
        for key, names in yf.data.items():
            try:
                doc = str(parse_id(str(key)))
            except InvalidId as exc:
                raise yf.error((key,), str(exc)) from None
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise yf.error((key,), "skal være en liste med navn.")
            out.setdefault(doc, []).extend(n.strip() for n in names if n.strip())
            rules.setdefault(doc, yf.rule((key,)))
        return out, rules

    @staticmethod
    def _parse_synonyms(yf: YamlFile) -> list[list[str]]:
        data = yf.data.get("synonymer") if isinstance(yf.data, dict) else yf.data
        if not isinstance(data, list):
            raise yf.error((), "skal være en liste av lister med ord.")
        out: list[list[str]] = []
        for i, group in enumerate(data):
            if not isinstance(group, list) or not all(isinstance(w, str) for w in group):
                raise yf.error((i,), "hver gruppe skal være en liste med ord.")
            out.append([w.strip() for w in group if w.strip()])
        return out

    # -- the contract ------------------------------------------------------------------------------

    def builtin_documents(self) -> list[Document]:
        self._ensure_all()
        return [self._doc_index[d] for d in self._doc_order]

    def builtin_document_ids(self) -> list[str]:
        """The built-in documents' ids, in order, without loading their nodes."""
        return list(self._doc_order)

    def builtin_has_references(self) -> bool:
        """Whether any built-in document carries references (rules/struktur holds none today)."""
        return self._has_references

    def builtin_meta(self, doc_id: str) -> DocumentMeta | None:
        return self._metas.get(doc_id)

    def _structure_rows(self) -> dict[str, list[tuple[str, str, str | None]]]:
        self._ensure_all()  # from every document, also in a rulebook that loads them lazily
        return {doc_id: [(n.id, n.kind.value, n.parent_id) for n in doc.nodes
                         if n.kind in STRUCTURAL_KINDS]
                for doc_id, doc in self._doc_index.items()}

    def builtin_structure(self, doc_id: str) -> list[tuple[str, str, str | None]]:
        """A built-in document's structural nodes (the document, parts, chapters, §§) as
        (id, kind, parent id) rows in document order, without loading its nodes."""
        if self._structure is None:
            with self._load_lock:
                if self._structure is None:
                    blob = getattr(self, "_structure_blob", None)
                    self._structure = (pickle.loads(blob) if blob is not None  # our own cache
                                       else self._structure_rows())
        return list(self._structure.get(doc_id, ()))

    def builtin_document(self, doc_id: str) -> Document | None:
        """One built-in document with its nodes (loaded now if it was pending)."""
        self._ensure(doc_id)
        return self._doc_index.get(doc_id)

    def summaries(self) -> dict[str, str]:
        return dict(self._summaries)

    def keywords(self) -> dict[str, list[str]]:
        """Search words (stikkord) per §, for forslag."""
        return {k: list(v) for k, v in self._keywords.items()}

    def keywords_of(self, node_id: str) -> list[str]:
        return list(self._keywords.get(node_id, ()))

    def aliases(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self._aliases.items()}

    def synonyms(self) -> list[list[str]]:
        return [list(g) for g in self._synonyms]

    def assignments(self) -> list[TagAssignment]:
        return [a for law in self.laws for a in law.assignments]

    def tag_definition(self, tag: Tag | str) -> TagDefinition:
        try:
            return self._tag_defs[Tag(tag)]
        except (KeyError, ValueError):
            raise KeyError(f"taggen «{tag}» er ikke definert i rules/tags.yaml") from None

    def tag_definitions(self) -> dict[Tag, TagDefinition]:
        return dict(self._tag_defs)

    def trial_authorities(self) -> list[TrialAuthority]:
        return list(self._authorities[0]) if self._authorities else []

    def false_friends(self) -> list[FalseFriend]:
        """Provisions that look like trial authorities but are not (straffeloven § 16 …)."""
        return list(self._authorities[1]) if self._authorities else []

    def forsoksloven(self) -> TrialConditions:
        if self._conditions is None:
            raise RulesError("forsoksloven.yaml", None, None, "filen mangler.")
        return self._conditions

    def builtin_node(self, node_id: str) -> Node | None:
        return self._node(node_id)

    # -- tags ----------------------------------------------------------------------------------

    def _chain(self, node_id: str, kb: NodeLookup | None) -> list[str]:
        """node_id and its ancestors, nearest first (the knowledge base's tree, else ours, else ids)."""
        chain = [node_id]
        seen = {node_id}
        current = node_id
        while True:
            node = (kb.node(current) if kb is not None else None) or self._node(current)
            if node is not None:
                parent = node.parent_id
            else:
                try:
                    p = parse_id(current).parent()
                except InvalidId:
                    p = None
                parent = str(p) if p is not None else None
            if parent is None or parent in seen:
                return chain
            chain.append(parent)
            seen.add(parent)
            current = parent

    def curated_tags(self, node_id: str, kb: NodeLookup | None = None) -> list[EffectiveTag]:
        """Curated tags only: the nearest node with curated entries wins wholly."""
        for nid in self._chain(node_id, kb):
            self._ensure(doc_of(nid))
            found = self._curated.get(nid)
            if found:
                inherited = None if nid == node_id else nid
                return [EffectiveTag.model_construct(assignment=a, inherited_from=inherited) for a in
                        sorted(found, key=lambda a: _CONF_RANK[a.confidence])]
        return []

    def effective_tags(self, node_id: str, kb: NodeLookup | None) -> list[EffectiveTag]:
        """Curated tags with inheritance; inferred tags only where nothing is curated."""
        curated = self.curated_tags(node_id, kb)
        if curated:
            return curated
        return self.inferred_tags(node_id, kb)

    def inferred_tags(self, node_id: str, kb: NodeLookup | None) -> list[EffectiveTag]:
        """Tags suggested by text patterns (never high confidence), cached per node."""
        if self.inferencer is None:
            return []
        if kb is None:
            cache = self._no_kb_cache
        else:
            with _lock:  # the app serves several sessions from threads
                cache = self._infer_cache.setdefault(kb, {})
        found = cache.get(node_id)
        if found is None:
            found = cache[node_id] = self._infer(node_id, kb)
        return list(found)

    def _infer(self, node_id: str, kb: NodeLookup | None) -> list[EffectiveTag]:
        assert self.inferencer is not None
        for nid in self._chain(node_id, kb)[:3]:  # self, then its § or chapter
            text = self._inference_text(nid, kb)
            if not text:
                continue
            hits = self.inferencer.infer(text, doc_of(nid))
            inherited = None if nid == node_id else nid
            return [EffectiveTag.model_construct(assignment=self._inferred_assignment(nid, hit),
                                 inherited_from=inherited) for hit in hits]
        return []

    def _inference_text(self, node_id: str, kb: NodeLookup | None) -> str | None:
        """Statute text when imported; else the heading and our summary."""
        node = (kb.node(node_id) if kb is not None else None) or self._node(node_id)
        if node is None or node.kind in (NodeKind.DOCUMENT, NodeKind.PART):
            return None
        # An imported § usually has its text in its ledd, not in itself: take the whole subtree.
        full = kb.full_text(node_id) if kb is not None else None
        if full:
            return "\n".join(filter(None, (node.heading, full)))
        summary = node.summary or self._summaries.get(node_id)
        return " ".join(filter(None, (node.heading, summary))) or None

    @staticmethod
    def _inferred_assignment(node_id: str, hit: InferenceHit) -> TagAssignment:
        confidence = hit.confidence if hit.confidence != Confidence.HIGH else Confidence.MEDIUM
        return TagAssignment.model_construct(  # our own data: no validator built (start-up)
            node_id=node_id, tag=hit.tag, source=TagSource.INFERRED, rationale=hit.rationale,
            confidence=confidence, reviewed=None, rule=hit.rule, pattern=hit.pattern,
            matched_text=hit.matched_text)
