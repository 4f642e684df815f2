"""The trial as a whole: conditions, who approves, which routes lead on, and the next step.

Step 5 of the decision procedure: forsøksloven's conditions (§§ 1, 2, 3 annet og tredje ledd, 5)
come from rules/forsoksloven.yaml; each is checked against what the request says. The checker
can see whether something is stated, not whether it is good enough: what needs judgement is
"må vurderes", what is missing is "mangler", and only what the request contradicts is
"ikke oppfylt".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from regelsjekk.check.cache import KbCache
from regelsjekk.check.provision import SNOWMOBILE_LAW, SNOWMOBILE_PRECEDENT, _cap, _unique
from regelsjekk.check.verdict import (
    ApproverResult,
    ConditionResult,
    ConditionStatus,
    ExemptionResult,
    ReasonKind,
    Route,
    RouteKind,
    Verdict,
)
from regelsjekk.core.ids import doc_of
from regelsjekk.core.text import count
from regelsjekk.request.keywords import effective_kind
from regelsjekk.request.model import Applicant, ApplicantKind, Request
from regelsjekk.rules.schema import FORSOKSLOVEN

FL_DURATION = f"{FORSOKSLOVEN}/§3/ledd/3"
FL_SCOPE = f"{FORSOKSLOVEN}/§2"
AIM_TEXT = {
    "organisering": "funksjonelle og effektive organisasjons- og driftsformer",
    "oppgavefordeling": "hensiktsmessig oppgavefordeling",
    "tjenesteyting": "bedre tjenester til innbyggerne",
    "ressursutnyttelse": "bedre ressursutnyttelse",
    "demokrati": "gode demokratiske styringsformer",
}
KIND_TEXT = {"kommune": "kommune", "fylkeskommune": "fylkeskommune",
             "statlig_regional": "statlig regionalt organ", "statlig_sentral": "statlig sentralt organ",
             "statlig_organ": "statlig organ", "privat": "privat virksomhet"}

CONDITION_TITLES = {
    "virkeomrade": "Søker og virkeområde", "avvik_nodvendig": "Avvik fra en regel er nødvendig",
    "formal": "Formål etter § 1", "forsvarlig": "Forsvarlig og faglig underbygd",
    "evaluering": "Evaluering", "varighet": "Varighet", "erstatningsregler": "Erstatningsregler",
    "horing": "Høring", "vedtak_i_kommunestyret": "Vedtak i kommunestyret/fylkestinget",
    "godkjenning": "Godkjenning", "kunngjoring": "Kunngjøring", "utvelgelse": "Antall og utvelgelse",
    "søker": "Søker", "soker": "Søker",
}
Status = ConditionStatus
Evaluation = tuple[ConditionStatus, str]


def _years(x: float) -> str:
    return f"{x:g}".replace(".", ",") + (" år")


# -- the evaluators (one per topic) ----------------------------------------------------------


def outside_scope(c: KbCache, r: Request) -> list[str]:
    """Applicants forsøksloven § 2 does not cover (private companies, foundations …)."""
    allowed = set(c.conditions.applicant_kinds) or {k for k in ApplicantKind if k != ApplicantKind.PRIVAT}
    return [a.navn for a in r.sokere if a.type not in allowed]


def _applicants(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    wrong = outside_scope(c, r)
    if wrong:
        return Status.IKKE_OPPFYLT, (f"Forsøksloven gjelder forsøk i statlig, fylkeskommunal og "
                                     f"kommunal forvaltning (§ 2); {', '.join(wrong)} er ikke en del "
                                     f"av den, så loven gir ikke hjemmel for forsøket.")
    names = ", ".join(f"{a.navn} ({_kind_text(a)})" for a in r.sokere)
    level = ""
    if any(_kind(a) == ApplicantKind.STATLIG_ORGAN for a in r.sokere):
        level = (" Oppgi om det statlige organet er regionalt/lokalt (godkjennes av DFD) eller "
                 "sentralt (godkjennes av Kongen i statsråd).")
    if len(r.sokere) > 1:
        return Status.OPPFYLT, f"Felles forsøk: {names}. Hver deltaker må søke og vedta forsøket.{level}"
    return Status.OPPFYLT, f"Søker: {names}.{level}"


def _kind(a: Applicant) -> ApplicantKind:
    """The applicant's kind as the checker uses it: a state body's level shown by its name
    («…direktoratet», «Statsforvalteren i …») counts where the request says only «statlig»."""
    return effective_kind(a.navn, a.type)


def _kind_text(a: Applicant) -> str:
    kind = _kind(a)
    text = KIND_TEXT.get(kind.value, kind.value)
    return text + (", ut fra navnet" if kind != a.type else "")


def _aims(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    if not r.mal:
        return Status.MANGLER, ("Søknaden sier ikke hvilke av målene i forsøksloven § 1 forsøket "
                                "skal fremme (organisering, oppgavefordeling, tjenesteyting, "
                                "ressursutnyttelse, demokrati).")
    return Status.OPPFYLT, "Forsøket skal fremme " + ", ".join(
        AIM_TEXT.get(m.value, m.value) for m in r.mal) + "."


_ANYONE = re.compile(r"\balle\b[^.]{0,30}\bsom\b[^.]{0,20}\b(ønsker|vil|ønskjer|melder)", re.I)


def _units(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    if r.enheter_begrunnelse and _ANYONE.search(r.enheter_begrunnelse):
        return Status.IKKE_OPPFYLT, (
            "Antallet forsøksenheter er ikke begrunnet i hva forsøket skal vise: en ordning «der "
            "alle som ønsker kan delta» fant Sivilombudet (2014, snøscooterforsøket) ikke "
            "forsvarlig og faglig godt underbygget.")
    if r.enheter is None:
        return Status.MANGLER, ("Søknaden oppgir ikke hvor mange forsøksenheter som skal delta, eller "
                                "hvorfor det antallet trengs for å lære det forsøket skal vise.")
    if not r.enheter_begrunnelse:
        return Status.MANGLER, (f"{count(r.enheter, 'forsøksenhet', 'forsøksenheter')} oppgitt, men ikke begrunnet ut fra "
                                f"hva forsøket skal vise.")
    return Status.OPPFYLT, f"{count(r.enheter, 'forsøksenhet', 'forsøksenheter')}: {r.enheter_begrunnelse}"


def _evaluation(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    if not r.evaluering:
        return Status.MANGLER, ("Søknaden har ingen evalueringsplan. Evaluering må være planlagt og "
                                "finansiert (vilkår for å delta i forsøksordningen).")
    return Status.OPPFYLT, f"Plan: {r.evaluering}"


def _duration(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    tc = c.conditions
    p = r.periode
    if p is None:
        return Status.MANGLER, (f"Søknaden oppgir ikke forsøksperioden (inntil {tc.max_years} år, "
                                f"forlengelse inntil {tc.max_extension_years} år).")
    if p.varighet_ar > tc.max_years:
        return Status.IKKE_OPPFYLT, (f"Forsøksperioden er {_years(p.varighet_ar)}; godkjenning kan "
                                     f"gis for inntil {tc.max_years} år.")
    ext = p.forlengelse_ar or 0
    if ext > tc.max_extension_years:
        if p.reform and tc.reform_extension:
            return Status.MA_VURDERES, (
                f"Forlengelse på {_years(ext)} går ut over {tc.max_extension_years} år; det er bare "
                f"mulig fram til en planlagt eller besluttet reform trer i kraft ({p.reform}). Det må "
                f"vurderes om reformen er planlagt eller besluttet.")
        return Status.IKKE_OPPFYLT, (f"Forlengelse på {_years(ext)} går ut over "
                                     f"{tc.max_extension_years} år, og ingen reform er oppgitt.")
    text = f"{_years(p.varighet_ar)}"
    if ext:
        text += f", med forlengelse på {_years(ext)}"
    if p.reform:
        text += f"; reform: {p.reform}"
    return Status.OPPFYLT, f"Forsøksperiode {text} (innenfor {tc.max_years} + {tc.max_extension_years} år)."


def _replacement(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    needed = [e for e in ex if e.verdict != Verdict.KREVER_IKKE_FORSOK]
    if not needed:
        return Status.OPPFYLT, "Ingen unntak, så ingen erstatningsregler trengs."
    missing = [str(e.number) for e in needed if not e.replacement]
    if missing:
        return Status.MANGLER, ("Erstatningsregel mangler for unntak " + ", ".join(missing) +
                                ". Vedtektene må si hvilke regler som gjelder i stedet (§ 5).")
    return Status.OPPFYLT, "Hvert unntak har en erstatningsregel som kan bli vedtektenes §§."


def _municipal(r: Request) -> bool:
    return any(a.type.municipal for a in r.sokere)


def _council(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    if not _municipal(r):
        return Status.OPPFYLT, "Gjelder ikke: søkeren er ikke en kommune eller fylkeskommune."
    who = "hvert kommunestyre og fylkesting" if len(r.sokere) > 1 else "kommunestyret/fylkestinget"
    if r.vedtak_kommunestyre:
        return Status.OPPFYLT, f"Søknaden og den lokale forskriften vedtas av {who}."
    return Status.MANGLER, (f"Søknaden sier ikke at {who} har vedtatt (eller skal vedta) søknaden og "
                            f"den lokale forskriften for forsøket.")


def _hearing(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    if r.horing:
        return Status.OPPFYLT, "Utkastet til lokal forskrift sendes på høring (forvaltningsloven § 37)."
    return Status.MANGLER, ("Søknaden sier ikke at utkastet til lokal forskrift sendes på høring; "
                            "forvaltningsloven § 37 gjelder for utarbeidingen.")


def _reversible(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    if r.reversibel is True:
        return Status.OPPFYLT, "Forsøket kan avvikles og ordningen føres tilbake."
    if r.reversibel is False:
        return Status.IKKE_OPPFYLT, ("Søknaden sier at forsøket ikke kan reverseres. Et forsøk må "
                                     "kunne avsluttes når perioden er ute.")
    return Status.MANGLER, "Søknaden sier ikke hvordan forsøket kan avvikles og reverseres."


def _sound(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    """§ 3 annet ledd: a justified number of units, reversibility, and a stated purpose."""
    parts = [_units(c, r, ex), _reversible(c, r, ex)]
    if not r.formal:
        parts.append((Status.MANGLER, "Søknaden beskriver ikke formålet med forsøket."))
    worst = [p for p in parts if p[0] == Status.IKKE_OPPFYLT] or \
        [p for p in parts if p[0] == Status.MANGLER]
    if worst:
        return worst[0][0], " ".join(p[1] for p in worst)
    return Status.MA_VURDERES, (" ".join(p[1] for p in parts) + " Om forsøket er forsvarlig og "
                                "faglig godt underbygd, er likevel en konkret vurdering.")


def _deviation(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    needed = [e for e in ex if e.verdict != Verdict.KREVER_IKKE_FORSOK]
    if not needed:
        return Status.IKKE_OPPFYLT, "Søknaden krever ikke avvik fra noen regel; forsøk trengs ikke."
    n = sum(len(e.provisions) for e in needed)
    return Status.OPPFYLT, f"Søknaden ber om avvik fra {count(n, 'bestemmelse', 'bestemmelser')} i {len(needed)} unntak."


def _approval(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    picked = _approvers_for(c, r, ex)
    if not picked:
        return Status.INFO, "Ingen godkjenner etter forsøksloven: søkeren er utenfor lovens virkeområde."
    # a municipal trial with a state body names KDD and the state's approver (see
    # _approvers_for); otherwise several are alternatives (a state body of unknown level)
    who = (" og " if _municipal(r) else " eller ").join(a.short for a, _ in picked)
    return Status.INFO, (f"Søknaden og vedtektene sendes til {who}, som godkjenner etter å ha hørt "
                         f"berørte fagdepartementer (se Godkjenning).")


FL_3_C = f"{FORSOKSLOVEN}/§3/ledd/1/bokstav/c"


def _controls_municipalities(ex: list[ExemptionResult]) -> bool:
    """Whether an exemption rests on § 3 c: state control over kommuner and fylkeskommuner."""
    return any(reason.kind == ReasonKind.GRUNNLAG and FL_3_C in reason.cites
               for e in ex for p in e.provisions
               if Verdict.HJEMMEL in (p.verdict, p.likely)  # § 3 c is what carries it
               for reason in p.reasons)


def _approvers_for(c: KbCache, r: Request, ex: list[ExemptionResult]) -> list[tuple[object, str]]:
    """forsøksloven's approvers for these applicants, with why: KDD when the municipal sector is
    involved — a municipal applicant, or a state applicant's trial with the state's control over
    kommuner («berører … kommunesektoren» in the delegation); else by the state body's level
    (both DFD and the King when the level is not given)."""
    if _municipal(r):
        out = _picks(c, [ApplicantKind.KOMMUNE],
                     "forsøket gjelder eller berører kommuner eller fylkeskommuner")
        # A joint trial with a state body (an enhetsfylke: fylkeskommune and statsforvalter):
        # the delegation gives KDD trials that involve the municipal sector, and DFD (the King,
        # for central bodies) trials in the state's administration. Which of them decides the
        # joint application, or both, the delegation does not say: name both, say so.
        state = [a for a in r.sokere if a.type.state]
        kinds = list(dict.fromkeys(_kind(a) for a in state))
        names = ", ".join(a.navn for a in state)
        for approver, _ in _picks(c, kinds, ""):
            if all(approver is not a for a, _ in out):
                out.append((approver, (
                    f"forsøket omfatter også statlig forvaltning ({names}), og delegasjonen legger "
                    f"forsøk der til {approver.short}. Om KDD behandler den felles søknaden alene "
                    f"eller sammen med {approver.short}, sier delegasjonen ikke: avklar det med "
                    "departementene")))
        return out
    if _controls_municipalities(ex):
        kinds = [ApplicantKind.KOMMUNE]
        why = ("forsøket berører kommunesektoren: det gjelder statlig kontroll med kommuner eller "
               "fylkeskommuner (forsøksloven § 3 første ledd bokstav c)")
    else:
        state = [a for a in r.sokere if a.type.state]
        kinds = list(dict.fromkeys(_kind(a) for a in state))
        named = {_kind(a): a.navn for a in state if _kind(a) != a.type}  # level from the name
        why = ""
    out = []
    for approver, hit in _matching(c, kinds):
        reason = why or (f"søkeren er et {KIND_TEXT[hit.value]}"
                         + (f" ({approver.when.rstrip('.')})" if hit == ApplicantKind.STATLIG_ORGAN
                            else f" (det viser navnet «{named[hit]}»)" if hit in named
                            else ""))
        out.append((approver, reason))
    return out


def _matching(c: KbCache, kinds: list[ApplicantKind]) -> list[tuple[object, ApplicantKind]]:
    """forsøksloven's approvers (rules/forsoksloven.yaml) for these applicant kinds, in the rules'
    order, each with the first kind it approves for."""
    out = []
    for approver in c.conditions.approvers:
        hit = [k for k in kinds if k in approver.applicants]
        if hit:
            out.append((approver, hit[0]))
    return out


def _picks(c: KbCache, kinds: list[ApplicantKind], why: str) -> list[tuple[object, str]]:
    return [(approver, why) for approver, _ in _matching(c, kinds)]


def _publication(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    return Status.INFO, "Den godkjente forskriften kunngjøres i Norsk Lovtidend."


def _selection(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    return Status.INFO, ("Følg departementets regler og utlysning for antall forsøk og utvelgelse "
                         "(for eksempel forsøksordningen fra 2023).")


def _judgement(c: KbCache, r: Request, ex: list[ExemptionResult]) -> Evaluation:
    return Status.MA_VURDERES, "Regelsjekk vurderer ikke dette vilkåret automatisk."


# Condition ids in rules/forsoksloven.yaml -> the function that evaluates the condition. Matched
# exactly: a renamed or new condition is reported as «må vurderes» (never silently as fulfilled),
# and rules lint warns about a condition id that has no evaluator here.
EVALUATORS: dict[str, Callable[..., Evaluation]] = {
    "virkeomrade": _applicants,
    "avvik_nodvendig": _deviation,
    "formal": _aims,
    "forsvarlig": _sound,
    "evaluering": _evaluation,
    "varighet": _duration,
    "erstatningsregler": _replacement,
    "horing": _hearing,
    "vedtak_i_kommunestyret": _council,
    "godkjenning": _approval,
    "kunngjoring": _publication,
    "utvelgelse": _selection,
}


def _evaluator(condition_id: str) -> Callable[..., Evaluation]:
    return EVALUATORS.get(condition_id, _judgement)


def evaluate_conditions(c: KbCache, r: Request, ex: list[ExemptionResult]) -> list[ConditionResult]:
    """Every condition of rules/forsoksloven.yaml, plus duration and applicant if it has none."""
    out: list[ConditionResult] = []
    seen: set[Callable] = set()
    for cond in c.conditions.conditions:
        fn = _evaluator(cond.id)
        seen.add(fn)
        status, detail = fn(c, r, ex)
        out.append(ConditionResult(id=cond.id, title=_title(cond.id), text=cond.text,
                                   status=status, detail=detail,
                                   cites=list(cond.cites), rule=cond.rule))
    if _applicants not in seen:
        status, detail = _applicants(c, r, ex)
        out.insert(0, ConditionResult(id="søker", title="Søker",
                                      text="Søkeren er et forvaltningsorgan",
                                      status=status, detail=detail, cites=[FL_SCOPE],
                                      rule=c.conditions.rule))
    if _duration not in seen:
        status, detail = _duration(c, r, ex)
        out.append(ConditionResult(
            id="varighet", title="Varighet", text=f"Forsøksperioden er inntil {c.conditions.max_years} år, med "
                                f"forlengelse inntil {c.conditions.max_extension_years} år eller "
                                f"fram til en vedtatt reform", status=status, detail=detail,
            cites=[FL_DURATION], rule=c.conditions.rule))
    return out


def _title(condition_id: str) -> str:
    return CONDITION_TITLES.get(condition_id) or condition_id.replace("_", " ").capitalize()


# -- who approves ---------------------------------------------------------------------------


def choose_approvers(c: KbCache, r: Request, ex: list[ExemptionResult],
                     forsoksloven_used: bool) -> list[ApproverResult]:
    """KDD or DFD under forsøksloven, the sector ministries, and sector authorities' approvers."""
    out: list[ApproverResult] = []
    if forsoksloven_used:  # lint checks that every applicant kind § 2 covers has an approver
        for pick, why in _approvers_for(c, r, ex):
            out.append(ApproverResult(name=pick.name, short=pick.short,
                                      why=f"Godkjenner forsøk etter forsøksloven fordi {why}.",
                                      cites=list(pick.cites), rule=pick.rule,
                                      under_forsoksloven=True))
    main = {a.name for a in out}
    ministries: dict[str, list[str]] = {}
    for e in ex:
        for p in e.provisions:
            doc = c.kb.document(doc_of(p.id))
            if doc is None:
                continue
            for m in doc.ministry:
                if m and m not in main:
                    names = ministries.setdefault(m, [])
                    if doc.display_name not in names:
                        names.append(doc.display_name)
    for m, laws in ministries.items():
        out.append(ApproverResult(name=m, why="Berørt fagdepartement (" + ", ".join(laws) +
                                  "); deltar i vurderingen av søknaden."))
    return out


