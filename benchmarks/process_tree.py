"""Peak memory of a whole process tree, sampled from /proc (Linux only, no psutil).

A Spark run is a Python driver plus a JVM that py4j spawns (and, for Python UDFs, Python
workers that the JVM spawns). `os.wait4` reports the peak RSS of one process only, and
RUSAGE_CHILDREN the largest single descendant, never the sum: neither measures what the
machine must hold. So a thread reads every process's RSS every `interval` seconds, keeps
the ones that descend from the root, and remembers the largest sum it saw. A peak shorter
than the interval can be missed, so the figure is a lower bound of the true peak.

One trap: to run a command (Hadoop's local file system calls `chmod`, `bash`), the JVM
clones itself with CLONE_VM (posix_spawn/vfork). Until the child execs, it shares the
JVM's memory and /proc shows the JVM's whole RSS for it too, so a naive sum counts the JVM
twice. So a child that has not exec'd yet counts as 0 when its size and RSS are within 1%
of its parent's when read (a fresh fork's pages are still shared copy-on-write, so 0 is
right for it too), or when the kcmp system call says it shares its parent's memory (the
JVM's RSS can move between the two reads).
"""

from __future__ import annotations

import ctypes
import os
import platform
import threading
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024
JVM_NAMES = frozenset({"java"})
PF_FORKNOEXEC = 0x40
KCMP_SYSCALL = {"x86_64": 312, "aarch64": 272}.get(platform.machine())
KCMP_VM = 1


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    ppid: int
    name: str
    flags: int
    vsize: int
    rss_bytes: int


@dataclass(frozen=True)
class TreePeak:
    """The largest summed RSS seen, the JVM's part of that sum, and what made it up."""

    total_mib: float
    jvm_at_peak_mib: float
    jvm_peak_mib: float
    samples: int
    by_name_at_peak: dict[str, float]


def read_process(pid: int) -> ProcessInfo | None:
    """One process from /proc/<pid>/stat (its rss field is VmRSS in pages); None if gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return ProcessInfo(pid, int(fields[1]), name, int(fields[6]), int(fields[20]),
                       int(fields[21]) * PAGE_BYTES)


def tree(root: int) -> list[ProcessInfo]:
    """The root and all its living descendants, found through every process's parent id."""
    processes = [info for entry in PROC.iterdir() if entry.name.isdigit()
                 if (info := read_process(int(entry.name))) is not None]
    children: dict[int, list[ProcessInfo]] = {}
    for info in processes:
        children.setdefault(info.ppid, []).append(info)
    found = [info for info in processes if info.pid == root]
    for info in found:
        found.extend(children.get(info.pid, []))
    return found


def shares_memory(child: ProcessInfo, parent: ProcessInfo) -> bool:
    """True when `child` is a not-yet-exec'd clone whose memory is its parent's."""
    if not child.flags & PF_FORKNOEXEC:
        return False
    if (abs(child.vsize - parent.vsize) <= parent.vsize / 100
            and abs(child.rss_bytes - parent.rss_bytes) <= parent.rss_bytes / 100):
        return True
    if KCMP_SYSCALL is None:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(KCMP_SYSCALL, child.pid, parent.pid, KCMP_VM, 0, 0) == 0


def own_memory(processes: list[ProcessInfo]) -> dict[int, int]:
    """Each process's RSS, 0 for a clone that shares its parent's memory."""
    by_pid = {info.pid: info for info in processes}
    counted = {}
    for info in processes:
        parent = by_pid.get(info.ppid)
        shares = parent is not None and shares_memory(info, parent)
        counted[info.pid] = 0 if shares else info.rss_bytes
    return counted


class TreeSampler:
    """Samples the tree under `root` in a daemon thread until `stop()` returns the peak."""

    def __init__(self, root: int, interval: float = 0.2) -> None:
        self._root = root
        self._interval = interval
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._peak: tuple[int, int, dict[str, int]] = (0, 0, {})
        self._jvm_peak = 0
        self._samples = 0

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def stop(self) -> TreePeak:
        self._done.set()
        self._thread.join()
        total, jvm, by_name = self._peak
        return TreePeak(total / MIB, jvm / MIB, self._jvm_peak / MIB, self._samples,
                        {name: size / MIB for name, size in by_name.items()})

    def _loop(self) -> None:
        while True:
            self._sample()
            if self._done.wait(self._interval):
                return

    def _sample(self) -> None:
        processes = tree(self._root)
        counted = own_memory(processes)
        by_name: dict[str, int] = {}
        for info in processes:
            by_name[info.name] = by_name.get(info.name, 0) + counted[info.pid]
        total = sum(by_name.values())
        jvm = sum(size for name, size in by_name.items() if name in JVM_NAMES)
        self._samples += 1
        self._jvm_peak = max(self._jvm_peak, jvm)
        if total > self._peak[0]:
            self._peak = (total, jvm, by_name)
