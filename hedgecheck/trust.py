"""Files that are unpickled (the rule caches, the shipped compiled patterns) are opened only
when no one but their owner could have written them. This module imports only the standard
library's os, errno and stat: the compiled patterns are read with it while the package is
still being imported."""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

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
