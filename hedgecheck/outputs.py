"""Writing what a run makes (a report, predictions, a Parquet dataset) without losing data.

- An output that is one of the inputs (the same file, through symbolic links, hard links or
  another spelling of its path) is refused, and so is one inside a folder being read, unless
  the caller allows it: a report written there replaces a file being read, or is read as an
  article by the next run.
- A regular file is replaced atomically: the text goes to a temporary file beside it, which
  is synced and renamed over it only once whole, with the replaced file's mode and (where
  the user may set it) owner. A failed or interrupted write leaves the old file as it was
  and no temporary file behind.
- Anything else the caller may legitimately name (a character device such as /dev/null, a
  FIFO, the file or terminal already open as standard output or error, as /dev/stdout is)
  is written in place: renaming a file over it would replace the device node, the named
  pipe or the redirected file. A disk, a socket or a folder is refused.
- Every failure to write (no such folder, disk full, I/O error) is an OutputError that
  names the file, raised when it happens: a write that "succeeded" into a full device is
  reported, never taken for a finished report.
- A Parquet dataset is written into a temporary folder beside the target and renamed into
  place, so two runs' parts never mix; an existing dataset is replaced only when asked, and
  only when the folder holds nothing but a dataset's files.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

from hedgecheck.errors import OutputError, UsageError
from hedgecheck.reading import display_name

_T = TypeVar("_T")
STDIO = "-"
# What a Parquet dataset folder may hold (dask and pyarrow write these); a folder holding
# anything else is not replaced, so a mistyped --output-parquet cannot delete a project.
_DATASET_FILES = ("_metadata", "_common_metadata", "_SUCCESS")


def refuse_inputs(
    output: str,
    *,
    files: Iterable[str],
    folders: Iterable[str] = (),
    option: str = "--output",
    allow_in_folders: bool = False,
    allow_option: str = "--allow-output-in-input",
) -> None:
    """A UsageError when ``output`` is one of ``files`` (stdin included, as "-") or, unless
    ``allow_in_folders``, lies in one of ``folders`` (or is one of them)."""
    shown = display_name(output)
    written = _stat(output)
    if written is not None and not (stat.S_ISREG(written.st_mode) or stat.S_ISDIR(written.st_mode)):
        return  # a device, a pipe or standard output: written in place, never renamed over
    if written is not None:
        noun = "folder" if stat.S_ISDIR(written.st_mode) else "file"
        for name in files:
            read = _stat_input(name)
            if read is not None and os.path.samestat(written, read):
                raise UsageError(
                    f"{option} {shown} is also an input ({_shown_input(name)}): writing there "
                    f"would replace it; name another {noun}"
                )
    if allow_in_folders:
        return
    real = os.path.realpath(output)
    for folder in folders:
        root = os.path.realpath(folder)
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            raise UsageError(
                f"{option} {shown} is inside the folder {display_name(folder)}, which is "
                f"being read: write it elsewhere, or pass {allow_option}"
            )


@contextlib.contextmanager
def text_writer(output: str) -> Iterator[Callable[[str], object]]:
    """A ``write`` for the file named ``output`` (see the module's notes); the file is
    finished when the block ends without an exception and left untouched otherwise."""
    shown = display_name(output)
    info = _stat(output)
    stdio = _open_stdio(info)
    if stdio is not None:
        with _in_place(lambda: os.fdopen(os.dup(stdio), "w", encoding="utf-8"), shown) as write:
            yield write
    elif info is None or stat.S_ISREG(info.st_mode):
        with _replaced(os.path.realpath(output), info, shown) as write:
            yield write
    elif stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        with _in_place(lambda: open(output, "w", encoding="utf-8"), shown) as write:
            yield write
    else:
        raise UsageError(f"{shown} is {_kind(info.st_mode)}; a report is written to a file")


def write_dataset(folder: str, fill: Callable[[str], object], *, replace: bool = False) -> None:
    """Make a dataset in ``folder``: ``fill`` writes it into an empty temporary folder beside
    it, which then takes ``folder``'s place (see :func:`refuse_dataset_target`)."""
    import shutil
    import tempfile

    old = refuse_dataset_target(folder, replace=replace)
    shown, target = display_name(folder), os.path.realpath(folder)
    parent, name = os.path.split(target)
    new = _guarded(shown, lambda: tempfile.mkdtemp(dir=parent, prefix=f".{name}.new-"))
    try:
        _guarded(shown, lambda: fill(new))
        _guarded(shown, lambda: _swap(new, target, keep_mode=old is not None))
    finally:
        shutil.rmtree(new, ignore_errors=True)


def refuse_dataset_target(folder: str, *, replace: bool = False) -> list[str] | None:
    """A UsageError unless ``folder`` may receive a new dataset: it does not exist, is
    empty, or (with ``replace``) holds nothing but a Parquet dataset's files. Its entries
    (None when it does not exist)."""
    shown = display_name(folder)
    target = os.path.realpath(folder)
    old = _entries(target, shown)
    if old and not replace:
        raise UsageError(
            f"{shown} is not empty: pass --replace-parquet to replace the dataset in it, or "
            "name a new folder"
        )
    stray = next((name for name in old or () if not _dataset_file(target, name)), None)
    if stray is not None:
        raise UsageError(
            f"{shown} holds {display_name(stray)}, which is not part of a Parquet dataset; "
            "it is not replaced: name a new folder"
        )
    return old


@contextlib.contextmanager
def _replaced(
    target: str, info: os.stat_result | None, shown: str
) -> Iterator[Callable[[str], object]]:
    import tempfile  # here: a report to standard output needs no temporary file

    folder, name = os.path.split(target)
    descriptor, temporary = _guarded(
        shown, lambda: tempfile.mkstemp(dir=folder or ".", prefix=f".{name}.")
    )
    handle = os.fdopen(descriptor, "w", encoding="utf-8")
    try:
        yield _checked(handle.write, shown)
        _guarded(shown, lambda: _sync(handle))
        handle.close()
        _guarded(shown, lambda: _take_place(temporary, target, info))
    finally:
        with contextlib.suppress(OSError):  # already closed, or a flush that failed above
            handle.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


@contextlib.contextmanager
def _in_place(opener: Callable[[], TextIO], shown: str) -> Iterator[Callable[[str], object]]:
    handle = _guarded(shown, opener)
    try:
        yield _checked(handle.write, shown)
        _guarded(shown, handle.flush)
    finally:
        with contextlib.suppress(OSError):  # a failed flush was reported above
            handle.close()


def _checked(write: Callable[[str], object], shown: str) -> Callable[[str], object]:
    """``write`` with its OSError (disk full, I/O error, closed pipe) an OutputError."""
    return lambda chunk: _guarded(shown, lambda: write(chunk))


def _guarded(shown: str, action: Callable[[], _T]) -> _T:
    try:
        return action()
    except OSError as exc:
        raise OutputError(f"cannot write: {_reason(exc)}", path=shown) from exc


def _reason(exc: OSError) -> str:
    folder = os.path.dirname(os.fsdecode(exc.filename)) if exc.filename else ""
    if isinstance(exc, FileNotFoundError) and folder and not os.path.isdir(folder):
        return f"no such folder {display_name(folder)}"
    if isinstance(exc, NotADirectoryError):
        return "a part of the path is not a folder"
    return exc.strerror or str(exc)


def _sync(handle: TextIO) -> None:
    """Flush and sync: a full disk or an I/O error often shows only here."""
    handle.flush()
    os.fsync(handle.fileno())


def _take_place(temporary: str, target: str, info: os.stat_result | None) -> None:
    """Give the temporary file the mode (and owner) of the file it replaces, then rename it
    over that file; a new file gets the mode the umask allows."""
    if info is None:
        os.chmod(temporary, 0o666 & ~_umask())
    else:
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(PermissionError):  # only root may give a file away
                os.chown(temporary, info.st_uid, info.st_gid)
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
    os.replace(temporary, target)


def _swap(new: str, target: str, *, keep_mode: bool) -> None:
    """Rename ``new`` to ``target``; an old ``target`` (its mode kept) is moved aside first
    and deleted only once the new one is in place (and put back if that fails)."""
    if not keep_mode:
        os.chmod(new, 0o777 & ~_umask())
        os.replace(new, target)
        return
    import shutil
    import tempfile

    os.chmod(new, stat.S_IMODE(os.stat(target).st_mode))
    parent, name = os.path.split(target)
    aside = tempfile.mkdtemp(dir=parent, prefix=f".{name}.old-")
    os.replace(target, aside)  # onto the empty folder mkdtemp made
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _entries(folder: str, shown: str) -> list[str] | None:
    """The names in ``folder``, or None when there is no such folder."""
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise UsageError(f"{shown} is not a folder") from None
    except OSError as exc:
        raise OutputError(f"cannot read the folder: {_reason(exc)}", path=shown) from exc


def _dataset_file(folder: str, name: str) -> bool:
    if not (name.endswith(".parquet") or name in _DATASET_FILES):
        return False
    return stat.S_ISREG(os.lstat(os.path.join(folder, name)).st_mode)


def _open_stdio(info: os.stat_result | None) -> int | None:
    """The descriptor (1 or 2) already open on the file ``info`` describes, if any."""
    if info is None:
        return None
    for stream in (sys.stdout, sys.stderr):
        try:
            descriptor = stream.fileno()
            if os.path.samestat(info, os.fstat(descriptor)):
                return descriptor
        except (AttributeError, ValueError, OSError):  # replaced, closed or not a real file
            continue
    return None


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL byte in the path
        return None


def _stat_input(name: str) -> os.stat_result | None:
    if name != STDIO:
        return _stat(name)
    try:
        return os.fstat(sys.stdin.fileno())
    except (AttributeError, ValueError, OSError):
        return None


def _shown_input(name: str) -> str:
    return "standard input" if name == STDIO else display_name(name)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISBLK(mode):
        return "a block device (a disk)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
