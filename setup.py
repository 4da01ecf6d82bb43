"""Build step: a wheel carries the default rule packs compiled, so that the first run after
``pip install`` does not spend its first seconds building them (hedgecheck.rulecache
explains when the shipped cache is used), the patterns its modules compile on import
(hedgecheck.patterns) and the methods dataclass() writes for its classes
(hedgecheck.classcode). The metadata is in pyproject.toml."""

from __future__ import annotations

import os
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

# Run in a child process on the package just copied into the build folder, so that it is
# that copy (and its packs) that is compiled, and nothing of it stays in this process.
# The class code is recorded first: every class the package makes is made after it.
_COMPILE = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from hedgecheck.classcode import build_shipped_code, record; record(); "
    "from hedgecheck.rulecache import build_shipped_cache; print(build_shipped_cache()); "
    "from hedgecheck.patterns import build_shipped_patterns; print(build_shipped_patterns()); "
    "print(build_shipped_code())"
)


class BuildPyWithRuleCache(build_py):
    """build_py, then the default packs compiled into hedgecheck/packs/rules.pickle, the
    modules' own patterns into hedgecheck/compiled.pickle and their classes' methods into
    hedgecheck/classcode.marshal."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the source tree's packs: no shipped cache
        env = {k: v for k, v in os.environ.items() if not k.startswith("HEDGECHECK_")}
        self.announce(
            "compiling the default rule packs, the modules' patterns and classes", level=2
        )
        subprocess.run(
            [sys.executable, "-c", _COMPILE, os.path.abspath(self.build_lib)],
            cwd=self.build_lib,
            env=env,
            check=True,
        )


setup(cmdclass={"build_py": BuildPyWithRuleCache})
