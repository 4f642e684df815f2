"""The files in rules/ as pydantic models, and YAML loading that remembers line numbers.

Lawyers edit these files by hand, so every validation error must name the file, the line and the
key, in Norwegian. Files are parsed once with yaml.compose (C loader where available) so that each
key path maps to its line; the models then validate the plain data. The public knowledge models
(TagDefinition, TrialAuthority, TrialConditions) are what the checker codes against.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from regelsjekk.core.errors import RegelsjekkError
from regelsjekk.core.ids import InvalidId, parse_id
from regelsjekk.core.model import (
    ApplicantKind,
    Confidence,
    Model,
    RuleRef,
    Tag,
    TagEffect,
)

try:  # libyaml is an order of magnitude faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader  # type: ignore[assignment]


class RulesLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """Safe loading without implicit dates: pydantic parses them, so a bad date gets a line."""


RulesLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}

FORSOKSLOVEN = "lov/1992-06-26-87"
KeyPath = tuple[str | int, ...]


class RulesError(RegelsjekkError, ValueError):
    """A rules file that cannot be used: where (file, line, key) and what, in Norwegian."""

    def __init__(self, file: str, line: int | None, key: str | None, message: str,
                 hint: str | None = None) -> None:
        self.file, self.line, self.key, self.message, self.hint = file, line, key, message, hint
        super().__init__(str(self))

    @property
    def rule(self) -> RuleRef:
        return RuleRef(file=self.file, line=self.line, key=self.key)

    @property
    def explanation(self) -> str:
        """The message with its hint, without the place."""
        return f"{self.message} Tips: {self.hint}" if self.hint else self.message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" ({self.key})" if self.key else ""
        return f"{where}{key}: {self.explanation}"


# -- YAML with line numbers --------------------------------------------------------------------


def key_text(path: KeyPath) -> str:
    """('tagger', 3, 'sikkerhet') -> 'tagger[3].sikkerhet' (the way errors name a key)."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _child(node: yaml.Node, step: str | int) -> yaml.Node | None:
    """The node one step down a key path (a mapping key or a sequence index)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                return value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]
    return None


def _key_line(node: yaml.Node, step: str | int) -> int | None:
    """The line of a mapping key (where an editor puts the cursor for 'key: value')."""
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                return key_node.start_mark.line + 1
    return None


class YamlFile:
    """One parsed rules file: its data and the line of every key path."""

    def __init__(self, path: Path, name: str) -> None:
        self.path, self.name = path, name
        text = path.read_text(encoding="utf-8")
        loader = RulesLoader(text)
        try:
            node = loader.get_single_node()
            self.root: yaml.Node | None = node  # kept for line look-ups, walked only on demand
            self.data: Any = loader.construct_document(node) if node is not None else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise RulesError(name, mark.line + 1 if mark else None, None,
                             f"ugyldig YAML: {exc.problem or exc.context}.",
                             "sjekk innrykk, kolon og anførselstegn på linjen.") from exc
        finally:
            loader.dispose()

    def line(self, path: KeyPath) -> int | None:
        """The line of a key path, or of its nearest existing parent."""
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for step in path:
            key_line = _key_line(node, step)
            child = _child(node, step)
            if child is None:
                return line
            line = key_line if key_line is not None else child.start_mark.line + 1
            node = child
        return line

    def rule(self, path: KeyPath) -> RuleRef:
        return RuleRef(file=self.name, line=self.line(path), key=key_text(path) or None)

    def error(self, path: KeyPath, message: str, hint: str | None = None) -> RulesError:
        return RulesError(self.name, self.line(path), key_text(path) or None, message, hint)

    def validate(self, model: type[BaseModel]) -> Any:
        """Validate the whole file against a model; the first error names its line and key."""
        if self.data is None:
            raise self.error((), "filen er tom.")
        try:
            return model.model_validate(self.data)
        except ValidationError as exc:
            raise _translate(self, exc) from None


_MESSAGES = {
    "missing": "mangler (påkrevd felt)",
    "extra_forbidden": "ukjent nøkkel",
    "enum": "ugyldig verdi",
    "literal_error": "ugyldig verdi",
    "date_from_datetime_parsing": "ugyldig dato",
    "date_parsing": "ugyldig dato",
    "date_type": "ugyldig dato",
    "string_type": "skal være tekst",
    "list_type": "skal være en liste",
    "dict_type": "skal være en tabell (nøkkel: verdi)",
    "model_type": "skal være en tabell (nøkkel: verdi)",
    "too_short": "er for kort eller tom",
    "string_too_short": "er for kort eller tom",
    "int_parsing": "skal være et heltall",
    "bool_parsing": "skal være true eller false",
}


def _translate(file: YamlFile, exc: ValidationError) -> RulesError:
    err = exc.errors(include_url=False)[0]
    path: KeyPath = tuple(step for step in err["loc"] if step != "[key]")  # dict-key errors
    kind = err["type"]
    base = _MESSAGES.get(kind, "ugyldig verdi")
    if kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
    elif kind in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "")
        message = f"{base} «{err.get('input')}»; forventet en av {expected}"
    else:
        message = base
    hint = None
    if kind == "extra_forbidden":
        hint = "sjekk stavemåten; rules/README.md lister nøklene som er lov."
    elif kind.startswith("date"):
        hint = "skriv datoer som ÅÅÅÅ-MM-DD."
    return file.error(path, message.rstrip(".") + ".", hint)


# -- shared field types ------------------------------------------------------------------------


def _check_id(value: str) -> str:
    try:
        return str(parse_id(value))
    except InvalidId as exc:
        raise ValueError(str(exc)) from None


class _Strict(Model):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


NonEmpty = Annotated[str, Field(min_length=1)]
# The JSON Schema pattern helps editors; validation itself goes through ids.parse_id.
_ID_PATTERN = (r"^(lov|forskrift)/\d{4}-\d{2}-\d{2}(-\d+)?"
               r"(/(§ ?[0-9A-Za-z-]+|(del|kapittel|ledd|bokstav|nummer|punktum)/[0-9A-Za-z]+))*$")
NodeId = Annotated[str, AfterValidator(_check_id),
                   Field(json_schema_extra={"pattern": _ID_PATTERN})]


# -- rules/lover/*.yaml ------------------------------------------------------------------------


class CuratedEntry(_Strict):
    """One curated entry: tags on one node, with the reason in our own words."""

    id: NodeId
    tagger: list[Tag] = Field(min_length=1)
    begrunnelse: str | None = None  # missing rationale is a lint error, not a load error
    sikkerhet: Confidence = Confidence.HIGH
    kilder: list[str] = []
    vurdert: date | None = None


class CuratedFile(_Strict):
    dokument: NodeId
    navn: NonEmpty
    vurdert: date
    # For a forskrift (rules/forskrifter/): the law provisions it is made under (its hjemmel edge)
    hjemmel: list[NodeId] = []
    tagger: list[CuratedEntry] = []
    sammendrag: dict[str, NonEmpty] = {}
    # Search words per §: the everyday terms a municipality uses for what the § is about
    # (services, bodies, documents it names). Only `forslag` reads them; never statute text.
    stikkord: dict[str, list[NonEmpty]] = {}


# -- rules/tags.yaml ---------------------------------------------------------------------------

class TagDefinition(Model):
    """What a tag means under forsøksloven: the ground (§ 3) or limit (§ 4) it rests on."""

    tag: Tag
    label: str
    effect: TagEffect
    ground_or_limit: str = Field(description="Provision id in forsøksloven")
    also_cites: list[str] = Field([], description="Other provisions the effect rests on")
    direction_sensitive: bool = False
    explanation: str
    rule: RuleRef


class TagDefinitionEntry(_Strict):
    navn: NonEmpty
    virkning: TagEffect
    grunnlag: NodeId
    ogsa: list[NodeId] = []
    retningsavhengig: bool = False
    forklaring: NonEmpty


class TagsFile(_Strict):
    tagger: dict[Tag, TagDefinitionEntry]


# -- rules/hjemler.yaml ------------------------------------------------------------------------


class LimitKind(StrEnum):
    """What a trial authority's limit does with the request's stated effect on individuals."""

    INGEN_INNSKRENKING = "ingen_innskrenking_rettigheter"  # narrowing rights: blocked
    INGEN_UTVIDELSE = "ingen_utvidelse_plikter"  # extending duties: blocked
    AVVEINING = "avveining"  # narrowing rights allowed only after a balancing test: må vurderes


class Purpose(Model):
    """What a trial under the authority must be about, and how a request shows it."""

    id: str
    text: str
    question: str
    keywords: list[list[str]] = Field(description="All groups must match; any word of a group "
                                                   "(a word start, lower case)")


class AuthorityLimit(Model):
    id: str
    kind: LimitKind
    text: str
    source: str


class TrialAuthority(Model):
    """A sector law's own trial authority (forsøkshjemmel), confirmed against the current text."""

    id: str
    provision: str
    law: str
    name: str
    approver: str
    allows: str
    limits: list[str] = []
    covers: list[str] = []
    covers_regulations_under: list[str] = Field(
        [], description="Laws whose forskrifter (made under them) the authority also covers")
    applicants: list[ApplicantKind] = Field(
        [], description="Who may apply under it (empty: not curated — never a firm answer)")
    purposes: list[Purpose] = []
    typed_limits: list[AuthorityLimit] = []
    confidence: Confidence
    verified: date
    note: str | None = None
    rule: RuleRef


