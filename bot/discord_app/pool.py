"""A bounded worker pool for questions: the event loop only waits, and a flood gets "busy"."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from index.errors import TransferDeskError

T = TypeVar("T")

BUSY_MESSAGE = "I'm answering a lot of questions right now. Please try again in a minute."


class BusyError(TransferDeskError):
    def __init__(self) -> None:
        super().__init__(BUSY_MESSAGE)


class WorkerPool:
    """Runs blocking calls in `workers` threads; at most `queue` more may wait for a thread."""

    def __init__(self, workers: int, queue: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="transferdesk")
        self.capacity = workers + queue
        self.pending = 0

    async def run(self, function: Callable[..., T], *args: object, **kwargs: object) -> T:
        if self.pending >= self.capacity:
            raise BusyError()
        self.pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._executor, functools.partial(function, *args, **kwargs)
            )
        finally:
            self.pending -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
