"""What the app's pages share: the cached knowledge base, safe Markdown, links and verdict styling.

Nothing user-supplied or imported is ever rendered as raw HTML: Streamlit's Markdown is used
without unsafe_allow_html, and free text is escaped so it cannot turn into links or formatting.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import streamlit as st

from pydantic import ValidationError

from regelsjekk.core import ids
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.refs import format_citation
from regelsjekk.report.render import md_escape as _escape_markdown

# What Streamlit's Markdown reads as markup beyond what report.md_escape already escapes: maths
# ($), strikethrough (~), braces, parentheses, images (!) and list markers at a line start (+ - .).
_STREAMLIT_MARKUP = "{}()+-.!~$"


# The one piece of HTML with script in the app: a constant (never built from data) that tells
# browsers and screen readers the page is Norwegian bokmål. Streamlit writes lang="en" and has
# no setting for it.
_LANG_SCRIPT = "<script>document.documentElement.lang = 'nb';</script>"


def set_page_language() -> None:
    st.html(_LANG_SCRIPT, unsafe_allow_javascript=True)


def md_escape(text: str | None) -> str:
    """Escape free text for st.markdown: no links, images, HTML, maths or formatting sneak through."""
    return _escape_markdown(text, extra=_STREAMLIT_MARKUP)


def md_escape_lines(text: str | None) -> str:
    """Multi-line free text (a parse error with its context) escaped line by line, lines kept."""
    return "  \n".join(md_escape(line) for line in (text or "").splitlines())


@st.cache_resource(show_spinner="Laster kunnskapsbasen …")
def load_kb(store: str | None, rules: str | None) -> KnowledgeBase:
    """One knowledge base per server process: the import if there is one, else rules/ alone."""
    return KnowledgeBase.open(Path(store) if store else None, Path(rules) if rules else None)


def get_kb() -> KnowledgeBase:
    return load_kb(os.environ.get("REGELSJEKK_DB"), os.environ.get("REGELSJEKK_RULES"))


def citation(node_id: str) -> str:
    """A provision id as a lawyer writes it ("kommuneloven § 19-1 annet ledd"), else the id."""
    try:
        return format_citation(node_id, get_kb())
    except Exception:  # noqa: BLE001 - an id outside the knowledge base is shown as it is
        return node_id


def provision_link(node_id: str, label: str | None = None) -> str:
    """A Markdown link to lovdata.no for a provision id (ids are ours, so safe to link).

    The text is the citation as a lawyer writes it; the id is the link's title (shown on hover).
    """
    text = label or citation(node_id)
    try:
        url = ids.lovdata_url(node_id)
    except ids.InvalidId:
        return md_escape(text)
    title = node_id.replace('"', "")
    return f'[{md_escape(text)}]({url} "{title}")'


# Streamlit's own words that must not reach users; tests scan every page for them.
ENGLISH_WIDGET_WORDS = ("Choose options", "Choose an option", "Choose a date", "Download",
                        "Browse files", "Drag and drop", "No results", "Press Enter")

# Field names of the request model in the words of the form (validation messages).
_FIELD_NAMES = {"tittel": "Tittel", "sokere": "Søker(e)", "navn": "Søkerens navn",
                "type": "Type søker", "formal": "Formål", "mal": "Mål", "periode": "Periode",
                "start": "Oppstart", "varighet_ar": "Varighet (år)",
                "forlengelse_ar": "Planlagt forlengelse (år)", "reform": "Reform",
                "enheter": "Antall forsøksenheter", "enheter_begrunnelse": "Hvorfor så mange enheter",
                "evaluering": "Evalueringsplan", "unntak": "Bestemmelser",
                "bestemmelser": "Bestemmelse", "virkning": "Virkning for enkeltpersoner"}


def validation_messages(exc: ValidationError) -> list[str]:
    """A pydantic ValidationError in Norwegian, one line per problem (never pydantic's English)."""
    out: list[str] = []
    for err in exc.errors():
        names = [_FIELD_NAMES.get(str(p)) for p in err.get("loc", ()) if not isinstance(p, int)]
        field = next((n for n in reversed(names) if n), "Et felt")
        kind = err.get("type", "")
        ctx = err.get("ctx") or {}
        if kind == "missing":
            text = f"{field} mangler."
        elif kind == "too_short" and field == "Søker(e)":
            text = "Fyll inn minst én søker (én per linje)."
        elif kind == "too_short":
            text = f"{field}: velg minst én."
        elif kind == "string_too_short":
            text = f"{field} kan ikke være tom."
        elif kind in ("greater_than", "greater_than_equal"):
            text = f"{field} må være {'over' if kind == 'greater_than' else 'minst'} {ctx.get(next(iter(ctx), ''), '')}."
        elif kind in ("less_than", "less_than_equal"):
            text = f"{field} må være {'under' if kind == 'less_than' else 'høyst'} {ctx.get(next(iter(ctx), ''), '')}."
        elif kind.startswith(("date", "datetime")):
            text = f"{field} må være en dato (f.eks. 2025-01-01)."
        else:
            text = f"{field} har en verdi som ikke kan brukes."
        if text not in out:
            out.append(text)
    return out


# Texts shared with the CLI tell a terminal user what to run; app users get whom to ask.
_COMMAND = re.compile(r"(?:[Kk]jør |med )?`regelsjekk import[^`]*`(?: på nytt)?")
_COMMAND_ASIDE = re.compile(r"\s*\(`?regelsjekk import[^`)]*`?\)")


def for_users(text: str) -> str:
    """A message from a lower layer with terminal commands replaced by "ask the administrator"."""
    out = _COMMAND_ASIDE.sub(" (be administratoren om det)", text)
    out = _COMMAND.sub("be administratoren importere Lovdata-data", out)
    return out.replace("Importer alle gjeldende lover og forskrifter be administratoren",
                       "Be administratoren").replace(". be ", ". Be ")


def html_table(rows: list[dict], *, alt: str, markdown: tuple[str, ...] = ()) -> None:
    """A real HTML table (st.table) that screen readers, Ctrl+F and copy reach, unlike the
    canvas of st.dataframe. st.table reads cells as Markdown, so every cell is escaped except
    the columns in `markdown`, which the caller has built from escaped parts and our links.
    Column names are ours (constants), never data."""
    safe = [{k: (str(v) if k in markdown else md_escape(str(v)))
             for k, v in row.items()} for row in rows]
    st.table(safe, hide_index=True, alt=alt)


VERDICT_STYLE = {
    "hjemmel": ("success", "✅"),
    "annen_hjemmel": ("info", "↪️"),
    "krever_ikke_forsok": ("info", "ℹ️"),
    "delvis": ("warning", "⚠️"),
    "ma_vurderes": ("warning", "⚖️"),
    "ikke_hjemmel": ("error", "⛔"),
}


def verdict_box(verdict: str, text: str) -> None:
    """Show a verdict in the colour users expect (green yes, yellow maybe, red no)."""
    kind, icon = VERDICT_STYLE.get(verdict, ("info", "ℹ️"))
    getattr(st, kind)(text, icon=icon)


def kb_caption(kb: KnowledgeBase) -> str:
    docs = kb.document_count()
    if kb.has_import:
        return f"Kunnskapsbase: importert fra Lovdata ({docs} dokumenter) + regler."
    return (f"Kunnskapsbase: innebygd ({docs} lover og forskrifter, uten lovtekst). "
            "Full lovtekst krever at administratoren importerer Lovdata-data.")


def error_block(message: str) -> None:
    """A parse error with its source line and caret: the first line as an alert, the rest as
    preformatted text so the caret stays under the right column (Markdown collapses spaces)."""
    first, _, rest = message.partition("\n")
    st.error(md_escape(first))
    if rest.strip():
        st.code(rest, language=None)