class FalseFriend(Model):
    """A provision whose heading mentions 'forsøk' but which is NOT a trial authority."""

    provision: str
    name: str
    why: str
    rule: RuleRef


class PurposeEntry(_Strict):
    id: NonEmpty
    tekst: NonEmpty  # what the trial must be about, in our words
    spørsmål: NonEmpty  # what the application must show
    nøkkelord: list[list[NonEmpty]] = Field(min_length=1)  # all groups; any word in a group


class LimitEntry(_Strict):
    id: NonEmpty
    type: LimitKind
    tekst: NonEmpty
    kilde: NodeId


class AuthorityEntry(_Strict):
    id: NonEmpty
    bestemmelse: NodeId
    navn: NonEmpty
    godkjenner: NonEmpty
    tillater: NonEmpty
    begrensninger: list[NonEmpty] = []
    omfatter: list[NodeId] = Field(min_length=1)
    # "regler gitt med hjemmel i lova": the forskrifter made under these laws are covered too
    omfatter_forskrifter_etter: list[NodeId] = []
    søkere: list[ApplicantKind] = []  # who may apply under the authority
    formål: list[PurposeEntry] = []  # what the request must show the trial is about
    grenser: list[LimitEntry] = []  # limits the checker applies to the request's effect
    sikkerhet: Confidence
    kontrollert: date
    merknad: str | None = None


