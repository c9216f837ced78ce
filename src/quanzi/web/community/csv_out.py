"""CSV downloads of pick lists and dispatch notes: UTF-8 with a BOM so Excel reads the
Chinese, and a cell starting with ``= + - @`` gets a leading ``'`` so a spreadsheet
does not run it."""

import csv
import io
from collections.abc import Iterable, Sequence

from fastapi import Response

FORMULA_START = ("=", "+", "-", "@")


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_response(filename: str, header: list[str],
                 rows: Iterable[Sequence[object]]) -> Response:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})
