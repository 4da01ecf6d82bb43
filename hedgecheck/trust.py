"""Files that are unpickled or unmarshalled (the rule caches, the shipped compiled patterns
and class code) are opened only when no one but their owner could have written them. This
module imports only the standard library's os, errno and stat: the compiled patterns and
classes are read with it while the package is still being imported."""

from __future__ import annotations

import errno
import os
import stat
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from pathlib import Path

# Permission bits that make a folder or file of a cache untrustworthy: write by group or
# others; for a key, any access by them.
SHARED_WRITE = stat.S_IWGRP | stat.S_IWOTH
SHARED_ANY = stat.S_IRWXG | stat.S_IRWXO
# The checks need owners, O_NOFOLLOW and paths relative to an open folder: where those are
# missing (Windows), there is no cache.
PRIVATE_FILES = (
    hasattr(os, "geteuid")
    and hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and {os.open, os.stat, os.unlink, os.rename, os.link} <= os.supports_dir_fd
    and os.listdir in os.supports_fd
)


class Untrusted(Exception):
    """A cache folder or file that someone other than this user could have written."""


def check_private(info: os.stat_result, shared: int, *, owner: int | None = None) -> None:
    """Raise ``Untrusted`` unless ``owner`` (by default the effective user) owns the folder
    or file ``info`` describes and none of the ``shared`` permission bits is set."""
    if owner is not None:
        if info.st_uid != owner:
            raise Untrusted(
                f"belongs to uid {info.st_uid}, not to the owner of hedgecheck's own modules "
                f"(uid {owner})"
            )
    elif info.st_uid != os.geteuid():
        raise Untrusted(f"belongs to uid {info.st_uid}, not to this user (uid {os.geteuid()})")
    if info.st_mode & shared:
        raise Untrusted(f"has mode {stat.S_IMODE(info.st_mode):04o}, open to group or others")


def open_regular(folder: int, name: str, shared: int, *, owner: int | None = None) -> BinaryIO:
    """``name`` in the open ``folder``, opened for reading: never through a symbolic link,
    and only a regular file of ``owner``'s (by default this user's) that none of the
    ``shared`` permission bits opens to others (else ``Untrusted``)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        descriptor = os.open(name, flags, dir_fd=folder)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # EMLINK: O_NOFOLLOW on FreeBSD
            raise Untrusted("is a symbolic link") from exc
        raise
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Untrusted("is not a regular file")
        check_private(info, shared, owner=owner)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def read_shipped(
    folder: str | os.PathLike[str], name: str, header: bytes, module: str
) -> memoryview | None:
    """What follows ``header`` in the file ``name`` that a wheel ships in the package
    ``folder``, or None when shipped files are off (HEDGECHECK_NO_CACHE=1), or the file is
    missing, not a regular file of the owner of the package's ``module`` writable by no one
    else, or made for another header (another Python or version of a dependency). A library
    never warns on import: whoever asks compiles instead."""
    if os.environ.get("HEDGECHECK_NO_CACHE") or not PRIVATE_FILES:
        return None
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            owner = os.stat(module).st_uid
            with open_regular(descriptor, name, SHARED_WRITE, owner=owner) as handle:
                data = handle.read()
        finally:
            os.close(descriptor)
    except (OSError, Untrusted):
        return None
    if not data.startswith(header):
        return None
    return memoryview(data)[len(header) :]


def write_shipped(target: Path, header: bytes, body: bytes) -> Path:
    """``header`` and ``body`` written to ``target`` (aside, then renamed into place),
    readable by all and writable only by its owner, as ``read_shipped`` wants it."""
    temporary = target.with_name(f".{target.name}-{os.getpid()}")
    temporary.write_bytes(header + body)
    temporary.chmod(0o644)
    temporary.replace(target)
    return target
