"""One provision under forsøksloven: effective tags → grounds, limits, conditions → a verdict.

This is step 3 and 4 of the decision procedure (shared/domain/checking.md): apply every tag's
definition from rules/tags.yaml to the provision, with the direction of the change for individuals
taken from the request, then look for a sector law's own trial authority. The worst bug is a
wrong "hjemmel", so every path that is not a curated, confident ground ends in "må vurderes".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from regelsjekk.check.cache import KbCache
from regelsjekk.check.verdict import (
    Certainty,
    ProvisionResult,
    Reason,
    ReasonKind,
    TagInfo,
    TraceNode,
    Verdict,
)
from regelsjekk.core import ids
from regelsjekk.core.model import Confidence, EffectiveTag, Tag, TagEffect, TagSource
from regelsjekk.request.model import Effect
from regelsjekk.rules.schema import FORSOKSLOVEN

# § 4 annet ledd: the limit on restricting rights / extending duties (fallback when tags.yaml
# has no definition for the rights tags; the text of the law is the same either way).
FL_4_2 = f"{FORSOKSLOVEN}/§4/ledd/2"
FL_4_1_A = f"{FORSOKSLOVEN}/§4/ledd/1/bokstav/a"
FL_3_1 = f"{FORSOKSLOVEN}/§3/ledd/1"
# The snowmobile precedent: motorferdselloven § 4a now gives municipalities the power to set
# snowmobile trails by forskrift — the change of law that replaced the 2013–2014 trial.
SNOWMOBILE_LAW = "lov/1977-06-10-82/§4a"
SNOWMOBILE_PRECEDENT = (
    "Forbilde: snøscooterforsøket (2013–2014) brukte forsøksloven til å endre et forbud for "
    "private. Sivilombudet fant i 2014 at en ordning «der alle som ønsker kan delta» ikke var "
    "forsvarlig og faglig godt underbygget; forsøket ble stanset, og spørsmålet ble løst ved "
    "endring av motorferdselloven (§ 4a).")

# Tags of a node's parts that make the whole node less open (a chapter is never more open
# than the ledd and §§ inside it).
PART_LIMITS = {Tag.KOMMUNELOV_GRUNNLEGGENDE, Tag.FORVALTNINGSLOV_SAKSBEHANDLING, Tag.RETTSSIKKERHET,
               Tag.INDIVIDUELL_RETTIGHET, Tag.INDIVIDUELL_PLIKT, Tag.PRIVAT_ATFERD,
               Tag.OVERORDNET_RETT, Tag.STRAFF, Tag.SKATT_AVGIFT}

# Limits that no trial authority lifts (lex superior, legality of penalties and taxes).
GENERAL_LIMITS = {Tag.OVERORDNET_RETT, Tag.STRAFF, Tag.SKATT_AVGIFT}
# Penalties and taxes: blocked only when extended (§ 4 annet ledd); otherwise outside § 3.
PENAL = {Tag.STRAFF, Tag.SKATT_AVGIFT}
EFFECT_TEXT = {
    Effect.INGEN: "ingen virkning for enkeltpersoner",
    Effect.UTVIDER_RETTIGHET: "at forsøket utvider rettigheter",
    Effect.INNSKRENKER_RETTIGHET: "at forsøket innskrenker rettigheter",
    Effect.LETTER_PLIKT: "at forsøket letter plikter",
    Effect.UTVIDER_PLIKT: "at forsøket utvider plikter",
}
# What a tag needs from the request's direction: (blocking effect, harmless effect, noun)
DIRECTION = {
    Tag.INDIVIDUELL_RETTIGHET: (Effect.INNSKRENKER_RETTIGHET, Effect.UTVIDER_RETTIGHET, "rettighet"),
    Tag.INDIVIDUELL_PLIKT: (Effect.UTVIDER_PLIKT, Effect.LETTER_PLIKT, "plikt"),
}
class BlockKind(StrEnum):
    """Why a provision is blocked: decides which other routes and fixes are worth naming."""

    FORSOKSLOVEN = "forsoksloven"  # a limit in forsøksloven § 4 (another authority may carry it)
    RETNING = "retning"            # the request narrows rights or extends duties (§ 4 annet ledd)
    GENERELL = "generell"          # lex superior: no authority can carry it


class FixKind(StrEnum):
    """Hints that do not come from one tag."""

    RETNING = "retning"
    RETTSSIKKERHET = "rettssikkerhet"
    UTENFOR = "utenfor"


FIX_HINTS: dict[FixKind, str] = {
    FixKind.RETNING: "form forsøket slik at ingen rettigheter innskrenkes og ingen plikter utvides",
    FixKind.RETTSSIKKERHET: "beskriv en alternativ framgangsmåte som ivaretar rettssikkerheten "
                            "minst like godt (forsøksloven § 4 første ledd bokstav c)",
    FixKind.UTENFOR: "regler om hva private kan gjøre, endres normalt ved lov, slik "
                     "snøscooterløypene ble løst ved endring av motorferdselloven (§ 4a); ta det "
                     "opp med fagdepartementet",
}
TAG_FIX_HINTS: dict[Tag, str] = {
    Tag.KOMMUNELOV_GRUNNLEGGENDE: "kommunelovens grunnleggende organisering kan bare endres ved "
                                  "lovendring; se om målet nås innenfor kommunelovens egne "
                                  "samarbeidsformer",
    Tag.FORVALTNINGSLOV_SAKSBEHANDLING: "forvaltningslovens saksbehandlingsregler kan bare "
                                        "endres ved lovendring",
    Tag.OVERORDNET_RETT: "regler som følger av Grunnloven, EØS-retten eller menneskerettighetene "
                         "kan ikke fravikes",
    Tag.STRAFF: "straffebestemmelser kan bare endres ved lov",
    Tag.SKATT_AVGIFT: "skatter og avgifter kan bare endres ved lov (Grunnloven § 75)",
}


@dataclass
class Assessed:
    """A provision's result plus the facts the exemption and the routes need."""

    result: ProvisionResult
    trace: TraceNode
    block_kinds: set[BlockKind] = field(default_factory=set)
    fix_hints: list[str] = field(default_factory=list)
    outside: bool = False
    limit_cites: list[str] = field(default_factory=list)
    ground_cites: list[str] = field(default_factory=list)
    authorities: list = field(default_factory=list)
    # forsøksloven's answer before any sector authority was applied: (verdict, likely, certainty)
    before_sector: tuple | None = None
    # sector authorities whose purpose the request does not show: (authority, purpose) pairs
    purpose_unshown: list = field(default_factory=list)


