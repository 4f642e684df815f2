"""A sector law's trial authority evaluated against the request, like forsøksloven's conditions.

provision.py finds the authorities that cover a provision (scope by id, and by hjemmel edge for a
forskrift). Whether the *request* fits one is a separate question, answered here per exemption:

1. **Who applies.** The authority's `søkere` (rules/hjemler.yaml). An applicant it does not cover
   makes it no route at all: the provision is answered by forsøksloven alone.
2. **Its limits against the stated effect.** `ingen_innskrenking_rettigheter` and
   `ingen_utvidelse_plikter` block the matching direction; `avveining` turns narrowing rights into
   «må vurderes» with the balancing test cited.
3. **Its purpose.** Each purpose has keyword groups; the request's title, purpose, reason and
   replacement rule must contain a word from every group. If not, «må vurderes» with the question
   the application must answer.

Only when all three hold does «annen hjemmel» stand. An authority nobody has curated for (1)–(3)
never gives a firm answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from regelsjekk.check.provision import EFFECT_TEXT, BlockKind, _cap
from regelsjekk.check.verdict import Certainty, Reason, ReasonKind, Verdict
from regelsjekk.check.wording import denied
from regelsjekk.request.model import Effect

if TYPE_CHECKING:
    from regelsjekk.check.provision import Assessed
    from regelsjekk.request.model import Exemption, Request
    from regelsjekk.rules.schema import Purpose, TrialAuthority

FL_4_2 = "lov/1992-06-26-87/§4/ledd/2"
_BLOCKING = {"ingen_innskrenking_rettigheter": Effect.INNSKRENKER_RETTIGHET,
             "ingen_utvidelse_plikter": Effect.UTVIDER_PLIKT}
# Applicant kinds in the plural, for «søkere etter hjemmelen er …» (also forslag.routes).
KIND_PLURAL = {"kommune": "kommuner", "fylkeskommune": "fylkeskommuner",
              "statlig_regional": "regionale og lokale statlige organer",
              "statlig_sentral": "sentrale statlige organer", "statlig_organ": "statlige organer",
              "privat": "private virksomheter"}


def request_text(request: Request, ex: Exemption) -> str:
    """What the applicant wrote about the trial: where a purpose must show."""
    parts = [request.tittel, request.formal, request.samarbeid, ex.begrunnelse, ex.erstatning,
             ex.rettssikkerhet]
    return " ".join(p for p in parts if p).lower()


def _word_hit(text: str, words: list[str], denied_too: bool) -> str | None:
    for w in words:
        for m in re.finditer(r"(?<!\w)" + re.escape(w), text):
            end = re.match(r"\w*", text[m.end():])
            stop = m.end() + (end.end() if end else 0)
            if denied_too or not denied(text, m.start(), stop):
                return text[m.start():stop]
    return None


def purpose_shown(purpose: Purpose, text: str) -> list[str] | None:
    """The words that show the purpose (one per group), or None when a group has no match.
    A word the request denies («… er ikke med») shows nothing: a purpose opens a route."""
    return keywords_shown(purpose.keywords, text, denied_too=False)


def keywords_shown(keywords: list[list[str]], text: str, *, denied_too: bool = True) -> list[str] | None:
    """One word of `text` per keyword group (a group is any of its word starts), or None.
    With denied_too (a hint such as a current-law arrangement), a denied word counts too: an
    applicant who rules an arrangement out may still be pointed to it."""
    found = []
    for group in keywords:
        hit = _word_hit(text, group, denied_too)
        if hit is None:
            return None
        found.append(hit)
    return found


def _applicants_fit(auth: TrialAuthority, request: Request) -> list[str]:
    """Names of applicants the authority does not cover (empty: all covered)."""
    if not auth.applicants:
        return []
    allowed = set(auth.applicants)
    return [a.navn for a in request.sokere if a.type not in allowed]


def apply_authorities(a: Assessed, request: Request, ex: Exemption, cite) -> Assessed:  # noqa: ANN001
    """The provision's answer once each covering authority is held against the request."""
    if not a.authorities:
        return a
    res = a.result
    text = request_text(request, ex)
    reasons: list[Reason] = []
    keep: list[TrialAuthority] = []
    blocked: list[tuple[TrialAuthority, object]] = []
    weighing: list[tuple[TrialAuthority, object]] = []
    unshown: list[tuple[TrialAuthority, Purpose]] = []
    uncurated: list[TrialAuthority] = []
    for auth in a.authorities:
        outside = _applicants_fit(auth, request)
        if outside:
            kinds = ", ".join(KIND_PLURAL.get(k.value, k.value) for k in auth.applicants)
            reasons.append(Reason(kind=ReasonKind.MERKNAD, cites=[res.id, auth.provision], rule=auth.rule,
                                  text=(f"{_cap(auth.name)} gjelder forsøk fra {kinds}; "
                                        f"{', '.join(outside)} kan ikke søke etter den, så den er "
                                        f"ingen vei for denne søknaden.")))
            continue
        keep.append(auth)
        if not auth.applicants or not auth.purposes:
            uncurated.append(auth)
        for limit in auth.typed_limits:
            if _BLOCKING.get(limit.kind.value) == ex.virkning:
                blocked.append((auth, limit))
            elif limit.kind.value == "avveining" and ex.virkning == Effect.INNSKRENKER_RETTIGHET:
                weighing.append((auth, limit))
        for purpose in auth.purposes:
            words = purpose_shown(purpose, text)
            if words is None:
                unshown.append((auth, purpose))
            else:
                reasons.append(Reason(kind=ReasonKind.MERKNAD, cites=[res.id, auth.provision], rule=auth.rule,
                                      text=(f"Søknaden viser formålet etter {auth.name}: "
                                            f"{purpose.text.rstrip('.')} (ord i søknaden: "
                                            f"{', '.join(f'«{w}»' for w in words)}).")))
    # The rule set aside protects individuals (forsøksloven § 4 første ledd stops it: rettssikkerhet,
    # saksbehandling). A sector authority may go further than forsøksloven, but where its own
    # limit protects rights, «ingen virkning» in the request does not show that the deviation
    # keeps them: the limit has to be weighed, never passed on the stated effect alone.
    protective: list[tuple[TrialAuthority, object]] = []
    asks: list[tuple[TrialAuthority, _Question]] = []  # limits to show first (next steps only)
    if BlockKind.FORSOKSLOVEN in a.block_kinds:
        done = {x[0].id for x in blocked}
        protective = [(auth, limit) for auth in keep if auth.id not in done
                      for limit in auth.typed_limits
                      if limit.kind.value in ("ingen_innskrenking_rettigheter", "avveining")]
    for auth, limit in protective:
        # In «Neste steg», the route is named with its limit as the question to answer first.
        asks.append((auth, _Question(
            text=limit.text, question="Gir erstatningsregelen et minst like godt vern som regelen "
                                      "det gjøres avvik fra")))
        reasons.append(Reason(kind=ReasonKind.BETINGELSE, cites=[res.id, limit.source, *a.limit_cites],
                              basis=limit.source, rule=auth.rule, text=(
                                  f"{_cap(auth.name)}: {limit.text.rstrip('.')}. {_cap(res.citation)} "
                                  f"verner enkeltpersoner (derfor stenger forsøksloven § 4 første "
                                  f"ledd for avviket, se over). At søknaden oppgir "
                                  f"{EFFECT_TEXT[ex.virkning]}, viser ikke at vernet består: det må "
                                  f"vurderes om erstatningsregelen gir et minst like godt vern, "
                                  f"ellers holder ikke denne veien.")))
    for auth, limit in blocked:
        reasons.append(Reason(kind=ReasonKind.BEGRENSNING, cites=[res.id, limit.source, FL_4_2],
                              basis=limit.source, rule=auth.rule, text=(
                                  f"Grense i {auth.name}: {limit.text.rstrip('.')}. Søknaden oppgir "
                                  f"at forsøket {_EFFECT[ex.virkning]}, og det stenger denne veien; "
                                  f"forsøksloven § 4 annet ledd setter samme grense.")))
    for auth, limit in weighing:
        reasons.append(Reason(kind=ReasonKind.BETINGELSE, cites=[res.id, limit.source],
                              rule=auth.rule, text=(
                                  f"{_cap(auth.name)}: {limit.text.rstrip('.')} Søknaden må vise "
                                  f"den avveiningen.")))
    for auth, purpose in unshown:
        reasons.append(Reason(kind=ReasonKind.BETINGELSE, cites=[res.id, auth.provision], rule=auth.rule,
                              text=(f"{_cap(auth.name)} gjelder bare når {_lower(purpose.text)} "
                                    f"Søknaden viser ikke det. Søknaden må svare på: "
                                    f"{purpose.question}")))
    for auth in uncurated:
        reasons.append(Reason(kind=ReasonKind.BETINGELSE, cites=[res.id, auth.provision], rule=auth.rule,
                              text=(f"For {auth.name} er det ikke kartlagt i rules/ hvem som kan "
                                    f"søke og hva forsøket må gjelde; det må vurderes.")))
    claims_sector = res.verdict == Verdict.ANNEN_HJEMMEL or (
        res.verdict == Verdict.MA_VURDERES and res.likely == Verdict.ANNEN_HJEMMEL)
    if not claims_sector:
        return replace(a, authorities=keep, purpose_unshown=unshown + asks, result=res.model_copy(update={
            "reasons": [*res.reasons, *reasons], "routes": [x.id for x in keep]}))
    verdict, likely, certainty = res.verdict, res.likely, res.certainty
    if not keep:  # no authority can carry it for these applicants: forsøksloven alone answers
        verdict, likely, certainty = a.before_sector or (Verdict.MA_VURDERES, None, Certainty.USIKKER)
        reasons = [r for r in res.reasons if r.kind != ReasonKind.ANNEN_HJEMMEL] + reasons
        return replace(a, authorities=[], result=res.model_copy(update={
            "verdict": verdict, "likely": likely if likely != verdict else None,
            "certainty": certainty, "reasons": reasons, "routes": []}))
    if blocked and len({x[0].id for x in blocked}) == len(keep):
        verdict, likely, certainty = Verdict.IKKE_HJEMMEL, None, Certainty.SIKKER
    elif protective:  # no likely outcome: it turns on whether the protection is kept
        verdict, likely, certainty = Verdict.MA_VURDERES, None, Certainty.USIKKER
    elif weighing or unshown or uncurated:
        verdict, likely = Verdict.MA_VURDERES, Verdict.ANNEN_HJEMMEL
        certainty = Certainty.SANNSYNLIG if certainty == Certainty.SIKKER else certainty
        if unshown and not weighing and not uncurated and a.before_sector is not None:
            # Nothing in the request shows the sector route fits: the likely answer is what
            # forsøksloven says on its own (the route stays named, with its question).
            fl_verdict, fl_likely, _ = a.before_sector
            likely = fl_likely if fl_verdict == Verdict.MA_VURDERES else fl_verdict
    return replace(a, authorities=keep, purpose_unshown=unshown + asks, result=res.model_copy(update={
        "verdict": verdict, "likely": likely if likely != verdict else None, "certainty": certainty,
        "reasons": [*res.reasons, *reasons], "routes": [x.id for x in keep]}))


