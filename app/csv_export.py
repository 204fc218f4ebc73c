"""CSV as Sauti writes it, for people who open it in a spreadsheet. A cell that begins with =, +,
-, @, a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets, and text
someone else typed (an email address, a ward) could run one: such a cell is written with a '
before it, which they show as text. A plain number (-3.25) is a number and stays one."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The header and rows as CSV, every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([inert(cell) for cell in header])
    writer.writerows([inert(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def inert(cell: str) -> str:
    """The cell as a spreadsheet will show it and never run it."""
    if cell.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell
