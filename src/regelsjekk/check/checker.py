"""The checker: a forsøkssøknad and the knowledge base in, a Report with explained verdicts out.

Pure and deterministic: no I/O, no clock, no environment, no randomness. The date the law is
read at comes in as ``today`` (the caller's clock, or a date the user chose); the same request,
knowledge base and date give the same report, byte for byte in JSON. It follows the decision
procedure in docs/decision-procedure.md: (1) is a trial needed, (2) resolve every citation, (3) tags → grounds
and limits per provision, (4) sector trial authorities, (5) conditions on the trial as a whole,
(6) verdict per exemption and overall. Lookups are cached per knowledge base (check.cache).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from regelsjekk.check.authority import apply_authorities, current_law_routes
from regelsjekk.check.cache import CheckerError, KbCache, cache_for
from regelsjekk.check.provision import (
    EFFECT_TEXT,
    FL_4_1_A,
    Assessed,
    _unique,
    assess_provision,
)
from regelsjekk.check.trial import (
    FL_SCOPE,
    build_routes,
    choose_approvers,
    evaluate_conditions,
    next_steps,
    outside_scope,
)
from regelsjekk.check.verdict import (
    AffectedProvision,
    ApplicantInfo,
    Certainty,
    ConditionStatus,
    ExemptionResult,
    InputError,
    PeriodInfo,
    Reason,
    ReasonKind,
    Report,
    RouteKind,
    TraceNode,
    Verdict,
)
from regelsjekk.check.wording import names_enhetsfylke, narrowing_words, safeguards_removed
from regelsjekk.core.ids import doc_of, lovdata_url
from regelsjekk.core.model import TagEffect
from regelsjekk.core.text import count, every
from regelsjekk.request.keywords import effective_kind
from regelsjekk.rules.schema import FORSOKSLOVEN
from regelsjekk.request.model import ApplicantKind, Effect, Exemption, Request

if TYPE_CHECKING:
    from regelsjekk.kb.knowledge import KnowledgeBase

__all__ = ["CheckerError", "check"]

_CERTAINTY_RANK = {Certainty.USIKKER: 0, Certainty.SANNSYNLIG: 1, Certainty.SIKKER: 2}


def check(request: Request, kb: KnowledgeBase, *, today: date) -> Report:
    """Check one request against the knowledge base as the law reads on `today`."""
    c = cache_for(kb)
    exemptions: list[ExemptionResult] = []
    assessed: dict[int, list[Assessed]] = {}
    traces: list[TraceNode] = []
    errors: list[InputError] = []
    for number, ex in enumerate(request.unntak, 1):
        result, parts, trace = _check_exemption(c, number, request, ex, today)
        if not ex.virkning_oppgitt:
            result = _unstated_effect(result)
        exemptions.append(result)
        assessed[number] = parts
        traces.append(trace)
        errors.extend(result.errors)

    outside = outside_scope(c, request)
    if outside:
        exemptions = [_outside_scope(e, outside) for e in exemptions]
    verdict = _overall(request, exemptions)
    fl_used = _under_forsoksloven(exemptions, assessed,
                                  (Verdict.HJEMMEL, Verdict.MA_VURDERES, Verdict.IKKE_HJEMMEL))
    approvers = choose_approvers(c, request, exemptions, fl_used)
    fl_approver = _forsoksloven_approver(request, approvers)
    routes = build_routes(c, exemptions, assessed, fl_approver)
    # forsøksloven's conditions matter where an exemption may still go through it
    on_fl = _under_forsoksloven(exemptions, assessed, (Verdict.HJEMMEL, Verdict.MA_VURDERES))
    conditions = evaluate_conditions(c, request, exemptions) if on_fl else []
    if outside and not conditions:  # say why forsøksloven is out: its § 2, and nothing else
        conditions = [x for x in evaluate_conditions(c, request, exemptions) if x.id == "virkeomrade"]
    failed = [x for x in conditions if x.status == ConditionStatus.IKKE_OPPFYLT]
    # A period past the 4 + 2 years rests on a reform that must be «planlagt eller besluttet»
    # (§ 3 tredje ledd): the checker cannot tell, so the headline cannot be a plain «ja».
    doubtful = [x for x in conditions if x.id == "varighet" and x.status == ConditionStatus.MA_VURDERES]
    summary = _summary(c, verdict, exemptions, assessed, routes, fl_approver)
    if outside:
        lead = (f"Forsøksloven gjelder ikke for {_join(outside)}: loven gjelder forsøk i statlig, "
                f"fylkeskommunal og kommunal forvaltning (§ 2).")
        summary = lead if verdict == Verdict.IKKE_HJEMMEL else f"{lead} {summary}"
    # A trial that breaks forsøksloven's conditions cannot go ahead under it: neither as a whole
    # ("hjemmel") nor for the exemptions that rest on it beside a sector authority ("annen").
    if verdict in (Verdict.HJEMMEL, Verdict.ANNEN_HJEMMEL) and failed:
        if verdict == Verdict.HJEMMEL:
            lead = "Unntakene har hjemmel i forsøksloven"
        else:
            on_it = [str(e.number) for e in exemptions if e.verdict == Verdict.HJEMMEL]
            lead = f"Unntak {_join(on_it)} har hjemmel i forsøksloven"
        verdict = Verdict.MA_VURDERES
        summary = (lead + ", men søknaden oppfyller ikke alle vilkårene for forsøket: "
                   + "; ".join(x.detail for x in failed) + " " + summary)
    elif verdict in (Verdict.HJEMMEL, Verdict.ANNEN_HJEMMEL) and doubtful:
        verdict = Verdict.MA_VURDERES
        summary = ("Unntakene kan ha hjemmel, men forsøksperioden må vurderes: "
                   + "; ".join(x.detail for x in doubtful) + " " + summary)
    if errors:
        summary = (f"Søknaden har {count(len(errors), 'henvisning', 'henvisninger')} som ikke kunne "
                   f"slås opp; resultatet er ufullstendig til {'den' if len(errors) == 1 else 'de'} "
                   f"er rettet. " + summary)
    missing = [x.title for x in conditions if x.status == ConditionStatus.MANGLER]
    unstated = [e.number for e, ex in zip(exemptions, request.unntak, strict=True)
                if not ex.virkning_oppgitt]
    if unstated:  # a default the applicant did not choose is never counted as an answer
        missing.append(f"Virkning for enkeltpersoner (unntak {_join([str(n) for n in unstated])})")
    label = verdict.label
    if verdict in (Verdict.HJEMMEL, Verdict.ANNEN_HJEMMEL) and missing:
        # A legal basis is not an application that can be sent: never a plain green «ja».
        label = f"{verdict.label} – men søknaden mangler: {_join([m.lower() for m in missing])}"
    fix_hints = {n: [h for a in parts for h in a.fix_hints] for n, parts in assessed.items()}
    # A sector route whose purpose the request does not show is only a route if it can be shown.
    unshown = {auth.id: purpose for parts in assessed.values() for a in parts
               for auth, purpose in a.purpose_unshown}
    steps = next_steps(verdict, exemptions, conditions, routes, fl_approver, fix_hints, bool(errors),
                       unshown, municipal=any(a.type.municipal for a in request.sokere))
    already = current_law_routes(c, request, exemptions)
    if already:
        routes = already + routes
        steps = [f"Undersøk først om målet kan nås innenfor dagens regler: "
                 f"{_join([r.name.split(': ', 1)[1] for r in already])} (se «Veier videre»)."] + steps
    certainty = min((e.certainty for e in exemptions), key=_CERTAINTY_RANK.__getitem__,
                    default=Certainty.SIKKER)
    p = request.periode
    trace = TraceNode(
        label=f"Søknad: {request.tittel}",
        facts=[f"søker: {a.navn} ({a.type.value})" for a in request.sokere]
        + ([f"periode: {p.varighet_ar:g} år"] if p else []),
        children=traces + ([TraceNode(
            label="Vilkår for forsøket som helhet",
            children=[TraceNode(label=x.title, result=x.status.value, facts=[x.detail],
                                cites=x.cites, rule=x.rule) for x in conditions])]
            if conditions else []),
        result=verdict.label)
    return Report(
        title=request.tittel,
        applicants=[ApplicantInfo(name=a.navn, kind=a.type.value) for a in request.sokere],
        purpose=request.formal, aims=[m.value for m in request.mal],
        period=PeriodInfo(start=p.start.isoformat() if p.start else None, years=p.varighet_ar,
                          extension_years=p.forlengelse_ar, reform=p.reform) if p else None,
        evaluation=request.evaluering,
        verdict=verdict, verdict_label=label, missing=missing, certainty=certainty, summary=summary,
        exemptions=exemptions, conditions=conditions, approvers=approvers, routes=routes,
        next_steps=steps, errors=errors,
        knowledge_base="importert" if c.imported else "innebygd", law_as_of=today.isoformat(),
        data=c.data_note_as_of(today), rules_version=c.rulebook.version,
        earlier_trials_note=c.earlier_trials_note(), trace=trace)


# -- one exemption -------------------------------------------------------------------------------


FL_4_1_B = f"{FORSOKSLOVEN}/§4/ledd/1/bokstav/b"
FL_4_1_C = f"{FORSOKSLOVEN}/§4/ledd/1/bokstav/c"


def is_enhetsfylke(request: Request) -> bool:
    """An enhetsfylke trial (forsøksloven § 3 første ledd d): a fylkeskommune and a regional state
    body (the statsforvalter) apply together, and the request says what § 3 d means (one regional
    body with a common administrative leadership)."""
    kinds = {effective_kind(a.navn, a.type) for a in request.sokere}
    if ApplicantKind.FYLKESKOMMUNE not in kinds or ApplicantKind.STATLIG_REGIONAL not in kinds:
        return False
    text = " ".join(x for x in (request.tittel, request.formal, request.samarbeid,
                                *(e.erstatning for e in request.unntak)) if x)
    return names_enhetsfylke(text)


def _check_exemption(c: KbCache, number: int, request: Request, ex: Exemption, today: date,
                     ) -> tuple[ExemptionResult, list[Assessed], TraceNode]:
    span = ex.span
    errors: list[InputError] = []
    node_ids: list[str] = []
    context: str | None = None
    notes: list[Reason] = []
    spans = ex.citation_spans
    for k, text in enumerate(ex.bestemmelser):
        res = c.resolve(text, context, today)
        if res.ok and res.ids:
            for nid in res.ids:
                if nid not in node_ids:
                    node_ids.append(nid)
            context = res.doc_id or doc_of(res.ids[0])
            if res.approximate:
                notes.append(Reason(kind=ReasonKind.MERKNAD, cites=list(res.ids), text=(
                    f"«{text}» er slått opp som {_join([c.cite(i) for i in res.ids])}, som er videre "
                    f"enn det som står i søknaden. " + " ".join(res.messages)).strip()))
            elif res.ambiguous and res.messages:  # the resolver chose (the law in force) and says so
                notes.append(Reason(kind=ReasonKind.MERKNAD, cites=list(res.ids),
                                    text=f"«{text}»: " + " ".join(res.messages)))
            continue
        if res.ambiguous:
            message = " ".join(res.messages) or (
                f"«{text}» kan vise til flere lover"
                + (f" ({', '.join(res.alternatives)})" if res.alternatives else "")
                + ". Skriv lovens navn eller id tydeligere.")
        else:
            message = " ".join(res.messages) or f"Fant ikke «{text}» i kunnskapsbasen."
        where = spans[k] if k < len(spans) else span
        errors.append(InputError(
            message=message, citation=text, suggestions=list(res.suggestions), exemption=number,
            file=where.file if where else None, line=where.line if where else None,
            column=where.column if where else None))
    doubts = narrowing_words(ex.erstatning) if ex.virkning == Effect.UTVIDER_RETTIGHET else ()
    unit = is_enhetsfylke(request)
    parts = [apply_authorities(assess_provision(c, nid, ex.virkning, ex.rettssikkerhet, doubts, unit),
                               request, ex, c.cite) for nid in node_ids]
    verdict, certainty = _combine(parts, bool(errors))
    reasons: list[Reason] = list(notes)
    if errors:
        reasons.append(Reason(kind=ReasonKind.INNDATA, text=(
            "Ikke alle bestemmelsene i unntaket kunne slås opp: "
            + "; ".join(f"«{e.citation}»" for e in errors)
            + ". Regelsjekk gjetter ikke; rett henvisningen.")))
    if not ex.erstatning and parts and verdict not in (Verdict.KREVER_IKKE_FORSOK,
                                                       Verdict.IKKE_HJEMMEL):
        reasons.append(Reason(kind=ReasonKind.INNDATA, cites=["lov/1992-06-26-87/§5/ledd/1"], text=(
            "Unntaket har ingen erstatningsregel. Forsøksloven § 5 krever regler som kommer i "
            "stedet for bestemmelsene det gjøres avvik fra.")))
    removed = safeguards_removed(ex.erstatning)
    if removed and verdict in (Verdict.HJEMMEL, Verdict.ANNEN_HJEMMEL, Verdict.DELVIS):
        # The replacement rule takes away a hearing, a notice or an appeal, which rules the request
        # may not list protect (pbl § 12-14 annet ledd cited, its tredje ledd's hearing dropped).
        reasons.append(Reason(kind=ReasonKind.BETINGELSE, cites=[FL_4_1_B, FL_4_1_C], text=(
            "Erstatningsregelen ser ut til å ta bort varsling, uttalerett eller klage ("
            + ", ".join(f"«{w}»" for w in removed) + "). Slike regler verner enkeltpersoner "
            "(forsøksloven § 4 første ledd bokstav b og c) og står ofte i et annet ledd eller en "
            "annen paragraf enn dem søknaden nevner: ta dem med i unntaket, eller vis at vernet "
            "består. Det må vurderes.")))
        verdict, certainty = Verdict.MA_VURDERES, Certainty.SANNSYNLIG
    affected, affected_total = _affected(c, node_ids, reasons)
    result = ExemptionResult(
        number=number, citations=list(ex.bestemmelser), effect=ex.virkning,
        replacement=ex.erstatning, safeguard=ex.rettssikkerhet, justification=ex.begrunnelse,
        verdict=verdict, certainty=certainty, summary=_exemption_summary(c, verdict, parts, errors),
        provisions=[a.result for a in parts], reasons=reasons, errors=errors,
        affected=affected, affected_total=affected_total,
        earlier_trials=c.earlier_trials(node_ids), line=span.line if span else None)
    trace = TraceNode(
        label=f"Unntak {number}: {', '.join(ex.bestemmelser)}",
        facts=[f"virkning: {EFFECT_TEXT[ex.virkning]}"]
        + ([f"alternativ framgangsmåte: «{ex.rettssikkerhet}»"] if ex.rettssikkerhet else [])
        + [f"ikke slått opp: «{e.citation}»" for e in errors],
        children=[a.trace for a in parts], result=verdict.label)
    return result, parts, trace


_LIMITS = (TagEffect.BLOKKERT, TagEffect.BETINGET)


FL_DIRECTION = "lov/1992-06-26-87/§4/ledd/2"


def _unstated_effect(e: ExemptionResult) -> ExemptionResult:
    """The request did not say what the exemption does to individuals: the answer assumed
    «ingen», so it is at most «sannsynlig», and the reasons say what is missing."""
    reason = Reason(kind=ReasonKind.INNDATA, cites=[FL_DIRECTION], text=(
        "Søknaden sier ikke hvilken virkning unntaket har for enkeltpersoner. Svaret forutsetter "
        "«ingen»; innskrenker unntaket rettigheter eller utvider det plikter, kan forsøksloven § 4 "
        "annet ledd gi et annet svar. Skriv virkningen inn i søknaden."))
    certainty = Certainty.SANNSYNLIG if e.certainty == Certainty.SIKKER else e.certainty
    return e.model_copy(update={"certainty": certainty, "reasons": [*e.reasons, reason]})


def _outside_scope(e: ExemptionResult, who: list[str]) -> ExemptionResult:
    """forsøksloven § 2: the law covers public administration only. An exemption that would rest
    on forsøksloven has no hjemmel for this applicant, whatever its provisions say."""
    if e.verdict in (Verdict.ANNEN_HJEMMEL, Verdict.KREVER_IKKE_FORSOK):
        return e
    text = (f"{', '.join(who)} er ikke en del av statlig, fylkeskommunal eller kommunal forvaltning. "
            f"Forsøksloven gjelder bare der (§ 2), så den gir ikke hjemmel for dette unntaket.")
    return e.model_copy(update={
        "verdict": Verdict.IKKE_HJEMMEL, "certainty": Certainty.SIKKER,
        "summary": "Ikke hjemmel: forsøksloven § 2 (søkeren er ikke en del av forvaltningen).",
        "reasons": [Reason(kind=ReasonKind.BEGRENSNING, cites=[FL_SCOPE], basis=FL_SCOPE,
                           text=text), *e.reasons]})


def _affected(c: KbCache, node_ids: list[str], reasons: list[Reason],
              ) -> tuple[list[AffectedProvision], int]:
    """Provisions that refer to what is set aside (graph edges ``viser_til`` into it): setting
    § X aside changes what they mean. A § 4 limit found there is reported as a reason."""
    out: list[AffectedProvision] = []
    total = 0
    seen: set[str] = set()
    for nid in node_ids:
        rows, n = c.affected(nid)
        total += n
        for source, target in rows:
            if source in seen or source in node_ids:
                continue
            seen.add(source)
            labels, limit, ground = [], None, None
            for et in c.tags(source):
                d = c.tagdef(et.tag)
                labels.append(d.label if d else et.tag.value)
                if d is not None and d.effect in _LIMITS and limit is None:
                    limit, ground = d.label, d.ground_or_limit
            edge = f"viser_til: {source} → {target}"
            out.append(AffectedProvision(id=source, citation=c.cite(source),
                                         url=lovdata_url(source), refers_to=target,
                                         tags=_unique(labels), limit=limit, edge=edge))
            if limit is not None:
                reasons.append(Reason(kind=ReasonKind.MERKNAD, cites=[source, target, ground], text=(
                    f"Berørt bestemmelse: {c.cite(source)} viser til {c.cite(target)} og er merket "
                    f"«{limit}» ({c.cite(ground)}). Avviket endrer hva den bestemmelsen betyr; "
                    f"vurder om forsøket griper inn i den grensen (kant {edge}).")))
    return out, total


def _forsoksloven_approver(request: Request, approvers: list) -> str | None:
    """Who approves under forsøksloven, as the summary and next steps name it: a municipal trial
    with a state body names the state's approver too (trial._approvers_for)."""
    names = [a.name for a in approvers if a.under_forsoksloven]
    if not names:
        return None
    if len(names) > 1 and any(a.type.municipal for a in request.sokere):
        return f"{names[0]} (og {', '.join(names[1:])} for den statlige delen)"
    return names[0]


