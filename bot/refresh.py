"""Scheduled refresh: re-read all sources at an interval, off the event loop, one at a time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from index.errors import StoreBusyError, TransferDeskError
from index.models import ReindexReport

log = logging.getLogger(__name__)

ReportHandler = Callable[[ReindexReport], Awaitable[None] | None]


class RefreshScheduler:
    """Calls `reindex` in a worker thread every `interval_seconds` (the first time at once)."""

    def __init__(
        self,
        reindex: Callable[[], ReindexReport],
        interval_seconds: float,
        on_report: ReportHandler | None = None,
    ) -> None:
        if interval_seconds <= 0:
            raise ValueError("interval_seconds must be positive")
        self._reindex = reindex
        self.interval_seconds = interval_seconds
        self._on_report = on_report
        self._task: asyncio.Task | None = None
        self.runs = 0
        self.skipped = 0

    def start(self) -> asyncio.Task:
        self._task = asyncio.create_task(self.run_forever(), name="transferdesk-refresh")
        return self._task

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_forever(self) -> None:
        while True:
            await self.refresh_now()
            await asyncio.sleep(self.interval_seconds)

    async def refresh_now(self) -> ReindexReport | None:
        """One refresh; None when it was skipped or failed (the reason is logged)."""
        try:
            report = await asyncio.to_thread(self._reindex)
        except StoreBusyError as busy:
            self.skipped += 1
            log.info("scheduled refresh skipped: %s", busy)
            return None
        except TransferDeskError as error:
            log.warning("scheduled refresh failed: %s", error)
            return None
        self.runs += 1
        if self._on_report is not None:
            result = self._on_report(report)
            if asyncio.iscoroutine(result):
                await result
        return report
