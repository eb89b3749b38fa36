"""Reading application files: the one reader every command and face uses.

See :mod:`engine.reading.reader` for the functions, :mod:`engine.reading.limits` for what one
application may hold.
"""

from . import limits
from .files import APPLICATION_SUFFIXES, LineReader, Source
from .reader import (
    APPLICATION_LIMITS,
    Entry,
    Record,
    Validated,
    iter_applications,
    iter_sources,
    iter_upload,
    read_application,
    read_document,
    read_record,
    read_upload,
    read_validated,
    record_key,
)
from .validate import application_from_data, shown_path

__all__ = [
    "APPLICATION_LIMITS",
    "APPLICATION_SUFFIXES",
    "Entry",
    "LineReader",
    "Record",
    "Source",
    "Validated",
    "application_from_data",
    "iter_applications",
    "iter_sources",
    "iter_upload",
    "limits",
    "read_application",
    "read_document",
    "read_record",
    "read_upload",
    "read_validated",
    "record_key",
    "shown_path",
]
