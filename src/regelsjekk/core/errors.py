"""The root of every error regelsjekk raises on purpose.

`except RegelsjekkError` catches anything the product means to report (a broken rules file, a
store that cannot be opened, an import that failed, an id that is not an id) and nothing else, so
a front end can show our Norwegian message for those and let real bugs surface as bugs.
Errors in user input that are *reported*, not raised (a request file's DslError, an import's
skipped document), carry a code from an enum in their own package.
"""

from __future__ import annotations


class RegelsjekkError(Exception):
    """Base class for every exception regelsjekk raises deliberately."""
