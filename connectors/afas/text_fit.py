"""Fitting text into AFAS's fixed-length fields without losing it."""

from __future__ import annotations

# Left dangling at the end of a cut ("Jansen &" -> "Jansen"): they only join the words that were cut off.
_DANGLING = " \t,;:&/+-"


def fit_text(value: str, max_len: int) -> tuple[str, str | None]:
    """`value` cut to at most `max_len` characters at a word boundary, and the full text when it was cut.

    ("Boetiek De Vries Amsterdam", 20) -> ("Boetiek De Vries", "Boetiek De Vries Amsterdam"); a value that
    fits comes back unchanged with None. The full text is for a memo field (e.g. the remark `Re`), so
    nothing the customer typed is lost. A single word longer than half the limit is cut inside the word
    rather than dropped (a name of one long word keeps its first `max_len` characters).
    """
    if max_len < 1:
        raise ValueError(f"max_len must be at least 1, got {max_len}")
    if len(value) <= max_len:
        return value, None
    window = value[: max_len + 1]  # the character after the limit tells whether the cut falls between words
    boundary = max((i for i, ch in enumerate(window) if ch.isspace()), default=-1)
    cut = value[:boundary].rstrip(_DANGLING) if boundary > 0 else ""
    if len(cut) < max_len // 2:
        cut = value[:max_len].rstrip()
    return cut, value
