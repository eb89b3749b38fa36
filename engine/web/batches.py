"""Batch screening from the desk: uploaded files screened in the background, progress polled.

The files are written to a private temporary folder and screened with the same
``screen`` service the command line uses; the page polls the job for its progress
(htmx, every second) and shows each result once its transaction has committed.
Jobs are kept in memory for the server's life, at most :data:`MAX_JOBS` of them.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..services import ScreenProgress, ScreenResult, ScreenSummary, screen
from .errors import WebError, internal_error

__all__ = ["MAX_FILES", "MAX_JOBS", "Job", "Row", "job_of", "start_batch"]

MAX_FILES = 1000  # files in one upload
MAX_JOBS = 50  # jobs remembered; the oldest finished ones are forgotten first
MAX_SHOWN = 500  # results kept for the page (the summary counts them all)


@dataclass(frozen=True)
class Row:
    """One file (or JSON Lines record) of a batch as the page lists it."""

    name: str  # as uploaded, with :line for a JSON Lines record
    status: str  # recorded | already_recorded | invalid | failed | skipped
    application: str | None = None
    decisions: tuple[tuple[str, str | None], ...] = ()  # recorded: (outcome, amount) per claim
    problems: tuple[Problem, ...] = ()  # invalid: each problem, its file named as uploaded
    error: str | None = None


@dataclass
class Job:
    id: str
    owner: str
    done: int = 0
    total: int = 0
    finished: bool = False
    summary: ScreenSummary | None = None
    results: list[Row] = field(default_factory=list)
    error: str | None = None


def _safe_name(name: str, n: int) -> str:
    """The name a file is kept under while it is screened (unique, safe on any disk)."""
    base = re.sub(r"[^A-Za-z0-9._\-\u4e00-\u9fff]", "_", Path(name).name)[:100] or "upload"
    return f"{n:04d}-{base}"


def _shown_name(name: str) -> str:
    """A file's name as uploaded (no folder), at most 200 characters."""
    return (name.replace("\\", "/").rsplit("/", 1)[-1] or "upload")[:200]


def _outcomes(made: Any) -> tuple[tuple[str, str | None], ...]:
    """What the batch page keeps of a recorded decision: each claim's outcome and amount."""
    return tuple((d["outcome"], d.get("amount")) for d in made.result["decisions"])


def start_batch(app: Any, owner: str, files: list[tuple[str, bytes]]) -> Job:
    """Screen ``files`` (name, bytes) into the app's store in a background thread."""
    if not files:
        raise WebError(
            422, "choose one or more application files (.yaml, .json, .jsonl)", field="files", words="choose_files"
        )
    if len(files) > MAX_FILES:
        raise WebError(
            413,
            f"at most {MAX_FILES} files at once: put larger batches in one .jsonl",
            words="too_many_files",
            params={"n": str(MAX_FILES)},
        )
    folder = Path(tempfile.mkdtemp(prefix="subsidy-batch-"))
    names: dict[str, str] = {}  # the file screened -> what the record names as its source
    for n, (name, data) in enumerate(files):
        kept = folder / _safe_name(name, n)
        kept.write_bytes(data)
        names[str(kept)] = f"upload:{_shown_name(name)}"
    job = Job(secrets.token_urlsafe(9), owner)
    jobs: dict[str, Job] = app.state.jobs
    while len(jobs) >= MAX_JOBS:
        oldest = next((k for k, j in jobs.items() if j.finished), None)
        if oldest is None:
            shutil.rmtree(folder, ignore_errors=True)
            raise WebError(429, "too many batches are running: wait for one to finish", words="too_many_batches")
        del jobs[oldest]
    jobs[job.id] = job
    threading.Thread(target=_run, args=(app, job, folder, names), daemon=True, name=f"batch-{job.id}").start()
    return job


def _run(app: Any, job: Job, folder: Path, names: dict[str, str]) -> None:
    prefix = str(folder) + "/"
    store, rulebook = app.state.store, app.state.rulebook
    try:
        for event in screen([folder], store, rulebook, workers=0, render=_outcomes, sources=names):
            if isinstance(event, ScreenProgress):
                job.done, job.total = event.done, event.total
            elif isinstance(event, ScreenSummary):
                job.summary = event
            elif isinstance(event, ScreenResult) and len(job.results) < MAX_SHOWN:
                job.results.append(
                    Row(
                        event.source.removeprefix("upload:"),
                        event.status,
                        event.application,
                        event.output or (),
                        tuple(
                            replace(p, file=p.file.replace(prefix, ""), message=p.message.replace(prefix, ""))
                            for p in event.problems
                        ),
                        (event.error or "").replace(prefix, "") or None,
                    )
                )
    except Exception as exc:  # the batch is reported as stopped; what was committed stays
        job.error = internal_error(exc).message if not hasattr(exc, "problems") else str(exc).replace(prefix, "")
    finally:
        job.finished = True
        shutil.rmtree(folder, ignore_errors=True)


def job_of(app: Any, job_id: str, owner: str) -> Job:
    job: Job | None = app.state.jobs.get(job_id)
    if job is None or job.owner != owner:
        raise WebError(404, "no such batch", words="no_batch")
    return job
