"""Deprecated operations warn once per process: the first call of each raises a `DeprecationWarning`
at the caller's line (Python shows it there, or not, as the warning filters say), later calls are
silent. Type checkers see the deprecation in the method's `@deprecated(...)` decorator."""

from __future__ import annotations

import os
import threading
import warnings

_warned: set[str] = set()
_warned_lock = threading.Lock()
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_deprecated(message: str) -> None:
    """Warn with `message` (one per operation), unless it was given before in this process."""
    with _warned_lock:
        if message in _warned:
            return
        _warned.add(message)
    warnings.warn(message, DeprecationWarning, stacklevel=_caller_level())


def _caller_level() -> int:
    """The stack level of the first frame outside this package: the user's call, however many of
    the package's own frames (method, raw-response wrapper, client) lie in between."""
    import inspect

    here = inspect.currentframe()
    frame = here.f_back.f_back if here is not None and here.f_back is not None else None
    level = 2  # the frame that called warn_deprecated
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    return level
