"""Errors a user can cause, each with a stable code. The CLI prints them as one line, no traceback.

Exit codes: 1 for a data problem (bad document, failed validation), 2 for a usage problem.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class. ``code`` is stable across releases; ``path`` names the file at fault."""

    code = "E000"
    exit_code = 1

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.message} [{self.code}]"


class InputError(KgError):
    """A document cannot be read: missing, empty, binary, undecodable, unsupported."""

    code = "E100"


class UnsupportedFormatError(InputError):
    code = "E101"


class EmptyDocumentError(InputError):
    code = "E102"


class DecodeError(InputError):
    code = "E103"


class NoTextLayerError(InputError):
    """A PDF with no extractable text (a scan)."""

    code = "E104"


class RuleFileError(KgError):
    """A genre rule file or lexicon file is malformed: names the file, the key and the valid options."""

    code = "E200"


class GraphError(KgError):
    """A graph file cannot be parsed or is not a reform-kg graph."""

    code = "E300"


class ValidationFailed(KgError):
    """SHACL or ontology validation found violations."""

    code = "E400"


class ShapesError(KgError):
    """shapes.ttl uses SHACL the validator cannot compile: names the shape and the construct."""

    code = "E410"
    exit_code = 2


class QueryError(KgError):
    """A named query is unknown, malformed, or given a bad parameter."""

    code = "E500"
    exit_code = 2


class PublishError(KgError):
    """A triple store cannot be reached, or refused an upload."""

    code = "E600"


class ServeError(KgError):
    """``kg serve``'s query engine is missing, or stops while starting."""

    code = "E700"


class ClusterError(KgError):
    """``kg build --scheduler``: Dask is not installed, the scheduler cannot be reached or has no
    worker, or a worker runs other code than this machine (kg.cluster)."""

    code = "E800"


class UsageError(KgError):
    code = "E900"
    exit_code = 2
