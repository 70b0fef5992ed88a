"""Where the CPU went during bench/load.py's measured window, by the processes it started."""

from __future__ import annotations

import contextlib
import os
import time

import psutil


def _processes(root: int, *, with_children: bool) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        process = psutil.Process(root)
        return [process, *process.children(recursive=True)] if with_children else [process]
    return []


def _seconds(process: psutil.Process) -> float:
    with contextlib.suppress(psutil.Error):
        times = process.cpu_times()
        return float(times.user + times.system)
    return 0.0


class CpuMeter:
    """CPU seconds (user + system) per named group: a root process and its children.

    Counted per process between ``start`` and ``stop``; a process that ends in between loses its
    share, one that starts in between counts whole. This process (locust) counts without its
    children, which are the servers named apart."""

    def __init__(self, roots: dict[str, int]) -> None:
        self.roots = roots
        self._before: dict[int, float] = {}
        self.seconds: dict[str, float] = {}

    def _groups(self) -> dict[str, list[psutil.Process]]:
        groups = {name: _processes(pid, with_children=True) for name, pid in self.roots.items()}
        groups["locust"] = _processes(os.getpid(), with_children=False)
        return groups

    def start(self) -> None:
        self._before = {
            process.pid: _seconds(process)
            for processes in self._groups().values()
            for process in processes
        }

    def stop(self) -> None:
        self.seconds = {
            name: round(sum(_seconds(p) - self._before.get(p.pid, 0.0) for p in processes), 1)
            for name, processes in self._groups().items()
        }


def settled(root: int, *, window: float = 1.0, threshold: float = 0.05) -> bool:
    """Whether a started service has finished starting: it has children (the pool or the
    workers) and, with them, used less than ``threshold`` CPU seconds over ``window`` seconds."""
    processes = _processes(root, with_children=True)
    if len(processes) < 2:
        return False
    before = sum(_seconds(process) for process in processes)
    time.sleep(window)
    return sum(_seconds(process) for process in processes) - before < threshold