# -- routes ------------------------------------------------------------------------------------


def build_routes(c: KbCache, ex: list[ExemptionResult], assessed: dict[int, list],
                 approver: str | None) -> list[Route]:
    """forsøksloven, each sector authority in play, and a change of law where nothing else works."""
    routes: list[Route] = []
    fl = [e.number for e in ex if e.verdict in (Verdict.HJEMMEL, Verdict.MA_VURDERES)
          and any(not a.authorities and not a.outside for a in assessed.get(e.number, []))]
    if fl:
        routes.append(Route(
            kind=RouteKind.FORSOKSLOVEN, id="forsoksloven", name="Forsøk etter forsøksloven",
            provision=f"{FORSOKSLOVEN}/§3", approver=approver, exemptions=fl,
            allows="Avvik fra regler om organisering, oppgavefordeling og statlig kontroll (§ 3).",
            limits=["kommunelovens grunnleggende organisering og forvaltningslovens saksbehandling "
                    "kan ikke fravikes (§ 4 første ledd)",
                    "rettigheter kan ikke innskrenkes og plikter ikke utvides (§ 4 annet ledd)"],
            cites=[f"{FORSOKSLOVEN}/§3", f"{FORSOKSLOVEN}/§4"], rule=c.conditions.rule))
    by_auth: dict[str, tuple[object, list[int]]] = {}
    for e in ex:
        for a in assessed.get(e.number, []):
            for auth in a.authorities:
                entry = by_auth.setdefault(auth.id, (auth, []))
                if e.number not in entry[1]:
                    entry[1].append(e.number)
    for auth, numbers in by_auth.values():
        routes.append(Route(
            kind=RouteKind.SEKTORLOV, id=auth.id, name=auth.name, provision=auth.provision,
            approver=auth.approver, allows=auth.allows, limits=list(auth.limits),
            exemptions=numbers, note=auth.note, cites=[auth.provision], rule=auth.rule))
    blocked = [e.number for e in ex if e.verdict == Verdict.IKKE_HJEMMEL]
    outside = [e.number for e in ex if any(a.outside for a in assessed.get(e.number, []))]
    if blocked or outside:
        numbers = sorted(set(blocked) | set(outside))
        note = ("Det som forsøksloven stenger for, kan bare endres varig: en lov av Stortinget, en "
                "forskrift av departementet som har gitt den. Ta kontakt med fagdepartementet.")
        cites: list[str] = []
        if outside:
            note += " " + SNOWMOBILE_PRECEDENT
            cites.append(SNOWMOBILE_LAW)
        routes.append(Route(kind=RouteKind.LOVENDRING, id="lovendring",
                            name="Endring av lov eller forskrift",
                            approver="Stortinget (lov) eller departementet (forskrift)",
                            exemptions=numbers, note=note, cites=cites))
    return routes


