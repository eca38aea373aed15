"""Input side of the batch runner: find documents on disk and turn them into text.

The entity linker reports character offsets into the text it was given, so the
readers here keep decoded text *exactly* as it is in the file (no newline
normalisation, no whitespace clean-up for plain text). The only transformation
of plain text is removing a byte-order mark, which is not part of the content.

Archival collections are messy: scans saved as ``.txt``, legacy Korean
encodings (CP949/EUC-KR), Western legacy encodings, UTF-16 exports from Word,
HTML pages and the odd DOCX/PDF. The rules are therefore:

* binary content is refused *before* any decoding is attempted, because a
  lenient decoder will happily turn a JPEG into plausible-looking mojibake that
  then produces garbage entities instead of a clear error;
* every failure is a :class:`ReadError` (or :class:`SkippedFile` for formats we
  do not handle) whose message starts with the file path, so a batch run can
  log and continue without losing track of which file failed;
* DOCX and PDF support are optional extras, and a missing extra is reported as
  a per-file error that says how to install it, not as an ``ImportError``.

The package has one module per seam: :mod:`.inputs` (walking INPUTs),
:mod:`.decoding` (bytes to text), :mod:`.formats` (the suffix -> reader
registry and :func:`read_document`), :mod:`.chunks` (long texts) and
:mod:`.model` (documents, errors, display names).
"""

from romanize_entities.readers.chunks import split_for_max_length
from romanize_entities.readers.formats import (
    DOCX_EXTRA_MESSAGE,
    PDF_EXTRA_MESSAGE,
    READERS,
    SUPPORTED_SUFFIXES,
    Reader,
    read_document,
    register_reader,
    supported_suffixes,
)
from romanize_entities.readers.inputs import _relpath, iter_inputs
from romanize_entities.readers.model import Document, ReadError, SkippedFile, display_path

__all__ = [
    "DOCX_EXTRA_MESSAGE",
    "PDF_EXTRA_MESSAGE",
    "READERS",
    "SUPPORTED_SUFFIXES",
    "Document",
    "ReadError",
    "Reader",
    "SkippedFile",
    "_relpath",
    "display_path",
    "iter_inputs",
    "read_document",
    "register_reader",
    "split_for_max_length",
    "supported_suffixes",
]
