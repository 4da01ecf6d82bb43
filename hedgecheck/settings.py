"""The allowed values and bounds of settings that both the configuration file and the
command line take. This module imports nothing but ``signal``: the command line's options are
declared from it without importing the analysis (``hedgecheck --help`` stays fast)."""

from __future__ import annotations

import signal

FAIL_ON = ("error", "warning", "info", "never")
FAIL_ON_LABEL = ("speculative", "preliminary")
# A rule pattern that runs past the match timeout: go on without it, or stop the run.
ON_RULE_TIMEOUT = ("skip", "stop")
# Ceiling of max-file-size and part-size: far above any article, low enough that a typo or
# "inf" is named instead of being taken as "no limit" (nothing is allocated to fit it).
MAX_MEGABYTES = 100_000
# The signals that stop a run, as Ctrl-C does. SIGHUP is missing on Windows, where the
# worker pool still works, without any of this.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