def _under_forsoksloven(ex: list[ExemptionResult], assessed: dict[int, list[Assessed]],
                       verdicts: tuple[Verdict, ...]) -> bool:
    """Some exemption with one of these verdicts has a provision no sector authority covers."""
    return any(e.verdict in verdicts and any(not a.authorities for a in assessed[e.number])
               for e in ex)


def _combine(parts: list[Assessed], has_errors: bool) -> tuple[Verdict, Certainty]:
    verdicts = [a.result.verdict for a in parts]
    if Verdict.IKKE_HJEMMEL in verdicts:
        v = Verdict.IKKE_HJEMMEL
    elif has_errors or not parts or Verdict.MA_VURDERES in verdicts:
        v = Verdict.MA_VURDERES
    elif all(x == Verdict.KREVER_IKKE_FORSOK for x in verdicts):
        v = Verdict.KREVER_IKKE_FORSOK
    elif Verdict.ANNEN_HJEMMEL in verdicts:
        v = Verdict.ANNEN_HJEMMEL
    else:
        v = Verdict.HJEMMEL
    deciding = [a.result.certainty for a in parts if a.result.verdict == v] or \
        [a.result.certainty for a in parts]
    certainty = min(deciding, key=_CERTAINTY_RANK.__getitem__, default=Certainty.USIKKER)
    if has_errors:
        certainty = Certainty.USIKKER
    return v, certainty


