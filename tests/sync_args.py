"""The command line of a sync against the Intervals.icu emulator, shared by the end-to-end tests."""

from __future__ import annotations

from pathlib import Path


def sync_argv(emu, folder: Path | None, *extra: str) -> list[str]:
    """`s11sync sync` with the emulator's base URL and credentials, writing to `folder`."""
    argv = [
        "sync",
        "--api-base",
        emu.base_url,
        "--athlete-id",
        emu.athlete_id,
        "--intervals-key",
        emu.api_key,
    ]
    if folder is not None:
        argv += ["--output", str(folder)]
    return [*argv, *extra]