# -- next steps -----------------------------------------------------------------------------------


def next_steps(verdict: Verdict, ex: list[ExemptionResult], conditions: list[ConditionResult],
               routes: list[Route], approver: str | None, fix_hints: dict[int, list[str]],
               has_errors: bool, unshown: dict | None = None, municipal: bool = True) -> list[str]:
    """Concrete things a municipality does next, most important first. `unshown`: sector
    authorities (by id) whose purpose the request does not show, with that purpose."""
    steps: list[str] = []
    if has_errors:
        steps.append("Rett henvisningene som ikke kunne slås opp (se feil), og kjør sjekken på nytt.")
    if verdict == Verdict.KREVER_IKKE_FORSOK:
        steps.append("Dere trenger ikke forsøk for dette: sett i gang innenfor gjeldende regler, og "
                     "sjekk at ingen andre bestemmelser står i veien.")
        return steps
    blocked = [e for e in ex if e.verdict == Verdict.IKKE_HJEMMEL or (
        e.verdict == Verdict.MA_VURDERES and any(r.kind == RouteKind.LOVENDRING and e.number
                                                 in r.exemptions for r in routes))]
    for e in blocked:
        hints = fix_hints.get(e.number) or ["krever lovendring"]
        steps.append(f"Unntak {e.number} ({', '.join(e.citations)}): {'; '.join(_unique(hints))}.")
    vurderes = [e for e in ex if e.verdict == Verdict.MA_VURDERES]
    if vurderes:
        steps.append("Be en jurist (kommuneadvokaten eller egen juridisk avdeling, og veiledning fra "
                     f"{approver or 'departementet'}) vurdere unntak "
                     + ", ".join(str(e.number) for e in vurderes) + " før søknaden sendes.")
    for route in routes:
        if route.kind == RouteKind.SEKTORLOV:
            purpose = (unshown or {}).get(route.id)
            numbers = ", ".join(str(n) for n in route.exemptions)
            approved = f"godkjennes av {(route.approver or 'departementet').rstrip('. ')}"
            if purpose is None:
                steps.append(f"Søk etter {route.name} om unntak {numbers}: {approved}.")
            else:  # not a route until the request shows it fits: say what it must show
                steps.append(f"{_cap(route.name)} er en vei for unntak {numbers} bare hvis "
                             f"forsøket passer: {purpose.text.rstrip('.')}. Søknaden viser ikke "
                             f"det; svar først på: {purpose.question.rstrip('.?')}? ({approved}.)")
    for cond in conditions:
        if cond.status in (ConditionStatus.MANGLER, ConditionStatus.IKKE_OPPFYLT):
            steps.append(f"{cond.title}: {cond.detail}")
    if verdict in (Verdict.HJEMMEL, Verdict.DELVIS, Verdict.MA_VURDERES) and \
            any(r.kind == RouteKind.FORSOKSLOVEN for r in routes):
        if municipal:
            steps.append("Lag utkast til lokal forskrift for forsøket (se utkastet), send det på "
                         "høring, få søknaden og forskriften vedtatt i kommunestyret/fylkestinget, "
                         f"og send søknaden til {approver or 'departementet'}.")
        else:  # a state body: no council; the approver gives the forskrift
            steps.append("Lag utkast til forskrift for forsøket (se utkastet), send det på høring, og "
                         f"send søknaden med utkastet til {approver or 'departementet'}.")
    if verdict == Verdict.IKKE_HJEMMEL and not any(r.kind == RouteKind.SEKTORLOV for r in routes):
        steps.append("Forsøk er ikke en farbar vei for dette. Ta saken opp med fagdepartementet som "
                     "innspill til lovendring, eller form ideen om slik at den holder seg innenfor "
                     "forsøksloven § 3.")
    return steps

