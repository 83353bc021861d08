"""A terminal progress bar that appears only when work takes more than a moment."""

from __future__ import annotations

import sys


class TerminalProgress:
    def __init__(self, delay_seconds: float = 0.5) -> None:
        self._delay = delay_seconds
        self._bar = None

    def start(self, total: int, description: str) -> None:
        from tqdm import tqdm

        self.finish()
        self._bar = tqdm(
            total=total,
            desc=description,
            unit="chunk",
            delay=self._delay,
            file=sys.stderr,
            leave=False,
        )

    def advance(self, amount: int) -> None:
        if self._bar is not None:
            self._bar.update(amount)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
