"""Cutting texts longer than spaCy's ``max_length`` at paragraph, line or space breaks."""

from __future__ import annotations

__all__ = ["split_for_max_length"]


_PARAGRAPH_SEPARATORS = ("\n\n", "\n\r\n")
_LINE_SEPARATORS = ("\n",)
_SPACE_SEPARATORS = (" ", "\t", "\r", "\f", "\v", "\xa0", "\u3000")


def _last_break(text: str, start: int, stop: int, separators: tuple[str, ...]) -> int:
    """End offset just after the last separator inside ``text[start:stop]``, or -1."""
    best = -1
    for sep in separators:
        index = text.rfind(sep, start, stop)
        if index != -1:
            best = max(best, index + len(sep))
    return best


def split_for_max_length(text: str, max_length: int) -> list[tuple[int, str]]:
    """Split *text* into ``(start_offset, chunk)`` pieces of at most *max_length*.

    spaCy (and memory) limit how much text one ``nlp()`` call may take, but the
    linker's offsets must refer to the whole document, so each chunk carries
    its start offset and the chunks concatenate back to *text* exactly.

    Each chunk is cut as late as possible at the best available boundary inside
    the window: after a blank line, else after a newline, else after
    whitespace, else a hard cut at *max_length*. Separators stay at the end of
    the chunk they close. Every search is an ``rfind`` bounded by the window,
    and cutting as late as possible means two consecutive chunks always span
    at least about *max_length* characters, so the total work is linear in
    ``len(text)``.

    An empty text gives ``[]``; a text of at most *max_length* characters gives
    one chunk. Raises :class:`ValueError` if *max_length* < 1.
    """
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")
    if not text:
        return []
    chunks: list[tuple[int, str]] = []
    start = 0
    total = len(text)
    while total - start > max_length:
        stop = start + max_length
        end = -1
        for separators in (_PARAGRAPH_SEPARATORS, _LINE_SEPARATORS, _SPACE_SEPARATORS):
            end = _last_break(text, start, stop, separators)
            if end > start:
                break
        if end <= start:
            end = stop
        chunks.append((start, text[start:end]))
        start = end
    chunks.append((start, text[start:]))
    return chunks