class FalseFriendEntry(_Strict):
    bestemmelse: NodeId
    navn: NonEmpty
    hvorfor: NonEmpty


class HjemlerFile(_Strict):
    hjemler: list[AuthorityEntry]
    ikke_forsokshjemler: list[FalseFriendEntry] = []


# -- rules/tid.yaml ----------------------------------------------------------------------------


class SuccessionEntry(_Strict):
    """A repealed law and what replaced it, where the data does not say it."""

    fra: NodeId
    navn: NonEmpty
    til: NodeId | None = None
    ogsa_til: list[NodeId] = []
    opphevet_fra: date | None = None
    kilde: NodeId | None = None
    sikkerhet: Confidence
    merknad: NonEmpty


class SectionSuccessionEntry(_Strict):
    fra: NodeId
    til: list[NodeId] = Field(min_length=1)
    sikkerhet: Confidence
    merknad: NonEmpty
    belegg: list[NonEmpty] = []


class TidFile(_Strict):
    """rules/tid.yaml: repealed laws and their successors, laws known current, § mappings."""

    lover: list[SuccessionEntry] = []
    gjeldende: list[NodeId] = []
    bestemmelser: list[SectionSuccessionEntry] = []


class Succession(Model):
    """A curated repeal: `old` no longer applies; `new` (and `also`) took over, where known."""

    old: str
    name: str
    new: str | None = None
    also: list[str] = []
    since: date | None = None
    source: str | None = None
    confidence: Confidence
    note: str
    rule: RuleRef


class SectionSuccession(Model):
    old: str
    new: list[str]
    confidence: Confidence
    note: str
    rule: RuleRef


class TimeRules(Model):
    """rules/tid.yaml: successions, laws known current, and § mappings."""

    laws: dict[str, Succession] = {}
    current: dict[str, RuleRef] = {}
    sections: dict[str, SectionSuccession] = {}


# -- rules/praksis.yaml ------------------------------------------------------------------------


class PrecedentEntry(_Strict):
    id: NodeId
    kommune: NonEmpty
    år: int = Field(ge=1990, le=2100)
    tilsidesatt: list[NodeId] = Field(min_length=1)
    sammendrag: NonEmpty


class PraksisFile(_Strict):
    """rules/praksis.yaml: approved trials (vedtekter) and the provisions they deviated from."""

    vedtekter: list[PrecedentEntry] = []


class Precedent(Model):
    """An approved trial: practice a firm «nei» must not contradict."""

    id: str
    municipality: str
    year: int
    set_aside: list[str]
    summary: str
    rule: RuleRef


# -- rules/dagens_regler.yaml ------------------------------------------------------------------


