"""What the app's pages share: the cached knowledge base, safe Markdown, links and verdict styling.

Nothing user-supplied or imported is ever rendered as raw HTML: Streamlit's Markdown is used
without unsafe_allow_html, and free text is escaped so it cannot turn into links or formatting.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from regelsjekk.core import ids
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.report.render import md_escape as _escape_markdown

# What Streamlit's Markdown reads as markup beyond what report.md_escape already escapes: maths
# ($), strikethrough (~), braces, parentheses, images (!) and list markers at a line start (+ - .).
_STREAMLIT_MARKUP = "{}()+-.!~$"


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


def provision_link(node_id: str, label: str | None = None) -> str:
    """A Markdown link to lovdata.no for a provision id (ids are ours, so safe to link)."""
    try:
        url = ids.lovdata_url(node_id)
    except ids.InvalidId:
        return md_escape(label or node_id)
    return f"[{md_escape(label or node_id)}]({url})"


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
    docs = sum(1 for _ in kb.documents())
    if kb.has_import:
        return f"Kunnskapsbase: importert fra Lovdata ({docs} dokumenter) + regler."
    return (f"Kunnskapsbase: innebygd ({docs} lover og forskrifter fra regler/, uten lovtekst). "
            "Importer Lovdata-data med `regelsjekk import` for full tekst.")
