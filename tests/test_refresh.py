"""The scheduled refresh runs off the event loop and never overlaps a running reindex."""

import asyncio
import threading
import time

from bot.refresh import RefreshScheduler
from index.errors import StoreBusyError, TransferDeskError
from index.models import ReindexReport


def test_it_refreshes_at_once_then_at_each_interval():
    calls: list[float] = []
    reports: list[ReindexReport] = []

    def reindex() -> ReindexReport:
        calls.append(time.monotonic())
        return ReindexReport(added=len(calls))

    async def scenario():
        scheduler = RefreshScheduler(reindex, interval_seconds=0.05, on_report=reports.append)
        scheduler.start()
        await asyncio.sleep(0.18)
        await scheduler.stop()
        return scheduler

    scheduler = asyncio.run(scenario())
    assert 3 <= len(calls) <= 5
    assert [r.added for r in reports] == list(range(1, len(calls) + 1))
    assert scheduler.runs == len(calls)


def test_the_event_loop_keeps_running_while_a_refresh_works():
    def slow_reindex() -> ReindexReport:
        time.sleep(0.3)  # stands for embedding: blocking work
        return ReindexReport()

    async def scenario():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        tick_task = asyncio.create_task(ticker())
        await RefreshScheduler(slow_reindex, interval_seconds=60).refresh_now()
        tick_task.cancel()
        return ticks

    assert asyncio.run(scenario()) >= 15


def test_a_refresh_while_another_reindex_runs_is_skipped_not_queued():
    def busy() -> ReindexReport:
        raise StoreBusyError("a reindex is already running (pid 42)")

    async def scenario():
        scheduler = RefreshScheduler(busy, interval_seconds=60)
        return await scheduler.refresh_now(), scheduler

    result, scheduler = asyncio.run(scenario())
    assert result is None and scheduler.skipped == 1 and scheduler.runs == 0


def test_a_failed_refresh_does_not_stop_the_schedule(caplog):
    attempts = []

    def flaky() -> ReindexReport:
        attempts.append(threading.current_thread().name)
        if len(attempts) == 1:
            raise TransferDeskError("disk full")
        return ReindexReport()

    async def scenario():
        scheduler = RefreshScheduler(flaky, interval_seconds=0.02)
        scheduler.start()
        await asyncio.sleep(0.1)
        await scheduler.stop()

    asyncio.run(scenario())
    assert len(attempts) >= 2
    assert "scheduled refresh failed: disk full" in caplog.text
    assert all(name != threading.main_thread().name for name in attempts)
