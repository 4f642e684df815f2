"""What a Streamlit page sends the browser, read from an AppTest run (for the language scans)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _strings(proto, out: list[str]) -> None:  # noqa: ANN001 - a protobuf message
    """Every string in a protobuf message, recursively (labels, placeholders, help, options …)."""
    for desc, value in proto.ListFields():
        items = value if "Repeated" in type(value).__name__ else [value]
        if desc.type == desc.TYPE_STRING:
            out.extend(items)
        elif desc.type == desc.TYPE_MESSAGE:
            for item in items:
                _strings(item, out)


def page_strings(at: AppTest) -> list[str]:
    """Every string the page sends the browser (labels, help, placeholders, options, text …)."""
    out: list[str] = []

    def walk(node) -> None:  # noqa: ANN001 - an AppTest element
        proto = getattr(node, "proto", None)
        if proto is not None:
            _strings(proto, out)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)  # noqa: SLF001 - AppTest has no public walk of its element tree
    return out
