"""The app's words in bokmål and nynorsk: one catalogue keyed by message id, and the choice of
målform (sidebar «Språk / Målform», kept in the address as `maalform=nn`).

`t("id", **values)` gives the text in the chosen målform. What the checker writes (verdicts,
reasons, conditions, summaries) comes from lower layers and stays bokmål.

Streamlit draws some words itself, in English, with no setting to change them (the file
uploader's «Upload» and «200MB per file», «Skip to main content», aria-labels such as «Collapse
sidebar» and «Remove …»). `STREAMLIT` maps them to our words, and `page_script()` is a constant
script (built from these tables only, never from data) that sets <html lang> and rewrites those
texts and attributes in the page as Streamlit draws them (a MutationObserver: in place, so
React's own later updates go through it too).
"""

from __future__ import annotations

import json

import streamlit as st

LANGS = ("nb", "nn")
LANG_KEY = "maalform"  # session state and query parameter
LANG_NAMES = {"nb": "Bokmål", "nn": "Nynorsk"}

# id -> (bokmål, nynorsk). Values in {braces} are filled in by t().
MESSAGES: dict[str, tuple[str, str]] = {
    # -- app and sidebar
    "app.title": ("regelsjekk – forsøkshjemmel", "regelsjekk – forsøksheimel"),
    "app.tagline": ("Kan idéen prøves som forsøk? Sjekk mot forsøksloven og sektorlovenes forsøkshjemler.",
                    "Kan idéen prøvast som forsøk? Sjekk mot forsøkslova og forsøksheimlane i sektorlovene."),
    "app.page": ("Side", "Side"),
    "app.language": ("Språk / Målform", "Språk / Målform"),
    "app.loading_kb": ("Laster kunnskapsbasen …", "Lastar kunnskapsbasen …"),
    "app.disclaimer": ("Svarene er veiledende og erstatter ikke en juridisk vurdering i departementet.",
                       "Svara er rettleiande og erstattar ikkje ei juridisk vurdering i departementet."),
    "app.draft_unreadable": ("Utkastet i adressen kunne ikke leses, og skjemaet starter tomt.",
                             "Utkastet i adressa kunne ikkje lesast, og skjemaet startar tomt."),
    "page.Start": ("Start", "Start"),
    "page.Sjekk idé": ("Sjekk idé", "Sjekk idé"),
    "page.Batch": ("Batch", "Batch"),
    "page.Oppslag": ("Oppslag", "Oppslag"),
    "page.Tidligere forsøk": ("Tidligere forsøk", "Tidlegare forsøk"),
    "page.Kunnskapsbase": ("Kunnskapsbase", "Kunnskapsbase"),
    "kb.imported": ("Kunnskapsbase: importert fra Lovdata ({docs} dokumenter) + regler.",
                    "Kunnskapsbase: importert frå Lovdata ({docs} dokument) + reglar."),
    "kb.builtin": ("Kunnskapsbase: innebygd ({docs} lover og forskrifter, uten lovtekst). Full "
                   "lovtekst krever at administratoren importerer Lovdata-data.",
                   "Kunnskapsbase: innebygd ({docs} lover og forskrifter, utan lovtekst). Full "
                   "lovtekst krev at administratoren importerer Lovdata-data."),
    # -- validation (pydantic in Norwegian)
    "val.field": ("Et felt", "Eit felt"),
    "val.missing": ("{field} mangler.", "{field} manglar."),
    "val.no_applicant": ("Fyll inn minst én søker (én per linje).", "Fyll inn minst éin søkjar (éin per linje)."),
    "val.too_short": ("{field}: velg minst én.", "{field}: vel minst éin."),
    "val.empty": ("{field} kan ikke være tom.", "{field} kan ikkje vere tom."),
    "val.over": ("{field} må være over {limit}.", "{field} må vere over {limit}."),
    "val.at_least": ("{field} må være minst {limit}.", "{field} må vere minst {limit}."),
    "val.under": ("{field} må være under {limit}.", "{field} må vere under {limit}."),
    "val.at_most": ("{field} må være høyst {limit}.", "{field} må vere høgst {limit}."),
    "val.date": ("{field} må være en dato (f.eks. 2025-01-01).", "{field} må vere ein dato (t.d. 2025-01-01)."),
    "val.other": ("{field} har en verdi som ikke kan brukes.", "{field} har ein verdi som ikkje kan brukast."),
    "field.tittel": ("Tittel", "Tittel"),
    "field.sokere": ("Søker(e)", "Søkjar(ar)"),
    "field.navn": ("Søkerens navn", "Namnet på søkjaren"),
    "field.type": ("Type søker", "Type søkjar"),
    "field.formal": ("Formål", "Føremål"),
    "field.mal": ("Mål", "Mål"),
    "field.periode": ("Periode", "Periode"),
    "field.start": ("Oppstart", "Oppstart"),
    "field.varighet_ar": ("Varighet (år)", "Varigheit (år)"),
    "field.forlengelse_ar": ("Planlagt forlengelse (år)", "Planlagd forlenging (år)"),
    "field.reform": ("Reform", "Reform"),
    "field.enheter": ("Antall forsøksenheter", "Tal på forsøkseiningar"),
    "field.enheter_begrunnelse": ("Hvorfor så mange enheter", "Kvifor så mange einingar"),
    "field.evaluering": ("Evalueringsplan", "Evalueringsplan"),
    "field.unntak": ("Bestemmelser", "Føresegner"),
    "field.bestemmelser": ("Bestemmelse", "Føresegn"),
    "field.virkning": ("Virkning for enkeltpersoner", "Verknad for enkeltpersonar"),
    # -- Start
    "start.intro": ("**regelsjekk** sjekker om en regel dere vil fravike kan prøves ut som et forsøk, "
                    "etter forsøksloven eller en sektorlovs egen forsøkshjemmel.",
                    "**regelsjekk** sjekkar om ein regel de vil fråvike kan prøvast ut som eit forsøk, "
                    "etter forsøkslova eller ein eigen forsøksheimel i ei sektorlov."),
    "start.step1": ("Idé", "Idé"),
    "start.step1.text": ("Beskriv hva dere vil prøve ut, med egne ord. Appen foreslår bestemmelser "
                         "idéen kan støte mot.",
                         "Beskriv kva de vil prøve ut, med eigne ord. Appen foreslår føresegner "
                         "idéen kan støyte mot."),
    "start.step2": ("Bestemmelser", "Føresegner"),
    "start.step2.text": ("Velg bestemmelsene dere vil ha unntak fra, og si hva som skal gjelde i "
                         "stedet og hvordan det påvirker innbyggerne.",
                         "Vel føresegnene de vil ha unntak frå, og sei kva som skal gjelde i "
                         "staden og korleis det påverkar innbyggjarane."),
    "start.step3": ("Detaljer", "Detaljar"),
    "start.step3.text": ("Søkere, formål, mål etter forsøksloven § 1, periode, antall "
                         "forsøksenheter og evaluering: det en søknad må vise.",
                         "Søkjarar, føremål, mål etter forsøkslova § 1, periode, tal på "
                         "forsøkseiningar og evaluering: det ein søknad må vise."),
    "start.step4": ("Svar", "Svar"),
    "start.step4.text": ("Hjemmel i forsøksloven, en annen forsøkshjemmel, delvis, må vurderes eller "
                         "ikke hjemmel, med begrunnelse per bestemmelse, vilkårene og hvem som "
                         "godkjenner.",
                         "Heimel i forsøkslova, ein annan forsøksheimel, delvis, må vurderast eller "
                         "ikkje heimel, med grunngjeving per føresegn, vilkåra og kven som "
                         "godkjenner."),
    "start.step5": ("Søknad", "Søknad"),
    "start.step5.text": ("Last ned rapporten og et utkast til lokal forskrift (Word), og bruk dem i "
                         "søknaden til departementet.",
                         "Last ned rapporten og eit utkast til lokal forskrift (Word), og bruk dei i "
                         "søknaden til departementet."),
    "start.begin": ("Begynn: sjekk en idé", "Byrj: sjekk ein idé"),
    "start.is": ("Hva svaret er", "Kva svaret er"),
    "start.is.text": ("- En veiledning: hvilke regler idéen berører, om forsøksloven gir hjemmel, og "
                      "hvorfor, med henvisning til lovene på lovdata.no.\n"
                      "- En liste over det søknaden må vise, og hvem som godkjenner.\n"
                      "- Et utgangspunkt for søknaden og den lokale forskriften.",
                      "- Ei rettleiing: kva reglar idéen rører ved, om forsøkslova gir heimel, og "
                      "kvifor, med tilvising til lovene på lovdata.no.\n"
                      "- Ei liste over det søknaden må vise, og kven som godkjenner.\n"
                      "- Eit utgangspunkt for søknaden og den lokale forskrifta."),
    "start.is_not": ("Hva svaret ikke er", "Kva svaret ikkje er"),
    "start.is_not.text": ("- Ikke et vedtak: departementet (KDD, DFD, sektordepartementet) eller "
                          "Kongen i statsråd avgjør søknaden.\n"
                          "- Ikke en fullstendig juridisk vurdering: svar merket «Må vurderes» "
                          "trenger en jurist.\n"
                          "- Ikke bedre enn dataene: datoen for lovdataene står på siden Kunnskapsbase.",
                          "- Ikkje eit vedtak: departementet (KDD, DFD, sektordepartementet) eller "
                          "Kongen i statsråd avgjer søknaden.\n"
                          "- Ikkje ei fullstendig juridisk vurdering: svar merkte «Må vurderes» "
                          "treng ein jurist.\n"
                          "- Ikkje betre enn dataa: datoen for lovdataa står på sida Kunnskapsbase."),
    "start.kept": ("Arbeidet ditt tas vare på når du bytter side, og adressen til siden holder "
                   "utkastet: last inn siden på nytt eller bokmerk den, så får du skjemaet tilbake.",
                   "Arbeidet ditt blir teke vare på når du byter side, og adressa til sida held på "
                   "utkastet: last inn sida på nytt eller bokmerk ho, så får du skjemaet tilbake."),
    "start.others": ("Andre sider: **Batch** sjekker mange søknadsfiler på en gang, **Oppslag** slår "
                     "opp en bestemmelse, **{earlier}** viser forsøk som er godkjent før.",
                     "Andre sider: **Batch** sjekkar mange søknadsfiler på ein gong, **Oppslag** slår "
                     "opp ei føresegn, **{earlier}** viser forsøk som er godkjende før."),
    # -- Sjekk idé: the form
    "sjekk.intro": ("Beskriv forsøket dere vil søke om, velg bestemmelsene dere vil ha unntak fra, "
                    "og få svar på om forsøksloven (eller en annen forsøkshjemmel) gir hjemmel — med "
                    "begrunnelse.",
                    "Beskriv forsøket de vil søkje om, vel føresegnene de vil ha unntak frå, og få "
                    "svar på om forsøkslova (eller ein annan forsøksheimel) gir heimel — med "
                    "grunngjeving."),
    "sjekk.title": ("Tittel på forsøket", "Tittel på forsøket"),
    "sjekk.untitled": ("Uten tittel", "Utan tittel"),
    "sjekk.applicants": ("Søker(e): én per linje", "Søkjar(ar): éin per linje"),
    "sjekk.kind": ("Type søker", "Type søkjar"),
    "sjekk.kind.placeholder": ("Velg type", "Vel type"),
    "sjekk.purpose": ("Formål: hva vil dere oppnå?", "Føremål: kva vil de oppnå?"),
    "sjekk.aims": ("Mål etter forsøksloven § 1", "Mål etter forsøkslova § 1"),
    "sjekk.aims.placeholder": ("Velg ett eller flere mål", "Vel eitt eller fleire mål"),
    "sjekk.start": ("Oppstart (dato)", "Oppstart (dato)"),
    "sjekk.start.placeholder": ("f.eks. 2025-01-01", "t.d. 2025-01-01"),
    "sjekk.start.bad": ("Oppstart «{text}» er ikke en dato; skriv f.eks. 2025-01-01 eller 1.1.2025.",
                        "Oppstart «{text}» er ikkje ein dato; skriv t.d. 2025-01-01 eller 1.1.2025."),
    "sjekk.years": ("Varighet (år)", "Varigheit (år)"),
    "sjekk.ext": ("Planlagt forlengelse (år)", "Planlagd forlenging (år)"),
    "sjekk.reform": ("Reform forsøket venter på (valgfritt)", "Reform forsøket ventar på (valfritt)"),
    "sjekk.units": ("Antall forsøksenheter", "Tal på forsøkseiningar"),
    "sjekk.units_why": ("Hvorfor så mange enheter?", "Kvifor så mange einingar?"),
    "sjekk.evaluation": ("Evalueringsplan", "Evalueringsplan"),
    "sjekk.cooperation": ("Samarbeid: hvem samarbeider i forsøket, og hvordan? (valgfritt)",
                          "Samarbeid: kven samarbeider i forsøket, og korleis? (valfritt)"),
    "sjekk.cooperation.help": ("Det noen forsøkshjemler i sektorlover spør om, for eksempel "
                               "barnevernsloven § 15-13 (samarbeid mellom barnevernstjenesten og andre).",
                               "Det somme forsøksheimlar i sektorlover spør om, til dømes "
                               "barnevernslova § 15-13 (samarbeid mellom barnevernstenesta og andre)."),
    "sjekk.reversible": ("Forsøket kan reverseres", "Forsøket kan reverserast"),
    "sjekk.council": ("Vedtas av kommunestyret/fylkestinget", "Vedtakast av kommunestyret/fylkestinget"),
    "sjekk.hearing": ("Lokal forskrift sendes på høring", "Lokal forskrift blir send på høyring"),
    "sjekk.as_text": ("**Søknaden som tekst** (kan redigeres og sjekkes direkte)",
                      "**Søknaden som tekst** (kan redigerast og sjekkast direkte)"),
    "sjekk.text": ("Søknadstekst", "Søknadstekst"),
    "sjekk.check_form": ("Sjekk skjemaet", "Sjekk skjemaet"),
    "sjekk.check_text": ("Sjekk teksten", "Sjekk teksten"),
    "sjekk.incomplete": ("Skjemaet er ikke komplett:", "Skjemaet er ikkje komplett:"),
    "sjekk.checking": ("Sjekker søknaden …", "Sjekkar søknaden …"),
    "sjekk.many_in_text": ("Teksten inneholder {n} søknader; den første sjekkes her. Bruk Batch-siden "
                           "for flere.",
                           "Teksten inneheld {n} søknader; den første blir sjekka her. Bruk "
                           "Batch-sida for fleire."),
    # the form's choices
    "kind.kommune": ("Kommune", "Kommune"),
    "kind.fylkeskommune": ("Fylkeskommune", "Fylkeskommune"),
    "kind.statlig_regional": ("Statlig organ, regionalt eller lokalt (f.eks. statsforvalteren)",
                              "Statleg organ, regionalt eller lokalt (t.d. statsforvaltaren)"),
    "kind.statlig_sentral": ("Statlig organ, sentralt (departement, direktorat)",
                             "Statleg organ, sentralt (departement, direktorat)"),
    "kind.statlig_organ": ("Statlig organ (nivå ikke oppgitt)", "Statleg organ (nivå ikkje oppgitt)"),
    "kind.privat": ("Privat virksomhet", "Privat verksemd"),
    "aim.organisering": ("Bedre organisering og drift", "Betre organisering og drift"),
    "aim.oppgavefordeling": ("Bedre oppgavefordeling", "Betre oppgåvefordeling"),
    "aim.tjenesteyting": ("Bedre tjenester til innbyggerne", "Betre tenester til innbyggjarane"),
    "aim.ressursutnyttelse": ("Bedre ressursutnyttelse", "Betre ressursutnytting"),
    "aim.demokrati": ("Gode demokratiske styringsformer", "Gode demokratiske styringsformer"),
    "effect.ingen": ("Ingen virkning for enkeltpersoner", "Ingen verknad for enkeltpersonar"),
    "effect.utvider_rettighet": ("Gir enkeltpersoner flere rettigheter", "Gir enkeltpersonar fleire rettar"),
    "effect.innskrenker_rettighet": ("Innskrenker rettigheter", "Innskrenkar rettar"),
    "effect.letter_plikt": ("Letter plikter for enkeltpersoner", "Lettar plikter for enkeltpersonar"),
    "effect.utvider_plikt": ("Gir enkeltpersoner nye eller større plikter",
                             "Gir enkeltpersonar nye eller større plikter"),
    # suggestions and the picker
    "sugg.lead": ("**Usikker på hvilke regler idéen støter mot?** Beskriv den med egne ord.",
                  "**Usikker på kva reglar idéen støyter mot?** Beskriv idéen med eigne ord."),
    "sugg.idea": ("Beskriv idéen", "Beskriv idéen"),
    "sugg.idea.placeholder": ("Fire små kommuner vil drive en felles legetjeneste som kan fatte vedtak "
                              "for alle fire.",
                              "Fire små kommunar vil drive ei felles legeteneste som kan gjere vedtak "
                              "for alle fire."),
    "sugg.ask": ("Foreslå bestemmelser", "Foreslå føresegner"),
    "sugg.empty_idea": ("Skriv noen ord om idéen først.", "Skriv nokre ord om idéen først."),
    "sugg.searching": ("Leter etter bestemmelser som kan passe …", "Leitar etter føresegner som kan passe …"),
    "sugg.none": ("Ingen treff: ingen bestemmelse i kunnskapsbasen passer ordene. Beskriv idéen med "
                  "andre ord, eller søk etter bestemmelsen under.",
                  "Ingen treff: inga føresegn i kunnskapsbasen passar orda. Beskriv idéen med andre "
                  "ord, eller søk etter føresegna nedanfor."),
    "sugg.weak": ("Svake treff: forslagene passer dårlig til beskrivelsen og er trolig ikke "
                  "bestemmelsene idéen støter mot. Beskriv hva som skal gjøres annerledes enn reglene "
                  "sier, eller søk etter bestemmelsen under.",
                  "Svake treff: framlegga passar dårleg til skildringa og er truleg ikkje føresegnene "
                  "idéen støyter mot. Beskriv kva som skal gjerast annleis enn reglane seier, eller "
                  "søk etter føresegna nedanfor."),
    "sugg.add": ("Legg til", "Legg til"),
    "sugg.add.help": ("Legg til {what}", "Legg til {what}"),
    "sugg.routes": ("**Mulige veier** (forsøkshjemler som kan bære idéen; sjekken avgjør)",
                    "**Moglege vegar** (forsøksheimlar som kan bere idéen; sjekken avgjer)"),
    "sugg.approver": ("Godkjenner: {who}", "Godkjenner: {who}"),
    "pick.lead": ("**Bestemmelser dere vil ha unntak fra**", "**Føresegner de vil ha unntak frå**"),
    "pick.search": ("Søk etter bestemmelse (f.eks. «kommuneloven § 19-1» eller «oppgavefellesskap»)",
                    "Søk etter føresegn (t.d. «kommuneloven § 19-1» eller «oppgavefellesskap»)"),
    "pick.searching": ("Søker …", "Søkjer …"),
    "pick.none": ("Ingen treff. Prøv lovens navn og paragrafnummer, f.eks. «kommuneloven § 19-1».",
                  "Ingen treff. Prøv namnet på lova og paragrafnummeret, t.d. «kommuneloven § 19-1»."),
    "pick.remove": ("Fjern", "Fjern"),
    "pick.remove.help": ("Fjern {what}", "Fjern {what}"),
    "pick.effect": ("Virkning for enkeltpersoner ({cited})", "Verknad for enkeltpersonar ({cited})"),
    "pick.effect.placeholder": ("Velg virkning", "Vel verknad"),
    "pick.replacement": ("Hva skal gjelde i stedet for {cited} (erstatningsregel)?",
                         "Kva skal gjelde i staden for {cited} (erstatningsregel)?"),
    "pick.safeguard": ("Hvordan ivaretas rettssikkerheten (for saksbehandlingsregler i {cited})?",
                       "Korleis blir rettstryggleiken teken vare på (for saksbehandlingsreglar i {cited})?"),
    # drafts
    "draft.box": ("Lagre eller åpne utkast", "Lagre eller opne utkast"),
    "draft.in_address": ("Utkastet lagres også i adressen til siden: last inn siden på nytt eller "
                         "bokmerk den, så får du skjemaet tilbake.",
                         "Utkastet blir også lagra i adressa til sida: last inn sida på nytt eller "
                         "bokmerk ho, så får du skjemaet tilbake."),
    "draft.save_forsok": ("Lagre utkast (.forsok)", "Lagre utkast (.forsok)"),
    "draft.save_json": ("Lagre utkast (JSON)", "Lagre utkast (JSON)"),
    "draft.need_applicant": ("Fyll inn minst én søker for å lagre utkastet som fil.",
                             "Fyll inn minst éin søkjar for å lagre utkastet som fil."),
    "draft.open": ("Åpne utkast (.forsok eller .json)", "Opne utkast (.forsok eller .json)"),
    "draft.open.help": ("Velg en søknadsfil fra maskinen din; skjemaet fylles ut fra den.",
                        "Vel ei søknadsfil frå maskina di; skjemaet blir fylt ut frå ho."),
    "draft.not_utf8": ("{name}: filen er ikke UTF-8-tekst.", "{name}: fila er ikkje UTF-8-tekst."),
    "draft.no_request": ("{name}: filen inneholder ingen søknad.", "{name}: fila inneheld ingen søknad."),
    "draft.many": ("Filen har {n} søknader; den første er åpnet. Bruk Batch-siden for å sjekke alle.",
                   "Fila har {n} søknader; den første er opna. Bruk Batch-sida for å sjekke alle."),
    "draft.opened": ("Åpnet «{title}» fra {name}.", "Opna «{title}» frå {name}."),
    "draft.mixed_kinds": ("Søkerne er av ulik type; skjemaet har én type for alle, og den første er "
                          "valgt. Rett det i søknadsteksten om det betyr noe.",
                          "Søkjarane er av ulik type; skjemaet har éin type for alle, og den første er "
                          "vald. Rett det i søknadsteksten om det betyr noko."),
    "draft.not_added": ("«{citation}» ble ikke lagt til: {why}", "«{citation}» vart ikkje lagd til: {why}"),
    "draft.not_found": ("fant ikke bestemmelsen", "fann ikkje føresegna"),
    "draft.note_dropped": ("Merknaden i filen har ikke noe felt i skjemaet og er ikke tatt med.",
                           "Merknaden i fila har ikkje noko felt i skjemaet og er ikkje teken med."),
    # downloads
    "dl.heading": ("Last ned", "Last ned"),
    "dl.making": ("Lager dokumentene …", "Lagar dokumenta …"),
    "dl.report_docx": ("Rapport (Word)", "Rapport (Word)"),
    "dl.forskrift_docx": ("Utkast til lokal forskrift (Word)", "Utkast til lokal forskrift (Word)"),
    "dl.request_forsok": ("Søknad (.forsok)", "Søknad (.forsok)"),
    "dl.request_json": ("Søknad (JSON)", "Søknad (JSON)"),
    "dl.report_md": ("Rapport (Markdown)", "Rapport (Markdown)"),
    "dl.report_html": ("Rapport (HTML)", "Rapport (HTML)"),
    "dl.forskrift_text": ("Utkast til forskrift (tekst)", "Utkast til forskrift (tekst)"),
    # -- the answer
    "ans.sure.sikker": ("sikkert", "sikkert"),
    "ans.sure.sannsynlig": ("sannsynlig", "sannsynleg"),
    "ans.sure.usikker": ("usikkert", "usikkert"),
    "ans.did_you_mean": (" Mente du: {what}?", " Meinte du: {what}?"),
    "ans.grounds": ("Hjemmel/grunnlag: ", "Heimel/grunnlag: "),
    "ans.certainty": ("sikkerhet", "sikkerheit"),
    "ans.tags": ("Merking: ", "Merking: "),
    "ans.rule": ("Regel: ", "Regel: "),
    "ans.rule_exemption": ("Regel for unntaket: ", "Regel for unntaket: "),
    "ans.lawyers": ("For jurister: id-er, merking og regelgrunnlag", "For juristar: id-ar, merking og regelgrunnlag"),
    "ans.earlier": ("Tidligere forsøk", "Tidlegare forsøk"),
    "ans.earlier.background": ("Bare som bakgrunn: tidligere forsøk endrer ikke svaret.",
                               "Berre som bakgrunn: tidlegare forsøk endrar ikkje svaret."),
    "ans.no_applicant": ("søker ikke oppgitt", "søkjar ikkje oppgitt"),
    "ans.year_unknown": ("år ukjent", "år ukjent"),
    "ans.instead": ("I stedet", "I staden"),
    "ans.errors": ("Søknaden har feil som må rettes før den kan vurderes fullt ut:",
                   "Søknaden har feil som må rettast før han kan vurderast fullt ut:"),
    "ans.line": ("linje {n}: ", "linje {n}: "),
    "ans.exemptions": ("Bestemmelsene det søkes unntak fra", "Føresegnene det blir søkt unntak frå"),
    "ans.conditions": ("Vilkår for forsøket", "Vilkår for forsøket"),
    "ans.conditions.alt": ("Vilkårene for forsøket og om søknaden viser dem",
                           "Vilkåra for forsøket og om søknaden viser dei"),
    "col.status": ("Status", "Status"),
    "col.condition": ("Vilkår", "Vilkår"),
    "col.note": ("Merknad", "Merknad"),
    "col.authority": ("Hjemmel", "Heimel"),
    "ans.approvers": ("Hvem godkjenner", "Kven godkjenner"),
    "ans.routes": ("Veier videre", "Vegar vidare"),
    "ans.approved_by": (" Godkjennes av {who}.", " Blir godkjend av {who}."),
    "ans.limit": ("Grense: ", "Grense: "),
    "ans.next": ("Neste steg", "Neste steg"),
    # -- Batch
    "batch.intro": ("Last opp søknader (`.forsok` eller `.json`, eller en `.zip` med slike). Inntil "
                    "{files} filer, {kb} kB per fil og {mb} MB totalt.",
                    "Last opp søknader (`.forsok` eller `.json`, eller ein `.zip` med slike). Inntil "
                    "{files} filer, {kb} kB per fil og {mb} MB totalt."),
    "batch.files": ("Søknadsfiler (.forsok, .json eller .zip)", "Søknadsfiler (.forsok, .json eller .zip)"),
    "batch.checking": ("Sjekker {files} …", "Sjekkar {files} …"),
    "batch.file": ("fil", "fil"),
    "batch.file_pl": ("filer", "filer"),
    "batch.internal": ("{name}: intern feil under sjekken ({kind}). Meld gjerne fra med filen vedlagt.",
                       "{name}: intern feil under sjekken ({kind}). Meld gjerne frå med fila vedlagd."),
    "batch.nothing": ("Ingen søknader kunne sjekkes.", "Ingen søknader kunne sjekkast."),
    "batch.show": ("Vis konklusjoner", "Vis konklusjonar"),
    "batch.show.placeholder": ("Velg konklusjoner som skal vises", "Vel konklusjonar som skal visast"),
    "batch.table.alt": ("Søknadene som er sjekket, med konklusjon", "Søknadene som er sjekka, med konklusjon"),
    "batch.none_shown": ("Ingen søknader med de valgte konklusjonene.",
                         "Ingen søknader med dei valde konklusjonane."),
    "batch.csv": ("Last ned CSV (Excel)", "Last ned CSV (Excel)"),
    "batch.json": ("Last ned JSON", "Last ned JSON"),
    "batch.report_for": ("Vis hele rapporten for", "Vis heile rapporten for"),
    "batch.report_for.placeholder": ("Velg en søknad", "Vel ein søknad"),
    "col.Fil": ("Fil", "Fil"),
    "col.Nr.": ("Nr.", "Nr."),
    "col.Tittel": ("Tittel", "Tittel"),
    "col.Søker": ("Søker", "Søkjar"),
    "col.Konklusjon": ("Konklusjon", "Konklusjon"),
    "col.Unntak": ("Unntak", "Unntak"),
    "col.Feil": ("Feil", "Feil"),
    "col.Sammendrag": ("Sammendrag", "Samandrag"),
    # -- Oppslag
    "opp.query": ("Sitat eller fritekst", "Sitat eller fritekst"),
    "opp.query.help": ("Skriv en henvisning slik jurister skriver den, eller noen ord fra overskrift "
                       "eller tekst.",
                       "Skriv ei tilvising slik juristar skriv ho, eller nokre ord frå overskrift "
                       "eller tekst."),
    "opp.looking": ("Slår opp …", "Slår opp …"),
    "opp.not_found": ("Fant ikke bestemmelsen. Mente du: ", "Fann ikkje føresegna. Meinte du: "),
    "opp.searching": ("Søker i overskrifter og tekst …", "Søkjer i overskrifter og tekst …"),
    "opp.none": ("Ingen treff. Prøv lovens navn og paragrafnummer, eller andre ord.",
                 "Ingen treff. Prøv namnet på lova og paragrafnummeret, eller andre ord."),
    "opp.hits": ("**Treff i overskrifter og tekst ({n})**", "**Treff i overskrifter og tekst ({n})**"),
    "opp.pick": ("Velg en bestemmelse", "Vel ei føresegn"),
    "opp.summary": ("**Kort fortalt:** ", "**Kort fortalt:** "),
    "opp.keywords": ("Stikkord: ", "Stikkord: "),
    "opp.rights": ("Gir enkeltpersoner rettigheter: et forsøk kan ikke innskrenke dem (forsøksloven "
                   "§ 4 annet ledd).",
                   "Gir enkeltpersonar rettar: eit forsøk kan ikkje innskrenke dei (forsøkslova § 4 "
                   "andre ledd)."),
    "opp.duties": ("Legger plikter på enkeltpersoner: et forsøk kan ikke utvide dem (forsøksloven "
                   "§ 4 annet ledd).",
                   "Legg plikter på enkeltpersonar: eit forsøk kan ikkje utvide dei (forsøkslova § 4 "
                   "andre ledd)."),
    "opp.text": ("Lovtekst (fra Lovdata-importen)", "Lovtekst (frå Lovdata-importen)"),
    "opp.notes": ("Endringshistorikk og fotnoter ({n})", "Endringshistorikk og fotnotar ({n})"),
    "opp.notes.lead": ("Lovdatas merknader til teksten, vist for seg: de er ikke en del av "
                       "lovteksten.",
                       "Lovdata sine merknader til teksten, viste for seg: dei er ikkje ein del "
                       "av lovteksten."),
    "note.endring": ("Endret", "Endra"),
    "note.fotnote": ("Fotnote", "Fotnote"),
    "note.rettelse": ("Rettelse", "Retting"),
    "note.utgått": ("Utgått", "Utgått"),
    "note.merknad": ("Merknad", "Merknad"),
    "opp.tags": ("**Merking og begrunnelse**", "**Merking og grunngjeving**"),
    "opp.tags.alt": ("Merkingen av {citation}", "Merkinga av {citation}"),
    "col.Merke": ("Merke", "Merke"),
    "col.Virkning": ("Virkning", "Verknad"),
    "col.Kilde": ("Kilde", "Kjelde"),
    "col.Sikkerhet": ("Sikkerhet", "Sikkerheit"),
    "col.Arvet fra": ("Arvet fra", "Arva frå"),
    "col.Begrunnelse": ("Begrunnelse", "Grunngjeving"),
    "opp.lawyers": ("For jurister: id og regelgrunnlag", "For juristar: id og regelgrunnlag"),
    "opp.untagged": ("Uavklart: ingen merking i regelverket for denne bestemmelsen ennå.",
                     "Uavklart: inga merking i regelverket for denne føresegna enno."),
    "opp.authorities": ("**Forsøkshjemler som kan gjelde**", "**Forsøksheimlar som kan gjelde**"),
    "opp.approved_by": ("(godkjennes av {who})", "(blir godkjend av {who})"),
    "opp.earlier": ("Tidligere forsøk: ", "Tidlegare forsøk: "),
    "opp.earlier.none": ("Tidligere forsøk: ingen i biblioteket har satt denne bestemmelsen til side. ",
                         "Tidlegare forsøk: ingen i biblioteket har sett denne føresegna til side. "),
    "opp.earlier.count": ("**Tidligere forsøk ({n})**", "**Tidlegare forsøk ({n})**"),
    "opp.earlier.more": ("Flere tidligere forsøk ({n})", "Fleire tidlegare forsøk ({n})"),
    "opp.background": ("Bare som bakgrunn. ", "Berre som bakgrunn. "),
    "opp.children": ("Underliggende ledd og bestemmelser ({n})", "Underliggjande ledd og føresegner ({n})"),
    "opp.refs_out": ("Viser til", "Viser til"),
    "opp.refs_in": ("Vises til fra", "Blir vist til frå"),
    "opp.regulations": ("Forskrifter med hjemmel her", "Forskrifter med heimel her"),
    "opp.graph": ("**Nabolaget i lovverket**", "**Nabolaget i lovverket**"),
    # -- Tidligere forsøk
    "tid.empty_builtin": ("Biblioteket er tomt fordi appen kjører på den innebygde kunnskapsbasen, "
                          "uten import fra Lovdata. Be administratoren importere Lovdata-data (med "
                          "Lovtidend); se siden Kunnskapsbase.",
                          "Biblioteket er tomt fordi appen køyrer på den innebygde kunnskapsbasen, "
                          "utan import frå Lovdata. Be administratoren importere Lovdata-data (med "
                          "Lovtidend); sjå sida Kunnskapsbase."),
    "tid.background": ("Bare som bakgrunn: et tidligere forsøk viser at noe har vært prøvd, ikke at "
                       "det har hjemmel i dag.",
                       "Berre som bakgrunn: eit tidlegare forsøk viser at noko har vore prøvd, ikkje "
                       "at det har heimel i dag."),
    "tid.no_match": ("Ingen forsøk passer filtrene. Fjern noen av dem, eller ta med KOSTRA-forsøkene.",
                     "Ingen forsøk passar filtra. Fjern nokre av dei, eller ta med KOSTRA-forsøka."),
    "tid.some": ("viser {shown} av {found}, nyeste først", "viser {shown} av {found}, nyaste først"),
    "tid.newest": ("nyeste først", "nyaste først"),
    "tid.count": ("**{n} forsøk** ({how})", "**{n} forsøk** ({how})"),
    "tid.text": ("Fritekst (tittel, søker, det som ble satt til side)",
                 "Fritekst (tittel, søkjar, det som vart sett til side)"),
    "tid.text.placeholder": ("f.eks. «skilt», «barnehage» eller «Steinkjer»",
                             "t.d. «skilt», «barnehage» eller «Steinkjer»"),
    "tid.area": ("Område", "Område"),
    "tid.area.placeholder": ("Velg område", "Vel område"),
    "tid.applicant": ("Kommune eller søker", "Kommune eller søkjar"),
    "tid.authority": ("Hjemmel", "Heimel"),
    "tid.authority.placeholder": ("Velg hjemmel", "Vel heimel"),
    "tid.all": ("alle", "alle"),
    "tid.years": ("Periode (år)", "Periode (år)"),
    "tid.kostra": ("Ta med KOSTRA-forsøkene (rapportering, nesten like forskrifter)",
                   "Ta med KOSTRA-forsøka (rapportering, nesten like forskrifter)"),
    "tid.amendment": ("*(endring av et forsøk)*", "*(endring av eit forsøk)*"),
    "tid.authority_is": ("Hjemmel: ", "Heimel: "),
    "tid.approved_by": ("Godkjent av {who}", "Godkjend av {who}"),
    "tid.areas": ("Område: ", "Område: "),
    "tid.set_aside": ("Satte til side ({n})", "Sette til side ({n})"),
    "tid.set_aside.none": ("Satte ikke til side noen bestemmelse med id",
                           "Sette ikkje til side nokon føresegn med id"),
    "tid.no_id": ("*uten id*", "*utan id*"),
    "tid.uncertain": ("*usikker kobling*", "*usikker kopling*"),
    "tid.today": ("I dag: ", "I dag: "),
    "tid.none_named": ("Forskriften nevner ingen bestemmelse den setter til side.",
                       "Forskrifta nemner inga føresegn ho set til side."),
    "tid.none_with_id": ("Ingen tilsidesatte bestemmelser med id: ", "Ingen tilsidesette føresegner med id: "),
    "tid.amends": ("Endrer: ", "Endrar: "),
    "tid.amended_by": ("Endret av: ", "Endra av: "),
    # -- Kunnskapsbase
    "kbp.data": ("**Data:** ", "**Data:** "),
    "kbp.source": ("Kilde", "Kjelde"),
    "kbp.value": ("Verdi", "Verdi"),
    "kbp.imported": ("Importert fra Lovdata", "Importert frå Lovdata"),
    "kbp.builtin": ("Innebygd (uten lovtekst)", "Innebygd (utan lovtekst)"),
    "kbp.docs": ("Lover og forskrifter", "Lover og forskrifter"),
    "kbp.rules": ("Regelversjon (innholdet i rules/)", "Regelversjon (innhaldet i rules/)"),
    "kbp.unknown": ("ukjent", "ukjent"),
    "kbp.count.dokumenter": ("Dokumenter i importen", "Dokument i importen"),
    "kbp.count.versjoner_satt_til_side": ("Eldre versjoner", "Eldre versjonar"),
    "kbp.count.noder": ("Deler (kapitler, §§, ledd …)", "Delar (kapittel, §§, ledd …)"),
    "kbp.count.henvisninger": ("Henvisninger", "Tilvisingar"),
    "kbp.alt": ("Hva kunnskapsbasen inneholder", "Kva kunnskapsbasen inneheld"),
    "kbp.archives": ("Arkiver fra Lovdata", "Arkiv frå Lovdata"),
    "kbp.archives.alt": ("Arkivene kunnskapsbasen er importert fra", "Arkiva kunnskapsbasen er importert frå"),
    "col.Arkiv": ("Arkiv", "Arkiv"),
    "col.Dokumenter": ("Dokumenter", "Dokument"),
    "col.Importert": ("Importert", "Importert"),
    "col.Endret hos Lovdata": ("Endret hos Lovdata", "Endra hos Lovdata"),
    "kbp.builtin_info": ("Appen svarer fra den innebygde kunnskapsbasen: lovenes struktur, "
                         "overskrifter og våre merknader, men ikke lovteksten og ikke biblioteket "
                         "av tidligere forsøk. ",
                         "Appen svarar frå den innebygde kunnskapsbasen: strukturen i lovene, "
                         "overskrifter og merknadene våre, men ikkje lovteksten og ikkje biblioteket "
                         "av tidlegare forsøk. "),
    "kbp.use_button": ("Bruk knappen under for å hente Lovdatas data.",
                       "Bruk knappen nedanfor for å hente data frå Lovdata."),
    "kbp.ask_admin": ("Be administratoren importere Lovdata-data for full lovtekst.",
                      "Be administratoren importere Lovdata-data for full lovtekst."),
    "kbp.admin": ("Hent nye data (administrator)", "Hent nye data (administrator)"),
    "kbp.admin.help": ("Laster ned Lovdatas offentlige arkiver og importerer dem til {path}. Uendrede "
                       "arkiver hoppes over. Appen kan brukes mens importen går.",
                       "Lastar ned dei offentlege arkiva til Lovdata og importerer dei til {path}. "
                       "Uendra arkiv blir hoppa over. Appen kan brukast medan importen går."),
    "kbp.start_import": ("Last ned og importer Lovdata-data", "Last ned og importer Lovdata-data"),
    "kbp.already": ("En import pågår allerede.", "Ein import går allereie."),
    "kbp.running": ("Importen pågår ({s} s) …", "Importen går ({s} s) …"),
    "kbp.starting": ("Starter …", "Startar …"),
    "kbp.done": ("Importen er ferdig.", "Importen er ferdig."),
    "kbp.failed": ("Importen stoppet (kode {code}); den gamle kunnskapsbasen er urørt.",
                   "Importen stoppa (kode {code}); den gamle kunnskapsbasen er urørd."),
    "kbp.no_output": ("(ingen utskrift)", "(inga utskrift)"),
    "kbp.reload": ("Bruk de nye dataene", "Bruk dei nye dataa"),
    "kbp.reload.help": ("Laster kunnskapsbasen på nytt for alle brukere av appen.",
                        "Lastar kunnskapsbasen på nytt for alle brukarane av appen."),
}

