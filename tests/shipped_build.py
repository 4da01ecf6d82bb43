"""What the tests of the files a wheel ships compiled (test_shipped_patterns.py,
test_shipped_classcode.py) share: the build step run as setup.py runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def built_by(code: str, folder: Path) -> Path:
    """``folder`` after ``code`` ran in a fresh interpreter (so that every module is
    imported by the build itself) with ``folder`` as its first argument, and the shipped
    files on."""
    env = {k: v for k, v in os.environ.items() if k != "HEDGECHECK_NO_CACHE"}
    subprocess.run([sys.executable, "-c", code, str(folder)], check=True, env=env)
    return folder
