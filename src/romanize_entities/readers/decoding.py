"""Binary detection and decoding of plain-text bytes (BOMs, UTF-8/16/32, CP949, code pages).

Binary content is refused *before* any decoding is attempted, because a lenient
decoder will happily turn a JPEG into plausible-looking mojibake that then
produces garbage entities instead of a clear error.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from romanize_entities.readers.model import ReadError

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"PK\x03\x04", "ZIP"),
)

# Ordered so that the UTF-32 LE BOM (FF FE 00 00) wins over the UTF-16 LE BOM (FF FE).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 controls that never occur in real text. Tab, LF, VT, FF, CR, SUB (the DOS
# end-of-file marker) and ESC (ANSI colour codes in logs) are tolerated.
_SUSPECT_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20), 0x7F])
_SUSPECT_CONTROL_CHARS = re.compile("[" + re.escape(_SUSPECT_CONTROLS.decode("latin-1")) + "]")
_MAX_CONTROL_SHARE = 0.05

# charset-normalizer often finds several single-byte code pages equally
# plausible for short Western text (cp1250 vs cp1252 for "Zürich, Ångström").
# Our documents are English translations, so on an exact tie we prefer the
# code page an English-language archive most likely used.
_TIE_PREFERENCE = ("cp1252", "latin_1", "iso8859_15", "cp949", "euc_kr", "utf_16", "cp1250")


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _binary_reason(data: bytes) -> str | None:
    """Return why *data* looks binary, or None if it may be text.

    This runs on raw bytes before decoding: legacy-encoding detectors will
    decode almost anything, so the only safe place to refuse a scan or an
    archive is here.
    """
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            return f"binary file ({kind} data); not decoded as text"
    if _bom_encoding(data) in ("utf-16", "utf-32"):
        # NULs are normal in UTF-16/32; the decoded text is checked instead.
        return None
    if b"\x00" in data:
        return "binary file (NUL bytes); not decoded as text"
    # bytes.translate with a delete set runs in C, so this stays linear and fast.
    controls = len(data) - len(data.translate(None, _SUSPECT_CONTROLS))
    if data and controls / len(data) > _MAX_CONTROL_SHARE:
        return "binary file (control characters); not decoded as text"
    return None


def _control_share_of_text(text: str) -> float:
    if not text:
        return 0.0
    return len(_SUSPECT_CONTROL_CHARS.findall(text)) / len(text)


def _normalise_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _detect(data: bytes) -> tuple[str, str] | None:
    """Detect a legacy encoding with charset-normalizer; None if nothing fits."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    by_name = {str(m.encoding): m for m in tied}
    chosen = best
    for preferred in _TIE_PREFERENCE:
        if preferred in by_name:
            chosen = by_name[preferred]
            break
    encoding = str(chosen.encoding)
    try:
        # Decode ourselves (strictly) rather than trusting str(match), so the
        # recorded encoding reproduces the text exactly.
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_bytes(data: bytes, path: Path, hint: str | None = None) -> tuple[str, str]:
    """Decode *data* to ``(text, encoding)`` or raise :class:`ReadError`.

    Order of trust: a BOM (unambiguous), then strict UTF-8 when the data is not
    pure ASCII (valid multi-byte UTF-8 almost never happens by accident, and
    HTML labelled ``iso-8859-1`` is very often really UTF-8), then the *hint*
    (an HTML ``<meta charset>``), then plain UTF-8, then statistical detection.
    """
    bom = _bom_encoding(data)
    if bom is not None:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as exc:
            raise ReadError(
                path, f"invalid {bom} data after byte-order mark: {exc.reason}"
            ) from exc
        if bom in ("utf-16", "utf-32") and _control_share_of_text(text) > _MAX_CONTROL_SHARE:
            raise ReadError(path, "binary file (control characters); not decoded as text")
        return text, bom

    if not data.isascii():
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass

    codec = _normalise_codec(hint) if hint else None
    if codec is not None:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass

    if data.isascii():
        return data.decode("ascii"), "utf-8"

    detected = _detect(data)
    if detected is None:
        raise ReadError(
            path, "could not determine the text encoding (not UTF-8, no plausible legacy encoding)"
        )
    return detected


def _read_plain(data: bytes, path: Path) -> tuple[str, str]:
    if not data:
        return "", "utf-8"
    reason = _binary_reason(data)
    if reason is not None:
        raise ReadError(path, reason)
    return _decode_bytes(data, path)