# Streamlit's own English (exact texts) in our words: (bokmål, nynorsk).
STREAMLIT: dict[str, tuple[str, str]] = {
    "Skip to main content": ("Hopp til hovedinnholdet", "Hopp til hovudinnhaldet"),
    "Link to heading": ("Lenke til overskriften", "Lenkje til overskrifta"),
    "Collapse sidebar": ("Skjul sidepanelet", "Skjul sidepanelet"),
    "Expand sidebar": ("Vis sidepanelet", "Vis sidepanelet"),
    "Sidebar": ("Sidepanel", "Sidepanel"),
    "Decrement": ("Reduser", "Reduser"),
    "Increment": ("Øk", "Auk"),
    "Open": ("Åpne", "Opne"),
    "Close": ("Lukk", "Lukk"),
    "Clear all": ("Fjern alle", "Fjern alle"),
    "Clear value": ("Tøm feltet", "Tøm feltet"),
    "Selected values": ("Valgte verdier", "Valde verdiar"),
    "No results": ("Ingen treff", "Ingen treff"),
    "file upload": ("filopplasting", "filopplasting"),
    "Upload": ("Velg fil", "Vel fil"),
    "Add files": ("Legg til filer", "Legg til filer"),
    "Drag and drop files here": ("Slipp filene her", "Slepp filene her"),
    "Drag and drop a file here": ("Slipp filen her", "Slepp fila her"),
    "Fullscreen": ("Fullskjerm", "Fullskjerm"),
    "Close fullscreen": ("Lukk fullskjerm", "Lukk fullskjerm"),
    "Exit fullscreen": ("Lukk fullskjerm", "Lukk fullskjerm"),
    "Running...": ("Arbeider …", "Arbeider …"),
    "Stop": ("Stopp", "Stopp"),
    "Press Enter to apply": ("Trykk Enter for å bruke", "Trykk Enter for å bruke"),
    "Press Enter to submit form": ("Trykk Enter for å sende skjemaet", "Trykk Enter for å sende skjemaet"),
    "Press ⌘+Enter to apply": ("Trykk ⌘+Enter for å bruke", "Trykk ⌘+Enter for å bruke"),
    "Press Ctrl+Enter to apply": ("Trykk Ctrl+Enter for å bruke", "Trykk Ctrl+Enter for å bruke"),
    "Copy to clipboard": ("Kopier", "Kopier"),
    # A file chip: its title when an upload failed and can be tried again.
    "Error:": ("Feil:", "Feil:"),  # before a refused file's message, for screen readers
    "Click to retry upload": ("Klikk for å prøve opplastingen igjen", "Klikk for å prøve opplastinga på nytt"),
    # Defaults our widgets never show (each sets its own placeholder); here in case one does not.
    "Choose an option": ("Velg", "Vel"),
    "Choose options": ("Velg", "Vel"),
}
# Streamlit's English with a part of ours in it: (JavaScript regular expression, bokmål, nynorsk).
STREAMLIT_PATTERNS: list[tuple[str, str, str]] = [
    # The uploader's size limit (React writes « • CSV, JSON» as a text node of its own).
    (r"^(\d+(?:\.\d+)?)\s?(KB|MB|GB) per file$", "Høyst $1 $2 per fil", "Høgst $1 $2 per fil"),
    (r"^Remove (.+)$", "Fjern $1", "Fjern $1"),
    # A file chip while its upload runs (the button's aria-label), and its error when the
    # browser refuses a file (the type left out of `type=`, or over the size limit).
    (r"^Cancel upload of (.+)$", "Avbryt opplastingen av $1", "Avbryt opplastinga av $1"),
    (r"^(?:.+) files are not allowed\.$", "Denne filtypen kan ikke lastes opp her.",
     "Denne filtypen kan ikkje lastast opp her."),
    (r"^File must be (.+) or smaller\.$", "Filen må være $1 eller mindre.", "Fila må vere $1 eller mindre."),
    (r"^Help for (.+)$", "Hjelp til $1", "Hjelp til $1"),
]