class ArrangementEntry(_Strict):
    id: NonEmpty
    navn: NonEmpty
    hjemmel: NodeId
    gjelder: list[NodeId] = []
    nøkkelord: list[list[NonEmpty]] = Field(min_length=1)
    tekst: NonEmpty
    sikkerhet: Confidence


class DagensReglerFile(_Strict):
    """rules/dagens_regler.yaml: arrangements current law already allows, without a trial."""

    ordninger: list[ArrangementEntry] = []


class Arrangement(Model):
    """Something current law already allows: named as a route when a request seems to want it."""

    id: str
    name: str
    provision: str
    applies_to: list[str] = []
    keywords: list[list[str]]
    text: str
    confidence: Confidence
    rule: RuleRef


# -- rules/forsoksloven.yaml -------------------------------------------------------------------


class Approver(Model):
    name: str
    short: str
    when: str
    applicants: list[ApplicantKind]  # the applicant kinds whose trials this body approves
    cites: list[str] = []
    rule: RuleRef


class Condition(Model):
    id: str
    text: str
    cites: list[str] = []
    rule: RuleRef


class TrialConditions(Model):
    """forsøksloven's conditions on the trial as a whole (§§ 2, 3 annet/tredje ledd, 5, 6)."""

    max_years: int = 4
    max_extension_years: int = 2
    reform_extension: bool = True
    applicant_kinds: list[ApplicantKind] = []
    approvers: list[Approver] = []
    conditions: list[Condition] = []
    rule: RuleRef | None = None


class ApproverEntry(_Strict):
    navn: NonEmpty
    kort: NonEmpty
    når: NonEmpty
    søkere: list[ApplicantKind] = Field(min_length=1)
    hjemmel: list[NodeId] = []


class ConditionEntry(_Strict):
    id: NonEmpty
    tekst: NonEmpty
    hjemmel: list[NodeId] = Field(min_length=1)


class ForsoksFile(_Strict):
    varighet_år: int = Field(gt=0)
    forlengelse_år: int = Field(ge=0)
    forlengelse_til_reform: bool
    varighet_hjemmel: NodeId
    søkere: list[ApplicantKind] = Field(min_length=1)  # who § 2 covers
    godkjennere: list[ApproverEntry] = Field(min_length=1)
    vilkår: list[ConditionEntry] = Field(min_length=1)


# -- rules/inferens.yaml -----------------------------------------------------------------------


class PatternEntry(_Strict):
    """A text pattern that suggests a tag. Inferred tags are never high confidence."""

    id: NonEmpty
    tag: Tag
    mønster: NonEmpty = Field(description="Python regular expression, case-insensitive")
    sikkerhet: Literal["middels", "lav"]
    begrunnelse: NonEmpty
    unntatt: list[NonEmpty] = Field([], description="Skip the hit if one of these also matches")
    dokumenter: list[NodeId] = Field([], description="Only in these documents (empty: all)")


class InferensFile(_Strict):
    mønstre: list[PatternEntry] = Field(min_length=1)

# -- rules/forsoksomrader.yaml ------------------------------------------------------------------


class AreaEntry(_Strict):
    navn: NonEmpty
    ord: list[NonEmpty] = Field(min_length=1)
    lover: list[NodeId] = []


class OmraderFile(_Strict):
    """rules/forsoksomrader.yaml: the areas the library «Tidligere forsøk» files trials under."""

    omrader: list[AreaEntry] = Field(min_length=1)


class TrialArea(Model):
    name: str
    keywords: list[str]
    laws: list[str] = []
    rule: RuleRef


SCHEMAS: dict[str, tuple[str, type[BaseModel]]] = {
    "lover": ("lover/*.yaml", CuratedFile),
    "tags": ("tags.yaml", TagsFile),
    "hjemler": ("hjemler.yaml", HjemlerFile),
    "forsoksloven": ("forsoksloven.yaml", ForsoksFile),
    "inferens": ("inferens.yaml", InferensFile),
    "tid": ("tid.yaml", TidFile),
    "dagens_regler": ("dagens_regler.yaml", DagensReglerFile),
    "praksis": ("praksis.yaml", PraksisFile),
    "forsoksomrader": ("forsoksomrader.yaml", OmraderFile),
}


def json_schemas() -> dict[str, dict]:
    """One JSON Schema (draft 2020-12) per kind of rules file, for editors' YAML support."""
    out: dict[str, dict] = {}
    for name, (pattern, model) in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://regelsjekk.local/schema/{name}.schema.json"
        schema["title"] = f"rules/{pattern}"
        schema["description"] = (model.__doc__ or "").strip() or f"regelsjekk: rules/{pattern}"
        out[name] = schema
    return out