_EFFECT = {
    Effect.INNSKRENKER_RETTIGHET: "innskrenker rettigheter",
    Effect.UTVIDER_PLIKT: "utvider plikter",
}


@dataclass(frozen=True)
class _Question:
    """What a route must show before it is one (a purpose, or a limit that protects rights)."""

    text: str
    question: str


def _lower(text: str) -> str:
    text = text.rstrip(".")
    rest = text[len("Forsøket må "):] if text.startswith("Forsøket må ") else None
    return (f"forsøket må {rest}." if rest is not None else text[:1].lower() + text[1:] + ".")


def current_law_routes(c, request: Request, exemptions) -> list:  # noqa: ANN001
    """Arrangements current law already allows (rules/dagens_regler.yaml) that the request seems
    to be after: named as a route, so nobody runs a trial for what needs none. The verdicts stand."""
    from regelsjekk.check.verdict import Route, RouteKind

    text = " ".join([request.tittel or "", request.formal or ""]
                    + [request_text(request, ex) for ex in request.unntak]).lower()
    out = []
    for arr in c.rulebook.arrangements:
        words = keywords_shown(arr.keywords, text)
        if words is None:
            continue
        numbers = [e.number for e in exemptions
                   if not arr.applies_to or any(
                       set(c.chain(p.id)) & set(arr.applies_to)
                       or any(p.id.startswith(x + "/") for x in arr.applies_to)
                       for p in e.provisions)]
        if not numbers:
            continue
        out.append(Route(
            kind=RouteKind.DAGENS_REGLER, id=arr.id, name=f"Innenfor dagens regler: {arr.name}",
            provision=arr.provision, exemptions=numbers, allows=arr.text, cites=[arr.provision],
            rule=arr.rule, note=(f"Søknaden nevner {', '.join(f'«{w}»' for w in words)}. Undersøk "
                                 f"først om målet nås slik; da trengs ikke forsøk for det.")))
    return out