def lang() -> str:
    """The chosen målform: "nb" or "nn" (bokmål outside a Streamlit run)."""
    try:
        value = st.session_state.get(LANG_KEY, "nb")
    except Exception:  # noqa: BLE001 - no session (a helper called outside the app)
        return "nb"
    return value if value in LANGS else "nb"


def t(key: str, **values: object) -> str:
    """The message `key` in the chosen målform, with {values} filled in."""
    text = MESSAGES[key][LANGS.index(lang())]
    return text.format(**values) if values else text


def page_name(page: str) -> str:
    return t(f"page.{page}")


_SCRIPT = """<script>
(() => {
  document.documentElement.lang = %(lang)s;
  const W = window.__regelsjekkWords || (window.__regelsjekkWords = {seen: new WeakMap()});
  W.exact = %(exact)s;
  W.patterns = %(patterns)s.map(([re, to]) => [new RegExp(re), to]);
  const tr = s => {
    const key = s.trim();
    if (Object.prototype.hasOwnProperty.call(W.exact, key)) return s.replace(key, W.exact[key]);
    for (const [re, to] of W.patterns) if (re.test(key)) return s.replace(key, key.replace(re, to));
    return s;
  };
  // Each text node and attribute remembers Streamlit's original, so a change of målform
  // translates the original again; a new text from React replaces the original.
  const text = n => {
    const prev = W.seen.get(n);
    const src = prev && n.data === prev.out ? prev.src : n.data;
    const out = tr(src);
    if (out !== src || prev) { W.seen.set(n, {src, out}); if (n.data !== out) n.data = out; }
  };
  const ATTRS = ['aria-label', 'title', 'placeholder'];
  const attr = (e, a) => {
    const v = e.getAttribute(a);
    if (v === null) return;
    const keep = 'data-rs-' + a;
    const src = e.getAttribute(keep + '-out') === v ? e.getAttribute(keep) : v;
    const out = tr(src);
    if (out !== src || e.hasAttribute(keep)) {
      e.setAttribute(keep, src); e.setAttribute(keep + '-out', out);
      if (v !== out) e.setAttribute(a, out);
    }
  };
  const SKIP = 'script, style, textarea, code, pre, [data-testid=stIconMaterial]';
  const walk = root => {
    if (root.nodeType === 3) { if (!root.parentElement?.closest(SKIP)) text(root); return; }
    if (root.nodeType !== 1) return;
    for (const a of ATTRS) attr(root, a);
    root.querySelectorAll('[aria-label], [title], [placeholder]').forEach(e => ATTRS.forEach(a => attr(e, a)));
    const it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = it.nextNode(); n; n = it.nextNode()) if (!n.parentElement?.closest(SKIP)) text(n);
  };
  if (!W.observer) {
    W.observer = new MutationObserver(records => {
      for (const r of records) {
        if (r.type === 'characterData') walk(r.target);
        else if (r.type === 'attributes') attr(r.target, r.attributeName);
        else r.addedNodes.forEach(walk);
      }
    });
    W.observer.observe(document.body, {subtree: true, childList: true, characterData: true,
                                       attributes: true, attributeFilter: ATTRS});
  }
  walk(document.body);
})();
</script>"""


def page_script(language: str) -> str:
    """The constant script for one målform (only our tables go into it, as JSON)."""
    i = LANGS.index(language)
    return _SCRIPT % {
        "lang": json.dumps(language),
        "exact": json.dumps({en: words[i] for en, words in STREAMLIT.items()}, ensure_ascii=False),
        "patterns": json.dumps([[re, words[i]] for re, *words in STREAMLIT_PATTERNS], ensure_ascii=False),
    }


def set_page_language() -> None:
    """<html lang> and Streamlit's own words in the chosen målform (see the module's note)."""
    st.html(page_script(lang()), unsafe_allow_javascript=True)


def choose_language() -> None:
    """The sidebar's «Språk / Målform»."""
    st.radio(t("app.language"), LANGS, key=LANG_KEY, horizontal=True,
             format_func=LANG_NAMES.__getitem__)
