"""Counted nouns in Norwegian: «1 bestemmelse», «2 bestemmelser»; «unntaket», «begge unntakene»,
«alle 3 unntakene». One place for what was written «bestemmelse(r)» and «alle 2 unntakene»."""

from __future__ import annotations


def count(n: int, singular: str, plural: str) -> str:
    """The number and the noun in the right form: count(1, "bestemmelse", "bestemmelser")."""
    return f"{n} {singular if n == 1 else plural}"


def every(n: int, singular_definite: str, plural_definite: str) -> str:
    """All of n things, as Norwegian says it: «unntaket» (1), «begge unntakene» (2),
    «alle 3 unntakene» (3 or more)."""
    if n == 1:
        return singular_definite
    if n == 2:
        return f"begge {plural_definite}"
    return f"alle {n} {plural_definite}"
