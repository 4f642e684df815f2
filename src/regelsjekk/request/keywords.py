"""The words of the request language: keywords per grammar terminal, and the value words.

One table serves the transformer (word → enum), the formatter (enum → canonical bokmål word),
the error messages (terminal → what was expected, in words) and the "mente du …?" hints.
The grammar (grammar.lark) holds the same spellings as regular expressions; a test checks that
every spelling listed here is accepted there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regelsjekk.request.model import Aim, ApplicantKind, Effect


@dataclass(frozen=True)
class Keyword:
    terminal: str  # the grammar terminal
    bokmal: str  # the canonical spelling (what `regelsjekk fmt` writes)
    nynorsk: str | None = None  # the nynorsk spelling where it differs
    variants: tuple[str, ...] = ()  # other accepted spellings
    role: str = "felt"  # felt | unntaksfelt | blokk | periode

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.bokmal, *((self.nynorsk,) if self.nynorsk else ()), *self.variants)


# Fields of a request, in canonical order (the formatter writes them in this order).
REQUEST_FIELDS: tuple[Keyword, ...] = (
    Keyword("SOKER", "søker", "søkjar", ("søkere", "søkjarar")),
    Keyword("FORMAL", "formål", "føremål"),
    Keyword("MAL", "mål"),
    Keyword("PERIODE", "periode", None, ("perioden",)),
    Keyword("ENHETER", "enheter", "einingar", ("enhet", "eining", "forsøksenheter",
                                                "forsøkseiningar")),
    Keyword("EVALUERING", "evaluering"),
    Keyword("SAMARBEID", "samarbeid", None, ("samarbeidspartnere", "samarbeidspartnarar")),
    Keyword("REVERSIBEL", "reversibel", None, ("reversibelt",)),
    Keyword("VEDTAK", "vedtak i kommunestyret", None, ("vedtak i fylkestinget", "vedtak")),
    Keyword("HORING", "høring", "høyring"),
    Keyword("MERKNAD", "merknad", None, ("merknader",)),
)
EXEMPTION_FIELDS: tuple[Keyword, ...] = (
    Keyword("VIRKNING", "virkning", "verknad", role="unntaksfelt"),
    Keyword("ERSTATNING", "erstatning", role="unntaksfelt"),
    Keyword("RETTSSIKKERHET", "rettssikkerhet", "rettstryggleik", role="unntaksfelt"),
    Keyword("BEGRUNNELSE", "begrunnelse", "grunngjeving", ("grunngiving",), role="unntaksfelt"),
)
BLOCKS: tuple[Keyword, ...] = (
    Keyword("SOKNAD", "søknad", role="blokk"),
    Keyword("UNNTAK", "unntak", role="blokk"),
    Keyword("SLUTT", "slutt", role="blokk"),
)
PERIOD_WORDS: tuple[Keyword, ...] = (
    Keyword("FRA", "fra", "frå", role="periode"),
    Keyword("_I", "i", role="periode"),
    Keyword("UNIT", "år", None, ("måneder", "måned", "månader", "månad", "mnd"), role="periode"),
    Keyword("FORLENGELSE", "forlengelse", "forlenging", role="periode"),
    Keyword("_MED", "med", role="periode"),
    Keyword("REFORM", "reform", role="periode"),
)
ALL_KEYWORDS: tuple[Keyword, ...] = REQUEST_FIELDS + EXEMPTION_FIELDS + BLOCKS + PERIOD_WORDS
BY_TERMINAL: dict[str, Keyword] = {k.terminal: k for k in ALL_KEYWORDS}

# ---- value words: accepted spelling (lower case, single spaces) → enum; first = canonical ----
AIM_WORDS: dict[str, Aim] = {
    "organisering": Aim.ORGANISERING,
    "oppgavefordeling": Aim.OPPGAVEFORDELING,
    "oppgåvefordeling": Aim.OPPGAVEFORDELING,
    "tjenesteyting": Aim.TJENESTEYTING,
    "tenesteyting": Aim.TJENESTEYTING,
    "ressursutnyttelse": Aim.RESSURSUTNYTTELSE,
    "ressursutnytting": Aim.RESSURSUTNYTTELSE,
    "demokrati": Aim.DEMOKRATI,
}
KIND_WORDS: dict[str, ApplicantKind] = {
    "kommune": ApplicantKind.KOMMUNE,
    "fylkeskommune": ApplicantKind.FYLKESKOMMUNE,
    "statlig regionalt organ": ApplicantKind.STATLIG_REGIONAL,
    "statleg regionalt organ": ApplicantKind.STATLIG_REGIONAL,
    "regional stat": ApplicantKind.STATLIG_REGIONAL,
    "lokal stat": ApplicantKind.STATLIG_REGIONAL,
    "statlig sentralt organ": ApplicantKind.STATLIG_SENTRAL,
    "statleg sentralt organ": ApplicantKind.STATLIG_SENTRAL,
    "departement": ApplicantKind.STATLIG_SENTRAL,
    "direktorat": ApplicantKind.STATLIG_SENTRAL,
    "privat": ApplicantKind.PRIVAT,
    "privat virksomhet": ApplicantKind.PRIVAT,
    "selskap": ApplicantKind.PRIVAT,
    "foretak": ApplicantKind.PRIVAT,
    "stiftelse": ApplicantKind.PRIVAT,
    "forening": ApplicantKind.PRIVAT,
    "statlig organ": ApplicantKind.STATLIG_ORGAN,
    "statleg organ": ApplicantKind.STATLIG_ORGAN,
    "statlig": ApplicantKind.STATLIG_ORGAN,
    "statleg": ApplicantKind.STATLIG_ORGAN,
    "stat": ApplicantKind.STATLIG_ORGAN,
}
EFFECT_WORDS: dict[str, Effect] = {
    "ingen": Effect.INGEN,
    "utvider rettighet": Effect.UTVIDER_RETTIGHET,
    "utvidar rett": Effect.UTVIDER_RETTIGHET,
    "innskrenker rettighet": Effect.INNSKRENKER_RETTIGHET,
    "innskrenkar rett": Effect.INNSKRENKER_RETTIGHET,
    "letter plikt": Effect.LETTER_PLIKT,
    "lettar plikt": Effect.LETTER_PLIKT,
    "utvider plikt": Effect.UTVIDER_PLIKT,
    "utvidar plikt": Effect.UTVIDER_PLIKT,
}
# The kinds as the messages list them (one spelling each, the ones people write most).
KIND_CHOICES = ["kommune", "fylkeskommune", "statlig regionalt organ", "statlig sentralt organ",
                "statlig organ", "privat"]


def _canonical(words: dict) -> dict:
    """Enum → its first spelling above (bokmål), in enum order."""
    out: dict = {}
    for word, value in words.items():
        out.setdefault(value, word)
    return {value: out[value] for value in type(next(iter(out)))}


CANONICAL_AIM: dict[Aim, str] = _canonical(AIM_WORDS)
CANONICAL_KIND: dict[ApplicantKind, str] = _canonical(KIND_WORDS)
CANONICAL_EFFECT: dict[Effect, str] = _canonical(EFFECT_WORDS)
# A kind in a sentence: «… ser ut som en kommune».
KIND_PHRASE: dict[ApplicantKind, str] = {
    ApplicantKind.KOMMUNE: "en kommune", ApplicantKind.FYLKESKOMMUNE: "en fylkeskommune",
    ApplicantKind.STATLIG_ORGAN: "et statlig organ",
    ApplicantKind.STATLIG_REGIONAL: "et regionalt statlig organ",
    ApplicantKind.STATLIG_SENTRAL: "et sentralt statlig organ (departement eller direktorat)",
    ApplicantKind.PRIVAT: "en privat virksomhet (et selskap)",
}

_SPACES = re.compile(r"\s+")


def _key(word: str) -> str:
    return _SPACES.sub(" ", word.strip()).lower()


def aim_of(word: str) -> Aim:
    return AIM_WORDS[_key(word)]


def kind_of(word: str) -> ApplicantKind:
    return KIND_WORDS[_key(word)]


def effect_of(word: str) -> Effect:
    """Map any accepted effect phrase (bokmål/nynorsk, singular/plural) to an Effect."""
    key = _key(word)
    if key == "ingen":
        return Effect.INGEN
    verb, _, obj = key.partition(" ")
    if obj.startswith("rett"):
        if verb in ("utvider", "utvidar"):
            return Effect.UTVIDER_RETTIGHET
        return Effect.INNSKRENKER_RETTIGHET
    if verb in ("letter", "lettar"):
        return Effect.LETTER_PLIKT
    return Effect.UTVIDER_PLIKT


_REGIONAL_STATE = re.compile(r"(?:statsforvaltaren|statsforvalteren|fylkesmannen) i \S", re.I)


def state_level(name: str) -> ApplicantKind | None:
    """The level of a state body where its name shows it: a ministry or a directorate
    («…departementet», «…direktoratet») is central; the statsforvalter («Statsforvalteren i
    Vestland», formerly «Fylkesmannen i …») regional. None for every other name."""
    key = _key(name)
    last = key.rsplit(None, 1)[-1] if key else ""
    if last.endswith(("departementet", "direktoratet")):
        return ApplicantKind.STATLIG_SENTRAL
    if _REGIONAL_STATE.match(key):
        return ApplicantKind.STATLIG_REGIONAL
    return None


def infer_kind(name: str) -> ApplicantKind | None:
    """An applicant's kind from its name ("Grong kommune", "Vestland fylkeskommune"), if it shows."""
    last = name.strip().lower().rsplit(None, 1)[-1] if name.strip() else ""
    if last.endswith("fylkeskommune"):
        return ApplicantKind.FYLKESKOMMUNE
    if last.endswith("kommune"):
        return ApplicantKind.KOMMUNE
    level = state_level(name)
    if level is not None:
        return level
    if last in ("as", "asa", "sa", "ans", "da"):
        return ApplicantKind.PRIVAT
    return None


def effective_kind(name: str, kind: ApplicantKind) -> ApplicantKind:
    """The kind the checker works with: a state body of unstated level («statlig organ») whose
    name shows its level gets that level; every other kind is taken as written."""
    if kind == ApplicantKind.STATLIG_ORGAN:
        return state_level(name) or kind
    return kind


def quoted(words: list[str] | tuple[str, ...]) -> str:
    """«a», «b» eller «c» — a Norwegian list of alternatives."""
    items = [f"«{w}»" for w in words]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " eller " + items[-1]
