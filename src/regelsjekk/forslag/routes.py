"""From an idea to the trial authorities that could carry it: the *route* beside the obstacles.

An idea that only a sector law's own trial authority can carry should bring that authority up
next to the provisions it collides with (issue 14). Two kinds of evidence, each explained:

- **coverage**: a proposed provision lies within what the authority covers (rules/hjemler.yaml,
  also a forskrift made under a covered law, through its hjemmel edge) — the stronger the
  provision's rank, the stronger the route;
- **purpose**: the idea's own words show the authority's purpose (its keyword groups).

forsøksloven § 3 is a route when a proposed provision carries a curated § 3 ground (organisering,
oppgavefordeling, statlig kontroll). Routes are suggestions: `regelsjekk sjekk` decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from regelsjekk.core.ids import lovdata_url
from regelsjekk.core.model import ApplicantKind, Model, Tag

if TYPE_CHECKING:
    from regelsjekk.forslag.suggest import Suggestion
    from regelsjekk.kb.knowledge import KnowledgeBase

FORSOKSLOVEN_3 = "lov/1992-06-26-87/§3"
_GROUNDS = {Tag.ORGANISERING.value, Tag.OPPGAVEFORDELING.value, Tag.STATLIG_KONTROLL.value,
            Tag.ENHETSFYLKE.value}
PURPOSE_WEIGHT = 0.5  # a purpose shown in the idea's words counts like a well-ranked provision
# A provision that regulates private conduct or rests on higher law is no § 3 route, whatever
# else it carries (the snowmobile trials: Sivilombudet 2014).
_OUTSIDE = {Tag.PRIVAT_ATFERD.value, Tag.OVERORDNET_RETT.value}
_RIGHTS_LIMITS = ("ingen_innskrenking_rettigheter", "avveining")
COVERAGE_ALONE = 0.5  # a route by coverage alone needs a covered provision half as good as the best
MISFIT_WEIGHT = 0.4  # a route the idea's named actors cannot apply under


def _kinds(allowed: set[ApplicantKind]) -> str:
    from regelsjekk.check.authority import KIND_PLURAL

    names = [KIND_PLURAL[k.value] for k in sorted(allowed, key=lambda k: k.value)
             if k != ApplicantKind.STATLIG_ORGAN or len(allowed) == 1]
    return ", ".join(names[:-1]) + " og " + names[-1] if len(names) > 1 else names[0]


class RouteSuggestion(Model):
    """A trial authority that could carry the idea, with why."""

    provision: str = Field(description="The authority's §, e.g. lov/2023-06-09-30/§29-3")
    name: str
    url: str
    approver: str | None = None
    score: float
    covers: list[str] = Field([], description="Proposed provisions it covers (citations)")
    purpose_words: list[str] = Field([], description="The idea's words that show its purpose")
    reason: str


def suggest_routes(description: str, found: list[Suggestion], kb: KnowledgeBase,
                   limit: int = 5) -> list[RouteSuggestion]:
    """Trial authorities for an idea, best first, given the provisions `suggest` proposed."""
    if kb.rulebook is None or not found:
        return []
    from regelsjekk.check.authority import KIND_PLURAL, purpose_shown
    from regelsjekk.check.cache import cache_for

    cache = cache_for(kb)
    text = " ".join(description.lower().split())
    best = max(s.score for s in found) or 1.0
    scores: dict[str, float] = {}
    covers: dict[str, list[str]] = {}
    words: dict[str, list[str]] = {}
    authorities = {a.id: a for a in cache.authorities}
    for s in found:
        for auth in cache.covering_authorities(s.node_id):
            scores[auth.id] = scores.get(auth.id, 0.0) + s.score / best
            covers.setdefault(auth.id, []).append(s.citation)
        if set(s.tags) & _GROUNDS and not s.tags_inferred and not set(s.tags) & _OUTSIDE:
            scores["forsoksloven"] = scores.get("forsoksloven", 0.0) + s.score / best
            covers.setdefault("forsoksloven", []).append(s.citation)
    from regelsjekk.check.wording import safeguards_removed

    removes = bool(safeguards_removed(description))
    for auth in authorities.values():
        shown = [purpose_shown(p, text) for p in auth.purposes]
        if shown and all(w is not None for w in shown):
            words[auth.id] = [w for ws in shown for w in ws]
            scores[auth.id] = scores.get(auth.id, 0.0) + PURPOSE_WEIGHT
        elif auth.id in scores and scores[auth.id] < COVERAGE_ALONE:
            # Covering only weakly proposed provisions, with none of its purpose in the idea's
            # words, is no route (folketrygdloven § 25-13 for snowmobile trails, through a
            # folketrygdloven § far down the list).
            del scores[auth.id]
        if removes and auth.id in scores and any(lim.kind.value in _RIGHTS_LIMITS
                                                 for lim in auth.typed_limits):
            # The idea takes away an appeal, a say or notice; this authority forbids narrowing
            # rights (folketrygdloven § 25-13, opplæringslova § 29-3): not a route for it.
            del scores[auth.id]
    # Who the idea says will act: a route its actors cannot apply under comes lower, and says so
    # (privatskolelova § 2-5 is for the private school itself, not for «kommunen»).
    from regelsjekk.check.wording import actors_named

    actors = actors_named(description)
    misfit: dict[str, str] = {}
    # forsøksloven § 2: whom its approvers approve for (rules/forsoksloven.yaml)
    scope = {k for a in cache.conditions.approvers for k in a.applicants}
    for key in scores:
        allowed = scope if key == "forsoksloven" else set(authorities[key].applicants)
        if actors and allowed and not actors & allowed:
            named = ", ".join(sorted(KIND_PLURAL[k.value] for k in actors))
            misfit[key] = (f" Men søkere etter hjemmelen er {_kinds(allowed)}, og idéen nevner "
                           f"{named} som den som skal gjennomføre forsøket.")
            scores[key] *= MISFIT_WEIGHT
    out = []
    for key, score in scores.items():
        if key == "forsoksloven":
            out.append(RouteSuggestion.model_construct(
                provision=FORSOKSLOVEN_3, name="forsøksloven § 3", url=lovdata_url(FORSOKSLOVEN_3),
                approver="KDD, DFD eller Kongen i statsråd (etter søker)", score=round(score, 4),
                covers=covers[key],
                reason=("Forslagene " + ", ".join(covers[key][:3]) + " gjelder organisering, "
                        "oppgavefordeling eller statlig kontroll (forsøksloven § 3)."
                        + (" Men idéen tar bort klage, varsel eller uttalerett, som forsøksloven "
                           "§ 4 første ledd bokstav b og c verner: det må vurderes om det kan "
                           "godkjennes." if removes else "") + misfit.get(key, ""))))
            continue
        auth = authorities[key]
        why = []
        if covers.get(key):
            why.append(f"omfatter {', '.join(covers[key][:3])}")
        if words.get(key):
            why.append("idéen nevner " + ", ".join(f"«{w}»" for w in words[key][:4])
                       + " (hjemmelens formål)")
        out.append(RouteSuggestion.model_construct(
            provision=auth.provision, name=auth.name, url=lovdata_url(auth.provision),
            approver=auth.approver, score=round(score, 4), covers=covers.get(key, []),
            purpose_words=words.get(key, []),
            reason=f"{auth.name[:1].upper()}{auth.name[1:]}: " + "; ".join(why) + "."
            + misfit.get(key, "")))
    out.sort(key=lambda r: (-r.score, r.provision))
    return out[:limit]
