"""The one exception type for mistakes in a site's files, and the list that collects them.

A `SiteError` is printed as a single line, `path:line:col: message (hint)`, and the build
exits with status 1. Anything else that goes wrong is a bug and keeps its traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Location:
    path: str
    line: int = 0  # 1-based; 0 when unknown
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass
class SiteError(Exception):
    """A mistake in the site's own files: content, data, templates or static files."""

    where: Location
    message: str
    hint: str = ""

    def __reduce__(self):
        # so that an error found in a worker process can be sent back to the build
        return (SiteError, (self.where, self.message, self.hint))

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class Report:
    """Every error and warning of one build, in the order they were found."""

    strict: bool = False
    errors: list[SiteError] = field(default_factory=list)
    warnings: list[SiteError] = field(default_factory=list)

    def error(self, where: Location, message: str, hint: str = "") -> None:
        self.errors.append(SiteError(where, message, hint))

    def warn(self, where: Location, message: str, hint: str = "") -> None:
        """A warning becomes an error under --strict."""
        target = self.errors if self.strict else self.warnings
        target.append(SiteError(where, message, hint))

    def add(self, err: SiteError) -> None:
        self.errors.append(err)

    def raise_if_failed(self) -> None:
        if self.errors:
            raise BuildFailed(self)


class BuildFailed(Exception):
    """Raised once at the end of a stage when the report holds errors."""

    def __init__(self, report: Report):
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report


def did_you_mean(word: str, choices) -> str:
    """A hint naming the closest known word, or '' when nothing is close."""
    import difflib  # only when there is a mistake to name

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def relpath(path: Path, root: Path) -> str:
    """The path as the organizer knows it: relative to the site folder where possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