def _exemption_summary(c: KbCache, v: Verdict, parts: list[Assessed],
                       errors: list[InputError]) -> str:
    if not parts:
        return "Ingen av bestemmelsene kunne slås opp; unntaket kan ikke vurderes."
    if v == Verdict.HJEMMEL:
        grounds = _unique(g for a in parts for g in a.ground_cites)
        return "Hjemmel i " + _join([c.cite(g) for g in grounds]) + "."
    if v == Verdict.IKKE_HJEMMEL:
        blocked = [a for a in parts if a.result.verdict == Verdict.IKKE_HJEMMEL]
        limits = _unique(x for a in blocked for x in a.limit_cites)
        return ("Ikke hjemmel: " + _join([c.cite(x) for x in limits]) + " er til hinder for avvik fra "
                + _join([a.result.citation for a in blocked]) + ".")
    if v == Verdict.ANNEN_HJEMMEL:
        auths = _unique(au.name for a in parts for au in a.authorities)
        text = "Hører under " + _join(auths) + "."
        fl = [a for a in parts if a.result.verdict == Verdict.HJEMMEL]
        if fl:
            text += " " + _join([a.result.citation for a in fl]) + " har hjemmel i forsøksloven."
        return text
    if v == Verdict.KREVER_IKKE_FORSOK:
        return "Ingen regel å gjøre unntak fra; krever ikke forsøk."
    why: list[str] = []
    if errors:
        why.append("henvisninger må rettes")
    for a in parts:
        if a.result.verdict != Verdict.MA_VURDERES:
            continue
        kinds = {r.kind for r in a.result.reasons}
        if ReasonKind.UAVKLART in kinds:
            why.append(f"{a.result.citation} er ikke vurdert i rules/")
        elif ReasonKind.UTENFOR in kinds:
            why.append(f"{a.result.citation} regulerer private; normalt kreves lovendring")
        elif any(r.kind == ReasonKind.BETINGELSE and r.quote for r in a.result.reasons):
            why.append(f"den alternative framgangsmåten for {a.result.citation} må vurderes")
        elif a.authorities:
            why.append(f"{a.result.citation}: grensene i {a.authorities[0].name} må vurderes")
        elif ReasonKind.BETINGELSE in kinds:
            why.append(f"virkningen for enkeltpersoner av avvik fra {a.result.citation} må vurderes")
        elif any(r.kind == ReasonKind.MERKNAD and FL_4_1_A in r.cites for r in a.result.reasons):
            why.append(f"{a.result.citation}: forsøksloven § 4 første ledd bokstav a taler mot, "
                       f"men praksis har godkjent forsøk med avvik fra den")
        elif a.result.likely:
            why.append(f"{a.result.citation}: sannsynlig {a.result.likely.label.lower()}, men ikke "
                       f"kontrollert")
        else:
            why.append(f"{a.result.citation} må vurderes")
    return "Må vurderes: " + "; ".join(_unique(why)) + "."


