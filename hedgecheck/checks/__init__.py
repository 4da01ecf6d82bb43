"""The article-level editorial checks, one module each.

Each public module of this package holds one check, registered by name with ``@check``
(``hedgecheck.checks.registry``), with its own helpers and a docstring that says what it
finds, why it matters, an example and what to write instead. ``_claims`` holds what more
than one check asks of a claim, ``_topic`` the words a claim is about. A pack's
``[[checks]]`` entry names a check and gives it its id, severity and words.

Importing this package imports every module in it, and so registers the built-in checks:
adding one is a module here and its ``[[checks]]`` block (docs/adding-a-check.md).
"""

import importlib
import inspect
import os

# The modules of the folder, in name order, found as pkgutil.iter_modules finds them but
# without pkgutil (which imports importlib.util: some 1.5 ms of a one-file scan; inspect
# is click's already).
for _name in sorted({inspect.getmodulename(name) or "_" for name in os.listdir(__path__[0])}):
    if not _name.startswith("_") and _name != "registry":
        importlib.import_module(f"{__name__}.{_name}")

del _name
