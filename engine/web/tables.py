"""CSV for Excel on a Chinese system: UTF-8 with a byte-order mark, CRLF line ends.

Without the BOM, Excel on a Chinese Windows reads a CSV as GBK and garbles every
Chinese name; with it, the file opens as UTF-8 by a double click. Every cell is shown as a
page shows it (:func:`engine.privacy.shown`: ID numbers masked, control and format characters
written out), for a name or a reason may quote one.
"""

from __future__ import annotations

from fastapi.responses import Response

from ..explain.tables import csv_text
from ..privacy import shown

__all__ = ["BOM", "csv_for_excel"]

BOM = "\ufeff"


def csv_for_excel(rows: list[list[str]], filename: str) -> Response:
    """``rows`` as a CSV download (no cell a spreadsheet runs: :func:`csv_text`)."""
    cells = [[shown(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]
    return Response(
        (BOM + csv_text(cells, "\r\n")).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