# -- the request as a whole ---------------------------------------------------------------------


def _overall(request: Request, ex: list[ExemptionResult]) -> Verdict:
    considered = [e for e in ex if e.verdict != Verdict.KREVER_IKKE_FORSOK]
    if not considered:
        return Verdict.KREVER_IKKE_FORSOK
    blocked = [e for e in considered if e.verdict == Verdict.IKKE_HJEMMEL]
    if blocked:
        return Verdict.IKKE_HJEMMEL if len(blocked) == len(considered) else Verdict.DELVIS
    verdicts = {e.verdict for e in considered}
    if Verdict.MA_VURDERES in verdicts:
        return Verdict.MA_VURDERES
    if Verdict.ANNEN_HJEMMEL in verdicts:
        return Verdict.ANNEN_HJEMMEL
    return Verdict.HJEMMEL


def _summary(c: KbCache, v: Verdict, ex: list[ExemptionResult], assessed: dict[int, list[Assessed]],
             routes: list, approver: str | None) -> str:
    if not ex:
        return ("Søknaden ber ikke om unntak fra noen bestemmelse. Et forsøk trengs bare når ideen "
                "krever avvik fra lov eller forskrift; dette kan gjøres uten forsøk.")
    nums = lambda items: _join([str(e.number) for e in items])  # noqa: E731
    if v == Verdict.KREVER_IKKE_FORSOK:
        return ("Ingen av bestemmelsene inneholder en regel som må fravikes; dette kan gjøres uten "
                "forsøk.")
    blocked = [e for e in ex if e.verdict == Verdict.IKKE_HJEMMEL]
    open_ = [e for e in ex if e.verdict not in (Verdict.IKKE_HJEMMEL, Verdict.KREVER_IKKE_FORSOK)]
    limits = _unique(c.cite(x) for e in blocked for a in assessed[e.number]
                     if a.result.verdict == Verdict.IKKE_HJEMMEL for x in a.limit_cites)
    if v == Verdict.IKKE_HJEMMEL:
        word = "Unntaket" if len(blocked) == 1 else "Ingen av unntakene"
        verb = "kan ikke" if len(blocked) == 1 else "kan"
        return (f"{word} {verb} prøves som forsøk: {_join(limits)} er til hinder. "
                + " ".join(f"Unntak {e.number}: {e.summary}" for e in blocked))
    if v == Verdict.DELVIS:
        hints = _unique(h for e in blocked for a in assessed[e.number] for h in a.fix_hints)
        groups = []
        for verdict, phrase in ((Verdict.HJEMMEL, "har hjemmel i forsøksloven"),
                                (Verdict.ANNEN_HJEMMEL, "hører under en annen forsøkshjemmel"),
                                (Verdict.MA_VURDERES, "må vurderes")):
            members = [e for e in open_ if e.verdict == verdict]
            if members:
                groups.append(f"unntak {nums(members)} {phrase}")
        return (f"Delvis: {_join(groups)}, mens unntak {nums(blocked)} stoppes av {_join(limits)}. "
                f"For å få med resten: {'; '.join(hints) or 'krever lovendring'}.")
    if v == Verdict.MA_VURDERES:
        vurderes = [e for e in ex if e.verdict == Verdict.MA_VURDERES]
        text = (f"Regelsjekk kan ikke gi et sikkert svar: unntak {nums(vurderes)} må vurderes av en "
                f"jurist. " + " ".join(f"Unntak {e.number}: {e.summary}" for e in vurderes))
        rest = [e for e in open_ if e.verdict != Verdict.MA_VURDERES]
        if rest:
            text += " " + " ".join(f"Unntak {e.number}: {e.summary}" for e in rest)
        return text
    if v == Verdict.ANNEN_HJEMMEL:
        sector = [r for r in routes if r.kind == RouteKind.SEKTORLOV]
        subject = "Unntaket hører" if len(ex) == 1 else "Unntakene hører"
        text = f"{subject} under egen forsøkshjemmel i sektorloven: " + "; ".join(
            f"{r.name} (unntak {_join([str(n) for n in r.exemptions])}), godkjenner: "
            f"{(r.approver or 'departementet').rstrip('. ')}" for r in sector) + "."
        fl = [e for e in ex if e.verdict == Verdict.HJEMMEL]
        if fl:
            text += f" Unntak {nums(fl)} har hjemmel i forsøksloven."
        return text
    grounds = _unique(c.cite(g) for e in ex for a in assessed[e.number] for g in a.ground_cites)
    one = len(ex) == 1
    return (f"Forsøksloven gir hjemmel for {every(len(ex), 'unntaket', 'unntakene')}"
            f" ({_join(grounds)}). Ingen av begrensningene i § 4 rammer {'det' if one else 'dem'}. "
            f"Søknaden godkjennes av {approver or 'departementet'} når vilkårene for forsøket er "
            f"dokumentert.")


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]