def assess_provision(cache: KbCache, node_id: str, effect: Effect,
                     safeguard: str | None, doubts: tuple[str, ...] = (),
                     enhetsfylke: bool = False) -> Assessed:
    """Assess one provision (memoised per knowledge base: the inputs are all in the key).
    `doubts`: words of the replacement rule that contradict a stated widening of rights;
    `enhetsfylke`: the trial is one (forsøksloven § 3 første ledd d), which lifts § 4 første
    ledd a."""
    key = (node_id, effect, safeguard, doubts, enhetsfylke)
    hit = cache.provisions.get(key)
    if hit is None:
        hit = _Assessor(cache, node_id, effect, safeguard, doubts, enhetsfylke).run()
        cache.provisions[key] = hit
    return hit


class _Assessor:
    def __init__(self, cache: KbCache, node_id: str, effect: Effect, safeguard: str | None,
                 doubts: tuple[str, ...] = (), enhetsfylke: bool = False) -> None:
        self.c, self.node_id, self.effect, self.safeguard = cache, node_id, effect, safeguard
        self.doubts, self.enhetsfylke = doubts, enhetsfylke
        self.cit = cache.cite(node_id)
        self.grounds: list[Reason] = []
        self.blocks: list[Reason] = []
        self.conditionals: list[Reason] = []
        self.outside: list[Reason] = []
        self.formal: list[Reason] = []
        self.notes: list[Reason] = []
        self.block_kinds: set[BlockKind] = set()
        self.fix_hints: list[str] = []
        self.tag_traces: list[TraceNode] = []
        self._told: set[str] = set()  # rationales already quoted (one entry, several tags)
        self._from_parts: set[str] = set()  # parts whose tags count for the whole node
        self._from_law: set[str] = set()  # law provisions a forskrift's tags come from (hjemmel)
        self.no_ground = False  # the only doubt is forsøksloven § 3 (irrelevant to other routes)
        self.undefined = False  # a tag without a definition in tags.yaml (could be a limit)
        self.by_enhetsfylke = False  # § 3 d lifts § 4 a because of the request's words

    # -- the procedure ---------------------------------------------------------------------

    def run(self) -> Assessed:
        tags = self.c.tags(self.node_id)
        curated = [t for t in tags if t.assignment.source == TagSource.CURATED]
        basis = curated or [t for t in tags if t.assignment.source == TagSource.INFERRED]
        inherited = [] if curated else self._from_hjemmel()
        basis = basis + [t for t in inherited if t.tag not in {b.tag for b in basis}]
        basis = basis + self._parts_limits(curated, {t.tag for t in basis})
        inferred_only = bool(basis) and not curated and not inherited
        present = {t.tag for t in basis}
        if self.enhetsfylke and Tag.KOMMUNELOV_GRUNNLEGGENDE in present \
                and Tag.ENHETSFYLKE not in present:
            present.add(Tag.ENHETSFYLKE)  # the trial is an enhetsfylke: § 3 d lifts § 4 a
            self.by_enhetsfylke = True  # … read from the request's words
        self._direction_from_request(present)
        for et in basis:
            self._apply(et, present)
        verdict, likely = self._forsoksloven_verdict(basis)
        certainty = Certainty.SIKKER if self._firm_block() else self._certainty(basis, inferred_only)
        precedents = self.c.rulebook.precedents_for(self.node_id, self.c.chain(self.node_id))
        if verdict == Verdict.IKKE_HJEMMEL and precedents and self._only_section_4_a():
            # forsøksloven's own answer (so also what stands before a sector authority): practice
            # approved trials that set this provision (or the one it replaced) aside under the
            # same § 4 wording; what counts as «kommunelovens grunnleggende bestemmelser» is
            # narrower in practice than the tag reads it. Where the two pull apart, a lawyer
            # decides (shared/domain: practice informs, it does not settle).
            likely, verdict = Verdict.IKKE_HJEMMEL, Verdict.MA_VURDERES
            certainty = Certainty.SANNSYNLIG
            self.notes.append(Reason(
                kind=ReasonKind.MERKNAD, cites=[self.node_id, FL_4_1_A], text=(
                    f"Forsøksloven § 4 første ledd bokstav a og praksis trekker hver sin vei for "
                    f"{self.cit}: forsøk med avvik fra den er godkjent før (se praksis under). "
                    f"Sannsynlig utfall etter lovteksten er ikke hjemmel, men en jurist må "
                    f"vurdere om avviket rammer kommunelovens grunnleggende organisering.")))
        if self.by_enhetsfylke and certainty == Certainty.SIKKER:
            # whether the trial really joins the two in one body with one leadership is read from
            # the request's words: never firmer than «sannsynlig»
            certainty = Certainty.SANNSYNLIG
        if inferred_only and verdict in (Verdict.HJEMMEL, Verdict.IKKE_HJEMMEL,
                                         Verdict.KREVER_IKKE_FORSOK) and not self._firm_block():
            likely, verdict = verdict, Verdict.MA_VURDERES
            self.notes.append(Reason(
                kind=ReasonKind.MERKNAD, cites=[self.node_id],
                text=(f"Vurderingen av {self.cit} bygger bare på mønstre i teksten (utledede tagger), "
                      f"ikke på en kontrollert vurdering i rules/. Sannsynlig utfall: "
                      f"{likely.label.lower()} — en jurist må bekrefte det.")))
        elif self._deciding_confidence() == Confidence.LOW and verdict in (
                Verdict.HJEMMEL, Verdict.IKKE_HJEMMEL) and not self._firm_block():
            likely, verdict = verdict, Verdict.MA_VURDERES
            self.notes.append(Reason(
                kind=ReasonKind.MERKNAD, cites=[self.node_id],
                text=(f"Vurderingen av {self.cit} i rules/ har lav sikkerhet. Sannsynlig utfall: "
                      f"{likely.label.lower()} — en jurist må bekrefte det.")))
        if not basis:
            self._uavklart()
        authorities = self._sector_routes(present)
        before_sector = (verdict, likely, certainty)
        verdict, likely, certainty = self._apply_sector(verdict, likely, certainty, authorities,
                                                        basis, inferred_only or bool(inherited))
        if inherited and verdict != Verdict.MA_VURDERES:
            # A law's tags say what the law is; a forskrift under it may differ. Never firmer.
            likely, verdict = likely or verdict, Verdict.MA_VURDERES
            certainty = Certainty.SANNSYNLIG if certainty == Certainty.SIKKER else certainty
        if inherited and before_sector[0] != Verdict.MA_VURDERES:
            before_sector = (Verdict.MA_VURDERES, before_sector[1] or before_sector[0],
                             Certainty.SANNSYNLIG)
        if inherited:
            via = _unique(t.inherited_from for t in inherited)
            self.notes.append(Reason(
                kind=ReasonKind.MERKNAD, cites=[self.node_id, *via], text=(
                    f"{_cap(self.cit)} er ikke vurdert i rules/. Merkingen er arvet fra "
                    f"{', '.join(self.c.cite(v) for v in via)}, som forskriften er gitt med "
                    f"hjemmel i (kant «hjemmel»: {ids.doc_of(self.node_id)} → {', '.join(via)}). "
                    f"En forskrift kan gå lenger eller kortere enn loven, så svaret er aldri "
                    f"sikrere enn «må vurderes»"
                    + (f"; sannsynlig utfall: {likely.label.lower()}." if likely else "."))))
        self._practice(precedents)
        reasons = self.blocks + self.outside + self.conditionals + self.grounds + self.formal + \
            self.notes
        result = ProvisionResult(
            id=self.node_id, citation=self.cit, heading=self.c.heading(self.node_id),
            document=self.c.doc_title(ids.doc_of(self.node_id)),
            url=ids.lovdata_url(self.node_id), verdict=verdict, certainty=certainty,
            likely=likely if likely != verdict else None,
            tags=[self._tag_info(t) for t in basis], reasons=reasons,
            routes=[a.id for a in authorities])
        trace = TraceNode(
            label=f"Bestemmelse: {self.cit}",
            facts=[f"id: {self.node_id}", f"virkning oppgitt: {EFFECT_TEXT[self.effect]}",
                   "alternativ framgangsmåte oppgitt: " + ("ja" if self.safeguard else "nei"),
                   "grunnlag for taggene: " + ("kuraterte" if curated else
                                               "utledede" if basis else "ingen (uavklart)")],
            children=self.tag_traces, result=verdict.label, cites=[self.node_id])
        return Assessed(result=result, trace=trace, block_kinds=self.block_kinds,
                        fix_hints=self.fix_hints, outside=bool(self.outside),
                        limit_cites=_unique(r.basis for r in self.blocks if r.basis),
                        ground_cites=_unique(r.basis for r in self.grounds if r.basis),
                        authorities=authorities, before_sector=before_sector)

    def _only_section_4_a(self) -> bool:
        """Whether forsøksloven § 4 første ledd a (kommunelovens grunnleggende organisering) is
        all that blocks: no other limit, no stated effect on rights or duties."""
        return bool(self.blocks) and not self._firm_block() and all(
            r.tag == Tag.KOMMUNELOV_GRUNNLEGGENDE for r in self.blocks)

    def _practice(self, found: list) -> None:
        """Approved trials (rules/praksis.yaml) that deviated from this provision, or from the
        one it replaced: practice does not settle today's law, but a firm «nei» it contradicts
        is wrong, so the report names the vedtekt (and run() makes a § 4 a «nei» «må
        vurderes»)."""
        for p, old in found:
            then = self._old_citation(old)
            self.notes.append(Reason(
                kind=ReasonKind.MERKNAD, cites=[self.node_id, old, p.id], rule=p.rule, text=(
                    f"Praksis: {p.municipality} fikk i {p.year} godkjent et forsøk med avvik fra "
                    f"{then}{'' if old == self.node_id else f' (i dag {self.cit})'}: "
                    f"{p.summary.rstrip('.')}. Vedtekt {p.id}. Praksis avgjør ikke dagens rett, "
                    f"men viser at slike avvik er godkjent før.")))

    def _old_citation(self, node_id: str) -> str:
        """'kommuneloven 1992 § 12' for a repealed law's § (named in rules/tid.yaml)."""
        doc = ids.doc_of(node_id)
        law = self.c.rulebook.time.laws.get(doc)
        if law is None:
            return self.c.cite(node_id)
        try:
            return f"{law.name} {ids.human_label(node_id)}"
        except ValueError:
            return f"{law.name} ({node_id})"

    def _from_hjemmel(self) -> list[EffectiveTag]:
        """An uncurated forskrift provision: the curated tags of the law provisions it is made
        under (graph edge ``hjemmel``), with inherited_from = that provision."""
        out: list[EffectiveTag] = []
        seen: set[Tag] = set()
        for law in self.c.hjemmel_of(ids.doc_of(self.node_id)):
            for et in self.c.tags(law):
                if et.assignment.source != TagSource.CURATED or et.tag in seen:
                    continue
                seen.add(et.tag)
                out.append(EffectiveTag.model_construct(assignment=et.assignment, inherited_from=law))
                self._from_law.add(law)
        return out

    def _parts_limits(self, curated: list[EffectiveTag], present: set[Tag]) -> list[EffectiveTag]:
        """Limiting tags carried by the node's parts: a whole chapter or § is never more open
        than what it contains (curated parts count; inferred ones only where nothing is curated)."""
        extra: list[EffectiveTag] = []
        seen = set(present)
        for et in self.c.part_tags(self.node_id):
            if et.tag in seen or et.tag not in PART_LIMITS:
                continue
            if curated and et.assignment.source != TagSource.CURATED:
                continue
            seen.add(et.tag)
            self._from_parts.add(et.inherited_from or "")
            extra.append(et)
        return extra

    def _firm_block(self) -> bool:
        """The request itself says rights are restricted or duties extended: § 4 annet ledd
        blocks whatever the tags are and however sure they are."""
        return self.effect in (Effect.INNSKRENKER_RETTIGHET, Effect.UTVIDER_PLIKT)

    # -- § 4 annet ledd from the request's stated effect --------------------------------------

    def _direction_from_request(self, present: set[Tag]) -> None:
        """Restricting rights or extending duties blocks whatever the provision is (§ 4 annet ledd)."""
        if self.effect not in (Effect.INNSKRENKER_RETTIGHET, Effect.UTVIDER_PLIKT):
            return
        tag = Tag.INDIVIDUELL_RETTIGHET if self.effect == Effect.INNSKRENKER_RETTIGHET \
            else Tag.INDIVIDUELL_PLIKT
        d = self.c.tagdef(tag)
        if tag in present and d is not None:
            return  # the tag itself will give the (more specific) reason
        limit = d.ground_or_limit if d else FL_4_2
        what = "innskrenker rettigheter" if tag == Tag.INDIVIDUELL_RETTIGHET else "utvider plikter"
        self.blocks.append(Reason(
            kind=ReasonKind.BEGRENSNING, cites=[self.node_id, limit], basis=limit,
            rule=d.rule if d else None, definition=d.rule if d else None,
            text=(f"Søknaden oppgir at avviket fra {self.cit} {what} som enkeltpersoner har etter "
                  f"gjeldende lovgivning. {_cap(self.c.cite(limit))} er til hinder for det, uansett "
                  f"hva slags bestemmelse det gjøres avvik fra.")))
        self.block_kinds.add(BlockKind.RETNING)
        self.fix_hints.append(FIX_HINTS[FixKind.RETNING])
        self.tag_traces.append(TraceNode(
            label="Virkning for enkeltpersoner (fra søknaden)", facts=[EFFECT_TEXT[self.effect]],
            result="blokkert", cites=[limit], rule=d.rule if d else None))

    # -- one effective tag ---------------------------------------------------------------------

    def _apply(self, et: EffectiveTag, present: set[Tag]) -> None:
        a = et.assignment
        d = self.c.tagdef(a.tag)
        src = "utledet av teksten" if a.source == TagSource.INFERRED else "kuratert"
        facts = [f"{src}, sikkerhet {a.confidence.value}"]
        if et.inherited_from in self._from_parts:
            facts.append(f"gjelder {self.c.cite(et.inherited_from)}, som er en del av {self.cit}")
        elif et.inherited_from:
            facts.append(f"arvet fra {self.c.cite(et.inherited_from)}")
        if a.pattern:
            facts.append(f"mønster «{a.pattern}» traff «{a.matched_text or ''}»")
        if a.rationale:
            facts.append(a.rationale)
        if d is None:  # it may be a limit: never let the other tags decide alone
            self.undefined = True
            self.conditionals.append(Reason(
                kind=ReasonKind.MERKNAD, cites=[self.node_id], rule=a.rule, tag=a.tag,
                source=a.source, confidence=a.confidence,
                text=(f"Taggen «{a.tag.value}» er ikke definert i rules/tags.yaml, så regelsjekk "
                      f"vet ikke hva den betyr etter forsøksloven; {self.cit} må vurderes. Legg "
                      f"taggen inn i rules/tags.yaml (se `regelsjekk regler sjekk`).")))
            self.tag_traces.append(TraceNode(label=f"tagg {a.tag.value}", facts=facts,
                                             result="udefinert", rule=a.rule))
            return
        outcome = self._outcome(et, d, present)
        self.tag_traces.append(TraceNode(
            label=f"tagg {a.tag.value} ({d.label})", facts=facts, rule=a.rule, children=[
                TraceNode(label=f"regel: {d.label} → {d.effect}", rule=d.rule, result=outcome,
                          cites=[d.ground_or_limit, *d.also_cites])]))

    def _reason(self, kind: ReasonKind, et: EffectiveTag, d, text: str,
                quote: str | None = None) -> Reason:
        a = et.assignment
        part = [et.inherited_from] if et.inherited_from in self._from_parts | self._from_law else []
        return Reason(kind=kind, text=text, cites=[self.node_id, d.ground_or_limit, *d.also_cites, *part],
                      basis=d.ground_or_limit, rule=a.rule, definition=d.rule, tag=a.tag, source=a.source,
                      confidence=a.confidence, quote=quote)

    def _why(self, et: EffectiveTag) -> str:
        """The curated rationale, quoted once per provision even when it carries several tags."""
        a = et.assignment
        why = a.rationale.strip()
        if why in self._told:
            why = "(Se begrunnelsen over.)"
        elif why:
            self._told.add(why)
        if a.source == TagSource.INFERRED:
            why = f"Teksten tyder på det (mønster «{a.pattern}»). {why}".strip()
        if et.inherited_from in self._from_parts:
            why = (f"{_cap(self.c.cite(et.inherited_from))} er en del av {self.cit} og følger med "
                   f"når hele {self.cit} settes til side. {why}").strip()
        if et.inherited_from in self._from_law:
            why = (f"Arvet fra {self.c.cite(et.inherited_from)}, som forskriften er gitt med "
                   f"hjemmel i. {why}").strip()
        return f" {why}" if why else ""

    def _outcome(self, et: EffectiveTag, d, present: set[Tag]) -> str:
        tag = et.tag
        lim = self.c.cite(d.ground_or_limit)
        why = self._why(et)
        if d.direction_sensitive or tag in DIRECTION:
            return self._direction(et, d, lim, why)
        if d.effect == TagEffect.TILLATT:
            self.grounds.append(self._reason(
                ReasonKind.GRUNNLAG, et, d,
                f"{_cap(self.cit)} gjelder {d.label.lower()}.{why} {_cap(lim)} åpner for forsøk med avvik "
                f"fra slike regler."))
            return "tillatt"
        if tag in PENAL and d.effect == TagEffect.BLOKKERT:
            return self._penal(et, d, lim, why)
        if d.effect == TagEffect.BLOKKERT:
            if tag == Tag.KOMMUNELOV_GRUNNLEGGENDE and Tag.ENHETSFYLKE in present:
                ed = self.c.tagdef(Tag.ENHETSFYLKE) or d
                self.grounds.append(self._reason(
                    ReasonKind.GRUNNLAG, et, ed,
                    f"{_cap(self.cit)} er grunnleggende kommunelovsorganisering, men forsøk med "
                    f"enhetsfylke (fylkeskommunen og statsforvalteren i ett regionalt organ med "
                    f"felles administrativ ledelse) kan gjøres uten hinder av {lim} (forsøksloven "
                    f"§ 3 første ledd bokstav d)."))
                return "overstyrt av enhetsfylke"
            self.blocks.append(self._reason(
                ReasonKind.BEGRENSNING, et, d,
                f"{_cap(self.cit)} er merket «{d.label}».{why} {_cap(lim)} er til hinder for forsøk med "
                f"avvik fra slike regler."))
            self.block_kinds.add(BlockKind.GENERELL if tag in GENERAL_LIMITS else BlockKind.FORSOKSLOVEN)
            self.fix_hints.append(TAG_FIX_HINTS.get(tag, "krever lovendring"))
            return "blokkert"
        if d.effect == TagEffect.BETINGET:
            return self._safeguard(et, d, lim, why)
        if d.effect == TagEffect.UTENFOR:
            self.outside.append(self._reason(
                ReasonKind.UTENFOR, et, d,
                f"{_cap(self.cit)} regulerer hva private kan eller må gjøre.{why} Forsøksloven § 3 "
                f"gjelder forvaltningens organisering, oppgavefordeling og statlig kontroll, ikke "
                f"hva private har lov til; slike endringer krever normalt lovendring. "
                f"{SNOWMOBILE_PRECEDENT}") .model_copy(update={"cites": [
                    self.node_id, d.ground_or_limit, *d.also_cites, SNOWMOBILE_LAW]}))
            self.fix_hints.append(FIX_HINTS[FixKind.UTENFOR])
            return "utenfor forsøksloven"
        if tag == Tag.FORMAL_DEFINISJON:
            self.formal.append(self._reason(
                ReasonKind.INGEN_UNNTAK, et, d,
                f"{_cap(self.cit)} er en formåls-, definisjons- eller virkeområdebestemmelse.{why} "
                f"Den gir ingen regel å gjøre unntak fra; sjekk om ideen krever avvik fra andre "
                f"bestemmelser."))
            return "ingen regel å fravike"
        if tag == Tag.EGEN_FORSOKSHJEMMEL:
            return "egen forsøkshjemmel (se rute)"
        self.notes.append(self._reason(ReasonKind.MERKNAD, et, d, f"{d.label}:{why}"))
        return "merknad"

    def _direction(self, et: EffectiveTag, d, lim: str, why: str) -> str:
        blocking, harmless, noun = DIRECTION.get(
            et.tag, (Effect.INNSKRENKER_RETTIGHET, Effect.UTVIDER_RETTIGHET, "rettighet"))
        gives = "gir enkeltpersoner en rettighet" if noun == "rettighet" \
            else "pålegger enkeltpersoner en plikt"
        if self.effect == blocking:
            self.blocks.append(self._reason(
                ReasonKind.BEGRENSNING, et, d,
                f"{_cap(self.cit)} {gives}.{why} Søknaden oppgir {EFFECT_TEXT[self.effect]}, og "
                f"{lim} er til hinder for det."))
            self.block_kinds.add(BlockKind.RETNING)
            self.fix_hints.append(FIX_HINTS[FixKind.RETNING])
            return "blokkert (retning)"
        if self.effect == harmless and noun == "rettighet" and self.doubts:
            self.conditionals.append(self._reason(
                ReasonKind.BETINGELSE, et, d,
                f"{_cap(self.cit)} {gives}.{why} Søknaden oppgir {EFFECT_TEXT[self.effect]}, men "
                f"erstatningsregelen har ord som kan bety at retten innskrenkes "
                f"({', '.join(f'«{w}»' for w in self.doubts)}). {_cap(lim)} stenger for å "
                f"innskrenke den; det må vurderes hva erstatningsregelen faktisk gjør."))
            return "betinget (oppgitt retning motsies av erstatningsregelen)"
        if self.effect == harmless:
            self.notes.append(self._reason(
                ReasonKind.MERKNAD, et, d,
                f"{_cap(self.cit)} {gives}.{why} Søknaden oppgir {EFFECT_TEXT[self.effect]}; "
                f"{lim} er ikke til hinder for det."))
            return "ikke til hinder (retning)"
        self.conditionals.append(self._reason(
            ReasonKind.BETINGELSE, et, d,
            f"{_cap(self.cit)} {gives}.{why} Søknaden oppgir {EFFECT_TEXT[self.effect]}; forsøket "
            f"kan bare godkjennes hvis vedtektene ikke "
            f"{'innskrenker rettigheten' if noun == 'rettighet' else 'utvider plikten'} ({lim}). "
            f"Det må vurderes om erstatningsregelen sikrer det."))
        return "betinget (retning uklar)"

    def _penal(self, et: EffectiveTag, d, lim: str, why: str) -> str:
        """Penalties and taxes are direction-dependent (issue 13): § 4 annet ledd stops only
        *extending* what individuals can be punished for or must pay. Lowering or changing them is
        not about how the administration organises itself (§ 3): outside forsøksloven, normally a
        change of law or the charge's own rules — «må vurderes», never «ikke hjemmel» citing
        § 4 annet ledd."""
        if self.effect == Effect.UTVIDER_PLIKT:
            self.blocks.append(self._reason(
                ReasonKind.BEGRENSNING, et, d,
                f"{_cap(self.cit)} er merket «{d.label}».{why} Søknaden oppgir "
                f"{EFFECT_TEXT[self.effect]}, og {lim} er til hinder for det; straff og skatt krever "
                f"dessuten hjemmel i lov (Grunnloven §§ 75 og 96)."))
            self.block_kinds.add(BlockKind.GENERELL)
            self.fix_hints.append(TAG_FIX_HINTS.get(et.tag, "krever lovendring"))
            return "blokkert (retning)"
        what = "straffen" if et.tag == Tag.STRAFF else "skatten, avgiften eller gebyret"
        self.outside.append(self._reason(
            ReasonKind.UTENFOR, et, d,
            f"{_cap(self.cit)} er merket «{d.label}».{why} Søknaden oppgir "
            f"{EFFECT_TEXT[self.effect]}. Å lette eller endre {what} stoppes ikke av forsøksloven "
            f"§ 4 annet ledd, men det gjelder heller ikke forvaltningens organisering, "
            f"oppgavefordeling eller statlig kontroll (§ 3). Det krever normalt lovendring eller "
            f"ordningens egne regler (for eksempel selvkost); det må vurderes.",
        ).model_copy(update={"cites": [self.node_id, FL_3_1], "basis": FL_3_1}))
        self.fix_hints.append(TAG_FIX_HINTS.get(et.tag, "krever lovendring"))
        return "utenfor forsøksloven (retning)"

    def _safeguard(self, et: EffectiveTag, d, lim: str, why: str) -> str:
        if self.safeguard:
            self.conditionals.append(self._reason(
                ReasonKind.BETINGELSE, et, d,
                f"{_cap(self.cit)} er merket «{d.label}».{why} Søknaden beskriver en alternativ "
                f"framgangsmåte: «{self.safeguard}». Etter {lim} kan avvik bare godkjennes hvis den "
                f"ivaretar enkeltpersoners rettssikkerhet minst like godt; det må vurderes konkret.",
                quote=self.safeguard))
            return "betinget (alternativ framgangsmåte oppgitt)"
        self.blocks.append(self._reason(
            ReasonKind.BEGRENSNING, et, d,
            f"{_cap(self.cit)} er merket «{d.label}».{why} Etter {lim} kan det bare gjøres avvik når "
            f"en alternativ framgangsmåte ivaretar rettssikkerheten minst like godt, og søknaden "
            f"beskriver ingen slik framgangsmåte."))
        self.block_kinds.add(BlockKind.FORSOKSLOVEN)
        self.fix_hints.append(FIX_HINTS[FixKind.RETTSSIKKERHET])
        return "blokkert (ingen alternativ framgangsmåte)"

    def _uavklart(self) -> None:
        text = (f"Ingen har vurdert {self.cit} i rules/, og regelsjekk fant ingen holdepunkter i "
                f"teksten. Regelsjekk kan ikke avgjøre om forsøksloven gir hjemmel: en jurist må "
                f"vurdere om bestemmelsen gjelder organisering, oppgavefordeling eller statlig kontroll "
                f"(§ 3), eller om den rammes av § 4.")
        if not self.c.imported:
            text += (" Kunnskapsbasen har bare innebygd struktur uten lovtekst; etter "
                     "`regelsjekk importer` kan teksten gi hint.")
        self.conditionals.append(Reason(kind=ReasonKind.UAVKLART, cites=[self.node_id, FL_3_1],
                                        text=text))
        self.tag_traces.append(TraceNode(label="ingen tagger", result="uavklart"))

    # -- the verdict under forsøksloven ------------------------------------------------------

    def _forsoksloven_verdict(self, basis: list[EffectiveTag]) -> tuple[Verdict, Verdict | None]:
        if self.blocks:
            return Verdict.IKKE_HJEMMEL, None
        if self.outside:
            return Verdict.MA_VURDERES, Verdict.IKKE_HJEMMEL
        if self.conditionals:
            return Verdict.MA_VURDERES, (Verdict.HJEMMEL if self.grounds and not self.undefined
                                         else None)
        if self.grounds:
            return Verdict.HJEMMEL, None
        if self.formal:
            return Verdict.KREVER_IKKE_FORSOK, None
        if basis:  # tags, but none that gives a § 3 ground (e.g. a right that is widened)
            self.no_ground = True
            first = basis[0].assignment
            d = self.c.tagdef(first.tag)
            self.conditionals.append(Reason(
                kind=ReasonKind.BETINGELSE, cites=[self.node_id, FL_3_1], rule=first.rule,
                definition=d.rule if d else None,
                text=(f"Ingen av taggene på {self.cit} gir grunnlag etter forsøksloven § 3 "
                      f"(organisering, oppgavefordeling, statlig kontroll). Det må vurderes om ideen "
                      f"kan formes som et slikt forsøk — eller om kommunen kan gjøre dette uten "
                      f"forsøk.")))
        return Verdict.MA_VURDERES, None

    def _certainty(self, basis: list[EffectiveTag], inferred_only: bool) -> Certainty:
        if not basis:
            return Certainty.USIKKER
        if inferred_only:
            return Certainty.SANNSYNLIG
        # Only curated tags of high confidence make an answer «sikker»; «middels» is shown as
        # «sannsynlig» (the verdict stands), «lav» also turns the verdict into «må vurderes».
        if self._deciding_confidence() in (Confidence.LOW, Confidence.MEDIUM):
            return Certainty.SANNSYNLIG
        return Certainty.SIKKER

    def _deciding_confidence(self) -> Confidence:
        """The weakest confidence among the reasons that decide the verdict."""
        deciding = [r.confidence for r in self.blocks or self.grounds or self.outside
                    or self.conditionals if r.confidence is not None]
        for level in (Confidence.LOW, Confidence.MEDIUM):
            if level in deciding:
                return level
        return Confidence.HIGH

    # -- step 4: a sector law's own trial authority ---------------------------------------------

    def _sector_routes(self, present: set[Tag]) -> list:
        auths = list(self.c.covering_authorities(self.node_id))
        if not auths and Tag.EGEN_FORSOKSHJEMMEL in present:
            auths = self.c.authorities_of_law(ids.doc_of(self.node_id))
        return auths

    def _apply_sector(self, verdict: Verdict, likely: Verdict | None, certainty: Certainty,
                      auths: list, basis: list[EffectiveTag], inferred_only: bool,
                      ) -> tuple[Verdict, Verdict | None, Certainty]:
        if not auths:
            return verdict, likely, certainty
        for auth in auths:
            limits = "; ".join(x.rstrip(". ") for x in auth.limits) if auth.limits \
                else "ingen særskilte grenser i rules/"
            via = self.c.cover_edge(self.node_id, auth.id)
            how = (f" (forskriften er gitt med hjemmel i {self.c.cite(via)}, og hjemmelen omfatter "
                   f"også regler gitt med hjemmel i loven; kant «hjemmel»: "
                   f"{ids.doc_of(self.node_id)} → {via})") if via else ""
            self.notes.append(Reason(
                kind=ReasonKind.ANNEN_HJEMMEL,
                cites=[self.node_id, *([via] if via else []), auth.provision],
                rule=auth.rule, confidence=auth.confidence,
                text=(f"{_cap(auth.name)} gir egen forsøkshjemmel som omfatter {self.cit}{how}: "
                      f"{auth.allows.rstrip('. ')}. Godkjenner: {auth.approver.rstrip('. ')}. "
                      f"Grenser: {limits}. Forsøksloven gjelder «hvis ikke annet følger av lov» "
                      f"(§ 2).")))
        self.tag_traces.append(TraceNode(
            label="annen forsøkshjemmel", facts=[a.name for a in auths],
            cites=[a.provision for a in auths], rule=auths[0].rule))
        if BlockKind.GENERELL in self.block_kinds or verdict == Verdict.KREVER_IKKE_FORSOK or self.outside:
            return verdict, likely, certainty
        weak = any(a.confidence == Confidence.LOW for a in auths)
        doubts = self.conditionals[:-1] if self.no_ground else self.conditionals
        if BlockKind.RETNING in self.block_kinds or doubts or not basis or inferred_only or weak:
            self.notes.append(Reason(
                kind=ReasonKind.BETINGELSE, cites=[self.node_id, *(a.provision for a in auths)],
                rule=auths[0].rule,
                text=(f"Om {auths[0].name} åpner for avviket fra {self.cit}, må vurderes mot "
                      f"grensene i den bestemmelsen.")))
            return Verdict.MA_VURDERES, Verdict.ANNEN_HJEMMEL, certainty
        if self.blocks:
            self.notes.append(Reason(
                kind=ReasonKind.MERKNAD, cites=[self.node_id, auths[0].provision], rule=auths[0].rule,
                text=(f"Begrensningene over gjelder forsøk etter forsøksloven. {_cap(auths[0].name)} "
                      f"er en egen forsøkshjemmel med egne grenser, og avviket fra {self.cit} må "
                      f"søkes etter den.")))
        return Verdict.ANNEN_HJEMMEL, None, certainty

    # -- display -------------------------------------------------------------------------------

    def _tag_info(self, et: EffectiveTag) -> TagInfo:
        a = et.assignment
        d = self.c.tagdef(a.tag)
        return TagInfo(tag=a.tag, label=d.label if d else a.tag.value, source=a.source,
                       confidence=a.confidence, inherited_from=et.inherited_from,
                       rationale=a.rationale, rule=a.rule, pattern=a.pattern)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _unique(items) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out
