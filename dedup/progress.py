"""A tiny progress interface so library stages report work without knowing the UI."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, ContextManager, Iterator, Protocol


class Task(Protocol):
    """Handle for one stage: call ``advance`` as units of work finish."""

    def advance(self, n: int = 1) -> None: ...


class _Silent:
    def advance(self, n: int = 1) -> None:
        return None


Progress = Callable[[str, int], ContextManager[Task]]
"""``progress(description, total)`` opens a stage; the CLI passes a rich bar."""


@contextmanager
def silent(description: str, total: int) -> Iterator[Task]:
    """The default: report nothing."""
    yield _Silent()
