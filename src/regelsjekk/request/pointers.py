"""Where a JSON pointer is in the text of a JSON request (only computed when there is an error).

Its own module so that errors (which place carets) and jsonform (which reads requests) can both use
it without importing each other.
"""

from __future__ import annotations

import json
import re


def escape_key(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r'-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null')


def pointer_offsets(text: str) -> dict[str, int]:
    """Character offset by JSON pointer: an object member's key, an array element's value."""
    out: dict[str, int] = {}
    decoder = json.JSONDecoder()

    def value(pos: int, pointer: str) -> int:
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        out.setdefault(pointer, pos)
        ch = text[pos:pos + 1]
        if ch == "{":
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            if text[pos:pos + 1] == "}":
                return pos + 1
            while True:
                key_at = pos
                key, pos = json.decoder.scanstring(text, pos + 1)
                member = f"{pointer}/{escape_key(key)}"
                out[member] = key_at  # errors about a member point at its key
                pos = _WS.match(text, pos).end() + 1  # type: ignore[union-attr]  # ':'
                pos = value(pos, member)
                pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
                if text[pos:pos + 1] == ",":
                    pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                    continue
                return pos + 1
        if ch == "[":
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            if text[pos:pos + 1] == "]":
                return pos + 1
            i = 0
            while True:
                pos = value(pos, f"{pointer}/{i}")
                pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
                i += 1
                if text[pos:pos + 1] == ",":
                    pos += 1
                    continue
                return pos + 1
        if ch == '"':
            return json.decoder.scanstring(text, pos + 1)[1]
        m = _SCALAR.match(text, pos)
        if m:
            return m.end()
        return decoder.raw_decode(text, pos)[1]

    try:
        value(0, "")
    except (ValueError, IndexError):
        pass
    return out
