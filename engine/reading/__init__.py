"""Reading application files: the one reader every command and face uses."""

from .intake import Record, application_from_data, iter_applications, read_application, shown_path

__all__ = ["Record", "application_from_data", "iter_applications", "read_application", "shown_path"]
