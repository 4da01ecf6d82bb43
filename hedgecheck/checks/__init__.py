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
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_") and _module.name != "registry":
        importlib.import_module(f"{__name__}.{_module.name}")

del _module
