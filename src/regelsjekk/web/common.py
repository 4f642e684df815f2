"""What the app's pages share: the cached knowledge base, safe Markdown, links and verdict styling.

Nothing user-supplied or imported is ever rendered as raw HTML: Streamlit's Markdown is used
without unsafe_allow_html, and free text is escaped so it cannot turn into links or formatting.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import streamlit as st
from pydantic import ValidationError

from regelsjekk.core import ids
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.refs import format_citation
from regelsjekk.report.render import md_escape as _escape_markdown
from regelsjekk.web.i18n import t

# What Streamlit's Markdown reads as markup beyond what report.md_escape already escapes: maths
# ($), strikethrough (~), braces, parentheses, images (!) and list markers at a line start (+ - .).
_STREAMLIT_MARKUP = "{}()+-.!~$"


def md_escape(text: str | None) -> str:
    """Escape free text for st.markdown: no links, images, HTML, maths or formatting sneak through."""
    return _escape_markdown(text, extra=_STREAMLIT_MARKUP)


def md_escape_lines(text: str | None) -> str:
    """Multi-line free text (a parse error with its context) escaped line by line, lines kept."""
    return "  \n".join(md_escape(line) for line in (text or "").splitlines())


@st.cache_resource(show_spinner=False)  # app.py shows its own spinner, in the målform
def load_kb(store: str | None, rules: str | None) -> KnowledgeBase:
    """One knowledge base per server process: the import if there is one, else rules/ alone.
    What the first suggestion and the first lookup need is loaded at once in the background
    (warm_up), while the first page renders, so the first click is as fast as the next ones."""
    kb = KnowledgeBase.open(Path(store) if store else None, Path(rules) if rules else None)
    threading.Thread(target=warm_up, args=(kb,), name="regelsjekk-warm-up", daemon=True).start()
    return kb


def warm_up(kb: KnowledgeBase) -> None:
    """Load the forslag index and the citation name index and run one suggestion (the tag and
    rulebook paths it touches); never raises (a failure here shows on first use instead)."""
    try:
        from regelsjekk.forslag.routes import suggest_routes
        from regelsjekk.forslag.suggest import suggest
        from regelsjekk.refs.index import title_index

        title_index(kb)
        found = suggest("kommunen vil samarbeide om barnehage og skole", kb, limit=8)
        suggest_routes("kommunen vil samarbeide om barnehage og skole", found, kb)
    except Exception:  # noqa: BLE001 - an optimisation only
        return


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


# Streamlit's own English that must not reach users, as whole words or phrases (case ignored);
# tests scan every page's text and its aria-labels, titles and placeholders for them.
ENGLISH_WIDGET_WORDS = ("Choose options", "Choose an option", "Choose a date", "Choose date", "Download",
                        "Browse files", "Drag and drop", "No results", "Press Enter", "Enter to apply",
                        "per file", "Upload", "file upload", "Add files", "Skip to main content",
                        "Link to heading", "Collapse sidebar", "Expand sidebar", "Sidebar",
                        "Increment", "Decrement", "Clear all", "Clear value", "Selected values",
                        "Remove", "Open", "Close", "Fullscreen", "Running", "Stop", "Deploy", "Rerun",
                        "Settings", "Print", "Help for", "Copy to clipboard", "Main menu", "Delete",
                        "Loading", "Select", "Submit", "Cancel", "retry", "not allowed",
                        "or smaller")
_ENGLISH = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH_WIDGET_WORDS) + r")\b",
                      re.IGNORECASE)


def english_words(text: str) -> set[str]:
    """Which of Streamlit's English words occur in `text` (whole words: «Stop», not «stoppes»)."""
    return {m.group(0) for m in _ENGLISH.finditer(text)}

# The request model's field names in the words of the form (validation messages), i18n ids.
_FIELD_NAMES = ("tittel", "sokere", "navn", "type", "formal", "mal", "periode", "start",
                "varighet_ar", "forlengelse_ar", "reform", "enheter", "enheter_begrunnelse",
                "evaluering", "unntak", "bestemmelser", "virkning")


def validation_messages(exc: ValidationError) -> list[str]:
    """A pydantic ValidationError in Norwegian, one line per problem (never pydantic's English)."""
    out: list[str] = []
    for err in exc.errors():
        names = [str(p) for p in err.get("loc", ()) if not isinstance(p, int) and str(p) in _FIELD_NAMES]
        name = names[-1] if names else None
        field = t(f"field.{name}") if name else t("val.field")
        kind = err.get("type", "")
        ctx = err.get("ctx") or {}
        limit = ctx.get(next(iter(ctx), ""), "")
        if kind == "missing":
            text = t("val.missing", field=field)
        elif kind == "too_short" and name == "sokere":
            text = t("val.no_applicant")
        elif kind == "too_short":
            text = t("val.too_short", field=field)
        elif kind == "string_too_short":
            text = t("val.empty", field=field)
        elif kind in ("greater_than", "greater_than_equal"):
            text = t("val.over" if kind == "greater_than" else "val.at_least", field=field, limit=limit)
        elif kind in ("less_than", "less_than_equal"):
            text = t("val.under" if kind == "less_than" else "val.at_most", field=field, limit=limit)
        elif kind.startswith(("date", "datetime")):
            text = t("val.date", field=field)
        else:
            text = t("val.other", field=field)
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
    return t("kb.imported" if kb.has_import else "kb.builtin", docs=docs)


def error_block(message: str) -> None:
    """A parse error with its source line and caret: the first line as an alert, the rest as
    preformatted text so the caret stays under the right column (Markdown collapses spaces)."""
    first, _, rest = message.partition("\n")
    st.error(md_escape(first))
    if rest.strip():
        st.code(rest, language=None)
