"""Finding documents on disk: the INPUT walk, and each document's name relative to its INPUT."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from romanize_entities.readers.model import display_path

__all__ = ["iter_inputs"]


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _resolved(path: Path) -> Path:
    """``path.resolve()``, or the absolute path when it cannot be resolved (a symlink loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python < 3.13 on a symlink loop
        return Path(os.path.abspath(path))


def iter_inputs(
    inputs: Sequence[str | Path], *, skip_dirs: Sequence[str | Path] = (),
) -> Iterator[tuple[Path, Path]]:
    """Yield ``(file, root)`` for every file under each INPUT.

    An INPUT is a file or a folder (searched recursively). Within a folder the
    files are sorted by their POSIX relative path, so output order and any
    resumable-run bookkeeping are identical across machines and file systems;
    INPUTs are processed in the order given. Hidden files and folders (names
    starting with ``.``) below an INPUT are skipped, since they are editor
    backups, ``.git`` and similar; an INPUT named explicitly is honoured even
    if hidden. The same file reached twice (overlapping INPUTs, symlinks) is
    yielded once so it is not linked and written twice.

    Symlinked *folders* are not descended into: that avoids cycles and
    surprising walks outside the collection. Symlinked files are yielded
    (dangling ones too, so the reader can report them instead of them silently
    vanishing), as are other non-regular entries, which the reader rejects.

    For a file INPUT the root is its parent folder, so its ``relpath`` is its
    name. A missing INPUT raises :class:`FileNotFoundError` naming it, before
    anything from that INPUT is yielded. Folders in *skip_dirs* (the run's own
    output folder when it lies inside an INPUT) are not descended into. A file
    symlink loop is yielded like any file, for the reader to report.
    """
    seen: set[Path] = set()
    skipped = {os.path.realpath(d) for d in skip_dirs}
    for raw in inputs:
        top = Path(raw)
        if not top.exists():
            raise FileNotFoundError(errno.ENOENT, "input not found", str(raw))
        if not top.is_dir():
            key = _resolved(top)
            if key not in seen:
                seen.add(key)
                yield top, top.parent
            continue

        found: list[tuple[str, Path]] = []
        for dirpath, dirnames, filenames in os.walk(top):
            # Pruning in place stops os.walk from descending into hidden folders.
            dirnames[:] = [d for d in dirnames if not _is_hidden(d)]
            if skipped:
                dirnames[:] = [d for d in dirnames
                               if os.path.realpath(os.path.join(dirpath, d)) not in skipped]
            base = Path(dirpath)
            for name in filenames:
                if _is_hidden(name):
                    continue
                file = base / name
                found.append((file.relative_to(top).as_posix(), file))
        found.sort(key=lambda item: item[0])
        for _, file in found:
            key = _resolved(file)
            if key in seen:
                continue
            seen.add(key)
            yield file, top


def _relpath(path: Path, root: Path) -> str:
    """The document's name in every output: its path under *root*, through :func:`display_path`."""
    abs_path = Path(os.path.abspath(path))
    abs_root = Path(os.path.abspath(root))
    if abs_path == abs_root:
        return display_path(abs_path.name)
    try:
        return display_path(abs_path.relative_to(abs_root).as_posix())
    except ValueError:
        return display_path(Path(os.path.relpath(abs_path, abs_root)).as_posix())
