"""Checking what Yimen's workbooks hold: shared by the export tests of every app."""

import io

from openpyxl import load_workbook

# What a hostile title, name or address looks like to Excel, LibreOffice or WPS.
FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", '=HYPERLINK("http://example.com","点击")', "\t=1+1", "#N/A"]


def formula_cells(content: bytes, sheet: str) -> dict[str, tuple[str, bool]]:
    """Each cell whose text a spreadsheet could take for a formula: value -> (data type, quote prefix)."""
    found = {}
    for row in load_workbook(io.BytesIO(content))[sheet].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "#")):
                found[cell.value] = (cell.data_type, cell.quotePrefix)
    return found
