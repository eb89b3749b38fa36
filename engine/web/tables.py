"""CSV for Excel on a Chinese system: UTF-8 with a byte-order mark, CRLF line ends.

Without the BOM, Excel on a Chinese Windows reads a CSV as GBK and garbles every
Chinese name; with it, the file opens as UTF-8 by a double click.
"""

from __future__ import annotations

import csv
import io

from fastapi.responses import Response

__all__ = ["BOM", "csv_for_excel"]

BOM = "\ufeff"


def csv_for_excel(rows: list[list[str]], filename: str) -> Response:
    buffer = io.StringIO()
    buffer.write(BOM)
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return Response(
        buffer.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
