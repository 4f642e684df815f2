"""Lint and coverage of rules/: what `regelsjekk regler sjekk` and `regler dekning` report.

Loading (rulebook.py) stops at the first broken file; lint goes on and reports everything a
lawyer should fix before the rules are used: schema errors, ids that do not exist, conflicting
tags, missing rationale, stale reviews, summaries that look like statute text. Each finding
names the file, the line and the key.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from regelsjekk.core.ids import doc_of, parse_id
from regelsjekk.core.model import ApplicantKind, NodeKind, RuleRef, Tag
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.kb.sources import MemorySource, NodeSource
from regelsjekk.rules.rulebook import Rulebook
from regelsjekk.rules.schema import FORSOKSLOVEN, RulesError

Severity = Literal["feil", "advarsel"]
FVL = ("lov/1967-02-10", "lov/2025-06-20-81")
KOMMUNELOVEN = "lov/2018-06-22-83"
MAX_KEYWORDS = 12  # stikkord per §
# A statlig_kontroll rationale must say that the control is over the municipal sector: kommune,
# fylkeskommune, kommunal, kommunesektoren, interkommunal (a mention of kommuneloven alone is not).
MUNICIPAL = re.compile(r"kommun(?!elov)", re.IGNORECASE)

# Tags that contradict each other on one node (error) or usually do (warning).
CONFLICTS: list[tuple[Tag, Tag, Severity, str]] = [
    (Tag.INDIVIDUELL_RETTIGHET, Tag.FORMAL_DEFINISJON, "feil",
     "en bestemmelse som gir en rettighet, er ikke bare formål eller definisjon"),
    (Tag.INDIVIDUELL_PLIKT, Tag.FORMAL_DEFINISJON, "feil",
     "en bestemmelse som legger en plikt på enkeltpersoner, er ikke bare formål eller definisjon"),
    (Tag.STRAFF, Tag.FORMAL_DEFINISJON, "feil", "en straffebestemmelse er ikke formål eller definisjon"),
    (Tag.SKATT_AVGIFT, Tag.FORMAL_DEFINISJON, "feil",
     "en bestemmelse om betaling er ikke formål eller definisjon"),
    (Tag.ENHETSFYLKE, Tag.FORMAL_DEFINISJON, "feil", "enhetsfylke er ikke formål eller definisjon"),
    (Tag.ORGANISERING, Tag.KOMMUNELOV_GRUNNLEGGENDE, "advarsel",
     "organisering (§ 3 bokstav a, tillatt) og kommunelovens grunnleggende organisering (§ 4 "
     "bokstav a, blokkert) trekker hver sin vei; del opp på ledd eller velg én"),
    (Tag.STATLIG_KONTROLL, Tag.KOMMUNELOV_GRUNNLEGGENDE, "advarsel",
     "statlig kontroll (tillatt) sammen med kommunelovens grunnleggende organisering (blokkert)"),
]


@dataclass(order=True)
class Finding:
    file: str
    line: int
    severity: Severity = field(compare=False)
    key: str | None = field(compare=False)
    message: str = field(compare=False)

    def __str__(self) -> str:
        key = f" ({self.key})" if self.key else ""
        return f"{self.file}:{self.line}{key}: {self.severity}: {self.message}"


@dataclass
class LintResult:
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "feil"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "advarsel"]


class _Linter:
    def __init__(self, rules_dir: Path, store: NodeSource | None, max_age_months: int,
                 today: date) -> None:
        self.findings: list[Finding] = []
        errors: list[RulesError] = []
        self.rb = Rulebook(Path(rules_dir).resolve(), errors)
        for err in errors:
            self.findings.append(Finding(err.file, err.line or 1, "feil", err.key, err.explanation))
        builtin = MemorySource(self.rb.builtin_documents())
        self.kb = KnowledgeBase([s for s in (store, builtin) if s is not None], self.rb)
        self.store = store
        self.builtin = builtin
        self.max_age = max_age_months
        self.today = today

    def add(self, rule: RuleRef | None, severity: Severity, message: str) -> None:
        rule = rule or RuleRef(file="?")
        self.findings.append(Finding(rule.file, rule.line or 1, severity, rule.key, message))

    # -- ids ------------------------------------------------------------------------------------

    def missing_reason(self, node_id: str) -> str | None:
        """Why node_id does not exist (None if it does), with a hint that helps fix it."""
        if node_id in self.rb.synthetic_nodes:
            return None  # checked separately (needs an import)
        if self.kb.node(node_id) is not None:
            return None
        doc = doc_of(node_id)
        if self.kb.document(doc) is None:
            return (f"«{node_id}»: dokumentet {doc} finnes ikke i den innebygde kunnskapsbasen. "
                    "Tips: legg det til i rules/struktur/LISTE.yaml og kjør scripts/struktur.py.")
        pid = parse_id(node_id)
        parent = pid.parent()
        while parent is not None and self.kb.node(str(parent)) is None:
            parent = parent.parent()
        hint = ""
        if parent is not None and parent.path:
            kids = [n.number or n.id for n in self.kb.children(str(parent))]
            if kids:
                hint = f" {parent} har: {', '.join(kids[:12])}{' …' if len(kids) > 12 else ''}."
        section = pid.section
        if section and self.kb.node(f"{doc}/§{section}") is None:
            close = [n.number for n in self.kb.nodes_of(doc)
                     if n.kind == NodeKind.SECTION and n.number and n.number.split("-")[0] ==
                     section.split("-")[0]][:8]
            if close:
                hint = f" Nærliggende §§: {', '.join(close)}."
        return f"«{node_id}» finnes ikke.{hint}"

    def check_id(self, node_id: str, rule: RuleRef | None, what: str,
                 outside_ok: bool = False) -> None:
        if outside_ok and self.kb.document(doc_of(node_id)) is None:
            if self.store is not None:
                self.add(rule, "advarsel", f"{what} «{node_id}» finnes ikke i importen heller.")
            return  # a law outside the built-in knowledge base cannot be checked without import
        reason = self.missing_reason(node_id)
        if reason:
            self.add(rule, "feil", f"{what} {reason}")

    # -- the checks -----------------------------------------------------------------------------

    def curated(self) -> None:
        seen_docs: dict[str, str] = {}
        for law in self.rb.laws:
            doc = law.file.dokument
            if doc in seen_docs:
                self.add(RuleRef(file=law.name, line=1, key="dokument"), "advarsel",
                         f"{doc} er også kuratert i {seen_docs[doc]}; oppføringene slås sammen.")
            seen_docs[doc] = law.name
            by_node: dict[str, list[tuple[Tag, RuleRef]]] = defaultdict(list)
            for entry, rule in zip(law.file.tagger, law.entry_rules):
                self.check_id(entry.id, rule, "Taggen står på")
                for tag in entry.tagger:
                    by_node[entry.id].append((tag, rule))
                if not (entry.begrunnelse or "").strip():
                    self.add(rule, "feil", f"«{entry.id}» mangler begrunnelse. Tips: skriv med "
                             "egne ord hvorfor taggene gjelder (nøkkelen begrunnelse).")
                elif len(entry.begrunnelse.strip()) < 15:
                    self.add(rule, "advarsel", f"begrunnelsen for «{entry.id}» er svært kort.")
                self.review(entry.vurdert or law.file.vurdert, rule, entry.id)
                for tag in entry.tagger:
                    self.tag_placement(tag, entry.id, rule, entry.begrunnelse or "")
            for node_id, tags in by_node.items():
                counts = Counter(t for t, _ in tags)
                for tag, n in counts.items():
                    if n > 1:
                        self.add(tags[-1][1], "advarsel",
                                 f"«{node_id}» har taggen {tag.value} {n} ganger.")
                present = set(counts)
                for a, b, severity, why in CONFLICTS:
                    if a in present and b in present:
                        self.add(tags[0][1], severity,
                                 f"«{node_id}» har både {a.value} og {b.value}: {why}.")
            for node_id, rule in law.summary_rules.items():
                self.check_id(node_id, rule, "Sammendraget gjelder")
                self.summary(node_id, law.summaries[node_id], rule)
            for node_id, rule in law.keyword_rules.items():
                self.check_id(node_id, rule, "Stikkordene gjelder")
                self.keywords(node_id, law.keywords[node_id], rule)
        for node_id in sorted(self.rb.synthetic_nodes):
            rule = next((a.rule for a in self.rb.curated.get(node_id, [])), None)
            if self.store is not None and self.store.node(node_id) is None:
                self.add(rule, "feil", f"«{node_id}» finnes ikke i importen.")
            elif self.store is None and rule is not None:
                self.add(rule, "advarsel", f"«{node_id}» er lagt til fordi den normaliserte teksten "
                         "ikke skiller listepunkter; kontroller den med en import "
                         "(regelsjekk --db … regler sjekk).")

    def tag_placement(self, tag: Tag, node_id: str, rule: RuleRef, rationale: str) -> None:
        doc = doc_of(node_id)
        # A sector-law provision that makes forvaltningsloven apply is rightly tagged so; the
        # rationale then says so. Otherwise rettssikkerhet is usually meant.
        if (tag == Tag.FORVALTNINGSLOV_SAKSBEHANDLING and doc not in FVL
                and not re.search(r"forvaltningslov", rationale, re.IGNORECASE)):
            self.add(rule, "advarsel", f"{tag.value} gjelder forvaltningslovens egne regler "
                     "(§ 4 første ledd bokstav b); for andre lovers saksbehandlingsregler brukes "
                     "rettssikkerhet. Gjør bestemmelsen forvaltningsloven gjeldende, si det i "
                     "begrunnelsen.")
        # § 3 første ledd c covers the state's control over kommuner and fylkeskommuner only,
        # not its control over state bodies or private actors; the rationale must say which.
        if tag == Tag.STATLIG_KONTROLL and not MUNICIPAL.search(rationale):
            self.add(rule, "advarsel", "statlig_kontroll gjelder bare kontroll med kommuner og "
                     "fylkeskommuner (forsøksloven § 3 første ledd c); si i begrunnelsen hvilken "
                     "kontroll med kommunen eller fylkeskommunen det er, eller bruk en annen tagg "
                     "(privat_atferd for regler som binder private, organisering for statens "
                     "styring av egne organer).")
        if tag == Tag.KOMMUNELOV_GRUNNLEGGENDE and doc != KOMMUNELOVEN:
            self.add(rule, "advarsel", f"{tag.value} gjelder kommunelovens egne bestemmelser "
                     "(§ 4 første ledd bokstav a); står taggen riktig her?")

    def review(self, reviewed: date | None, rule: RuleRef, what: str) -> None:
        if reviewed is None:
            self.add(rule, "advarsel", f"«{what}» mangler vurderingsdato (vurdert).")
            return
        if reviewed > self.today:
            self.add(rule, "advarsel", f"vurderingsdatoen {reviewed} for «{what}» er i framtiden.")
            return
        months = (self.today.year - reviewed.year) * 12 + self.today.month - reviewed.month
        if months > self.max_age:
            self.add(rule, "advarsel", f"«{what}» ble sist vurdert {reviewed}, for {months} "
                     f"måneder siden (grense {self.max_age}). Tips: les bestemmelsen på nytt "
                     "og oppdater vurdert.")

    def summary(self, node_id: str, text: str, rule: RuleRef) -> None:
        if len(text) > 300:
            self.add(rule, "advarsel", f"sammendraget av «{node_id}» er over 300 tegn; "
                     "skriv én kort setning med egne ord.")
        node = self.store.node(node_id) if self.store is not None else None
        if node is not None:
            # Twelve words in a row from the statute (or the whole summary, if shorter but at
            # least six words) is quoting, not summarising.
            full = " ".join(re.findall(r"\w+", (self.kb.full_text(node_id) or "").lower()))
            words = re.findall(r"\w+", text.lower())
            window = min(12, len(words))
            for i in range(0, len(words) - window + 1 if window >= 6 else 0):
                if " ".join(words[i:i + window]) in full:
                    self.add(rule, "feil", f"sammendraget av «{node_id}» gjengir lovteksten ordrett; "
                             "skriv det med egne ord.")
                    break

    def keywords(self, node_id: str, terms: list[str], rule: RuleRef) -> None:
        """Stikkord are short search terms for a §, not sentences and not a word list dump."""
        if "/§" not in node_id or "/ledd/" in node_id or "/bokstav/" in node_id:
            self.add(rule, "feil", f"stikkord gis per paragraf; «{node_id}» er ikke en paragraf.")
        if len(terms) > MAX_KEYWORDS:
            self.add(rule, "advarsel", f"«{node_id}» har {len(terms)} stikkord (grense "
                     f"{MAX_KEYWORDS}); velg ordene en kommune faktisk ville brukt.")
        seen: set[str] = set()
        for term in terms:
            if len(term.split()) > 4:
                self.add(rule, "feil", f"stikkordet «{term}» for «{node_id}» er over fire ord; "
                         "stikkord er ord og korte uttrykk, ikke setninger.")
            if term.lower() in seen:
                self.add(rule, "advarsel", f"stikkordet «{term}» står to ganger for «{node_id}».")
            seen.add(term.lower())

    def tags_file(self) -> None:
        defs = self.rb.tag_definitions()
        if not (self.rb.rules_dir / "tags.yaml").is_file():
            self.add(RuleRef(file="tags.yaml"), "feil", "filen mangler.")
            return
        for tag in Tag:
            if tag not in defs:
                self.add(RuleRef(file="tags.yaml", line=1, key="tagger"), "feil",
                         f"taggen {tag.value} er ikke definert.")
        for d in defs.values():
            for cited in [d.ground_or_limit, *d.also_cites]:
                if doc_of(cited) == FORSOKSLOVEN:
                    self.check_id(cited, d.rule, "Grunnlaget")

    def hjemler(self) -> None:
        if not (self.rb.rules_dir / "hjemler.yaml").is_file():
            self.add(RuleRef(file="hjemler.yaml"), "feil", "filen mangler.")
            return
        for a in self.rb.trial_authorities():
            self.check_id(a.provision, a.rule, "Hjemmelen")
            for cov in a.covers:
                self.check_id(cov, a.rule, "Omfatter", outside_ok=True)
            for limit in a.typed_limits:
                self.check_id(limit.source, a.rule, "Grensens kilde", outside_ok=True)
            if not a.applicants or not a.purposes:
                self.add(a.rule, "advarsel", f"«{a.id}» mangler «søkere» eller «formål»: uten dem "
                         "kan sjekkeren aldri gi «annen hjemmel», bare «må vurderes».")
            self.review(a.verified, a.rule, a.id)
        for f in self.rb.false_friends():
            self.check_id(f.provision, f.rule, "Bestemmelsen", outside_ok=True)

    def forsoksloven(self) -> None:
        if not (self.rb.rules_dir / "forsoksloven.yaml").is_file():
            self.add(RuleRef(file="forsoksloven.yaml"), "feil", "filen mangler.")
            return
        cond = self.rb.forsoksloven()
        for item in [*cond.approvers, *cond.conditions]:
            for cited in item.cites:
                self.check_id(cited, item.rule, "Hjemmelen", outside_ok=True)
        for kind in cond.applicant_kinds or list(ApplicantKind):  # those § 2 covers
            if not any(kind in a.applicants for a in cond.approvers):
                where = cond.approvers[0].rule if cond.approvers else cond.rule
                self.add(where, "feil", f"ingen godkjenner for søkertypen «{kind.value}»: "
                         "gi en av godkjennerne den under «søkere», ellers navngir rapporten "
                         "ingen godkjenner etter forsøksloven for slike søkere.")
        from regelsjekk.check.trial import EVALUATORS

        for c in cond.conditions:
            if c.id not in EVALUATORS:
                self.add(c.rule, "advarsel", f"vilkåret «{c.id}» har ingen automatisk vurdering i "
                         "regelsjekk (check.trial.EVALUATORS) og vises som «må vurderes». "
                         "Er det et nytt navn på et kjent vilkår, rett navnet der.")

    def inference(self) -> None:
        if self.rb.inferencer is None:
            self.add(RuleRef(file="inferens.yaml"), "advarsel",
                     "filen mangler; ukuraterte bestemmelser blir uavklart uten hint.")
            return
        for p in self.rb.inferencer.patterns:
            if p.regex.search(""):
                self.add(p.rule, "feil", f"mønsteret «{p.id}» treffer tom tekst og dermed alt.")

    def aliases(self) -> None:
        owners: dict[str, list[str]] = defaultdict(list)
        for doc, names in self.rb.aliases().items():
            rule = self.rb.alias_rules.get(doc)
            for name in names:
                if doc not in owners[name.lower()]:
                    owners[name.lower()].append(doc)
            if self.kb.document(doc) is None and self.store is not None:
                self.add(rule, "advarsel", f"{doc} finnes ikke i importen.")
        for name, docs in owners.items():
            if len(docs) > 1:
                self.add(self.rb.alias_rules.get(docs[-1]), "advarsel",
                         f"navnet «{name}» brukes for flere lover: {', '.join(sorted(docs))}; "
                         "et navn skal bare bety én lov.")


def lint(rules_dir: Path, store: NodeSource | None = None, max_age_months: int = 24,
         today: date | None = None) -> LintResult:
    """All findings for rules_dir, sorted by file and line; store is an import to check against."""
    linter = _Linter(rules_dir, store, max_age_months, today or date.today())
    linter.curated()
    linter.tags_file()
    linter.hjemler()
    linter.forsoksloven()
    linter.inference()
    linter.aliases()
    return LintResult(sorted(linter.findings))


# -- coverage -----------------------------------------------------------------------------------


@dataclass
class Coverage:
    doc_id: str
    name: str
    sections: int
    direct: int  # an entry on the § itself or on one of its ledd
    inherited: int  # tags from its chapter or part
    law_level: int  # only a tag on the whole law: a blanket statement, not a classification
    inferred: int
    unresolved: list[str]

    @property
    def curated(self) -> int:
        return self.direct + self.inherited

    def as_dict(self) -> dict:
        return {"dokument": self.doc_id, "navn": self.name, "paragrafer": self.sections,
                "kuratert": self.curated, "kuratert_direkte": self.direct,
                "kuratert_arvet": self.inherited, "bare_lovniva": self.law_level,
                "utledet": self.inferred,
                "uavklart": len(self.unresolved), "uavklarte": self.unresolved}


def coverage(kb: KnowledgeBase, doc_ids: list[str]) -> list[Coverage]:
    """Per law: how many §§ are curated (directly or inherited), only inferred, or uavklart.

    Repealed §§ (opphevet in the built-in structure) are left out: nothing to deviate from."""
    rb = kb.rulebook
    assert rb is not None
    has_entry_below: set[str] = set()
    for node_id in rb.curated:
        pid = parse_id(node_id)
        if pid.section:
            has_entry_below.add(f"{pid.doc}/§{pid.section}")
    out: list[Coverage] = []
    for doc in doc_ids:
        meta = kb.document(doc)
        if meta is None:
            continue
        direct = inherited = law_level = inferred = 0
        unresolved: list[str] = []
        sections = [n for n in kb.nodes_of(doc)
                    if n.kind == NodeKind.SECTION and n.id not in rb.repealed]
        for node in sections:
            curated = rb.curated_tags(node.id, kb) if node.id not in has_entry_below else []
            if node.id in has_entry_below:
                direct += 1
            elif curated and curated[0].inherited_from != doc:
                inherited += 1
            elif curated:
                law_level += 1
            elif rb.inferred_tags(node.id, kb):
                inferred += 1
            else:
                unresolved.append(node.id)
        out.append(Coverage(doc, meta.display_name, len(sections), direct, inherited, law_level,
                            inferred, unresolved))
    return out
