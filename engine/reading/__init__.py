"""Reading application files: the one reader every command and face uses.

See :mod:`engine.reading.reader` for the functions, :mod:`engine.reading.limits` for what one
application may hold.
"""

from . import limits
from .files import APPLICATION_SUFFIXES, Source
from .reader import (
    APPLICATION_LIMITS,
    Entry,
    Record,
    iter_applications,
    iter_sources,
    iter_upload,
    read_application,
    read_document,
    read_record,
    read_upload,
    record_key,
)
from .validate import application_from_data, shown_path

__all__ = [
    "APPLICATION_LIMITS",
    "APPLICATION_SUFFIXES",
    "Entry",
    "Record",
    "Source",
    "application_from_data",
    "iter_applications",
    "iter_sources",
    "iter_upload",
    "limits",
    "read_application",
    "read_document",
    "read_record",
    "read_upload",
    "record_key",
    "shown_path",
]
