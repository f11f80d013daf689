"""Exceptions raised by the SQL model runner."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class TransformError(Exception):
    """Base class of every error the model runner raises."""


class SqlError(TransformError):
    """SQL that does not parse as one DuckDB statement or cannot be transpiled."""


class ModelLoadError(TransformError):
    """A model file that cannot be loaded: syntax, portability, unknown reference, bad placeholder."""

    def __init__(self, path: Path | str | None, message: str) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


class CycleError(ModelLoadError):
    """Models that depend on each other in a circle."""

    def __init__(self, cycle: Sequence[str], paths: Sequence[Path]) -> None:
        self.cycle = list(cycle)
        files = ", ".join(str(p) for p in paths)
        super().__init__(None, f"dependency cycle between models: {' -> '.join(self.cycle)} (files: {files})")


class ParameterError(TransformError):
    """A placeholder value that is missing or not an acceptable SQL expression."""

    def __init__(
        self, model: str, parameter: str, message: str, line: int | None = None, col: int | None = None
    ) -> None:
        self.model, self.parameter, self.message, self.line, self.col = model, parameter, message, line, col
        where = f" (line {line}, column {col})" if line is not None else ""
        super().__init__(f"model {model}: parameter '{parameter}': {message}{where}")


class ModelError(TransformError):
    """A model that failed while running in the database."""

    def __init__(self, model: str, path: Path | str, message: str) -> None:
        self.model, self.path, self.message = model, Path(path), message
        super().__init__(f"model {model} ({self.path}) failed: {message}")
