"""Start-up: a one-shot `transferdesk ask`, and `transferdesk run` until ready and first answer.

Each figure is measured in fresh processes, with the NumPy question encoder (the default) and
with PyTorch for everything (`embedding.light_queries = false`), on an index of samples/.
`run` connects the real discord.py client to the fake Discord used by the tests.

    python bench/bench_startup.py [--runs N] [--json FILE]
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before any heavy import, for the child process

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
QUESTION = "Is Allegri leaving Milan?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", choices=["run"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--light", choices=["true", "false"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child_run(args.data_dir, args.light == "true")
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="transferdesk-startup-") as folder:
        data = str(Path(folder) / "data")
        cli = [sys.executable, "-m", "bot", "--data-dir", data]
        subprocess.run([*cli, "sources", "add", str(REPO / "samples")], check=True, env=env)
        subprocess.run([*cli, "reindex"], check=True, env=env, capture_output=True)
        for light in ("true", "false"):
            config = Path(folder) / f"light-{light}.toml"
            config.write_text(f'[data]\ndir = "{data}"\n[embedding]\nlight_queries = {light}\n')
            asks = [_timed([*cli[:3], "--config", str(config), "ask", QUESTION], env)]
            asks += [
                _timed([*cli[:3], "--config", str(config), "ask", QUESTION], env)
                for _ in range(args.runs - 1)
            ]
            runs = [_child(data, light, env) for _ in range(args.runs)]
            results[f"light_queries={light}"] = {
                "ask_one_shot_s": statistics.median(asks),
                "run_to_ready_s": statistics.median(r["ready_s"] for r in runs),
                "run_to_first_answer_s": statistics.median(r["first_answer_s"] for r in runs),
            }
    print(f"{'':<22} {'ask (one-shot)':>15} {'run: ready':>11} {'run: 1st answer':>16}")
    for name, figures in results.items():
        print(
            f"{name:<22} {figures['ask_one_shot_s']:>13.2f} s {figures['run_to_ready_s']:>9.2f} s"
            f" {figures['run_to_first_answer_s']:>14.2f} s"
        )
    print(f"medians of {args.runs} fresh processes each; run = the real client, fake Discord")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def _child(data: str, light: str, env: dict[str, str]) -> dict[str, float]:
    # A fresh copy each time: a bot that synced its commands once would not sync them again.
    copy = tempfile.mkdtemp(prefix="transferdesk-run-")
    shutil.copytree(data, f"{copy}/data")
    command = [sys.executable, __file__, "--child", "run", "--data-dir", f"{copy}/data"]
    command += ["--light", light]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    shutil.rmtree(copy, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child_run(data_dir: str, light: bool) -> int:
    """`transferdesk run` in this process against the fake Discord; prints the two times."""
    import asyncio
    from dataclasses import replace

    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "tests"))
    import discord
    import yarl
    from discord_wire import FakeDiscord

    from bot.commands import Engine
    from bot.config import DiscordSettings, EmbeddingSettings, RefreshSettings, load_settings
    from bot.discord_app.client import create_bot

    fake = FakeDiscord()
    fake.start()
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    settings = replace(
        load_settings(data_dir=data_dir),
        refresh=RefreshSettings(interval_minutes=0),
        discord=DiscordSettings(cooldown_seconds=0),
        embedding=EmbeddingSettings(light_queries=light),
    )

    async def serve() -> dict[str, float]:
        bot = create_bot(Engine(settings), settings)
        task = asyncio.create_task(bot.start("fake-token"))
        await asyncio.wait_for(bot.wait_until_ready(), 120)
        ready = time.perf_counter() - STARTED
        fake.send_slash_command("ask", {"question": QUESTION})
        while not fake.requests_to("POST", r"^/webhooks/"):
            await asyncio.sleep(0.01)
        answered = time.perf_counter() - STARTED
        await bot.close()
        await task
        return {"ready_s": ready, "first_answer_s": answered}

    figures = asyncio.run(serve())
    fake.stop()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
