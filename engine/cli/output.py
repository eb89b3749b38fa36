"""What the command writes, held to :func:`engine.privacy.shown` on its way out.

Every command's standard output and error pass through :class:`ShownStream` while it runs
(:func:`shown_streams`): whatever a text came from — an application, a settlement's reason,
a record kept from before, a file's name — no ID number is written whole and no control or
invisible character raw (a terminal's title, a cleared screen, a forged or reordered line); a
byte-order mark only as the first character a stream writes (a CSV document's own, for
Excel). A progress bar drawn on a terminal writes to :attr:`ShownStream.raw`, the stream
underneath.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from ..privacy import BYTE_ORDER_MARK, shown

__all__ = ["ShownStream", "raw_stream", "shown_streams"]


class ShownStream:
    """A text stream that writes :func:`~engine.privacy.shown` text to ``raw``; everything
    else (``flush``, ``isatty``, ``fileno``, ``encoding``…) is the raw stream's."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw
        self.started = False

    def write(self, text: str) -> int:
        if not self.started and text:
            self.started = True
            if text.startswith(BYTE_ORDER_MARK):  # it starts the document (a CSV, for Excel)
                self.raw.write(BYTE_ORDER_MARK + shown(text[1:]))
                return len(text)
        self.raw.write(shown(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


def raw_stream(stream: Any) -> Any:
    """The stream under a :class:`ShownStream` (a terminal's own drawing), else ``stream``."""
    return stream.raw if isinstance(stream, ShownStream) else stream


@contextmanager
def shown_streams() -> Iterator[None]:
    """Standard output and error held to :func:`~engine.privacy.shown` inside the block."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = ShownStream(out), ShownStream(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
