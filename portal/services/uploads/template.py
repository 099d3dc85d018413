"""The one writer of the XLSX templates people fill in for an upload (employees, payments,
members): the layout's exact headers on its sheet, text-formatted identifier columns (Excel
keeps only 15 significant digits of a number: a NIK or KPJ typed as a number loses its last
digits), drop-down lists of allowed values, extra guide sheets and a sheet of instructions.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .table import Layout

#: Rows a template's drop-down lists and text format cover (the readers' caps are lower).
TEMPLATE_ROWS = 20_000


def template_workbook(
    layout: Layout,
    *,
    text_fields: Iterable[str] = (),
    lists: Mapping[str, str] | None = None,
    example: Sequence[object] | None = None,
    guides: Iterable[tuple[str, Sequence[Sequence[object]]]] = (),
    notes: Iterable[str] = (),
) -> bytes:
    """An XLSX template for `layout`.

    `text_fields`: fields whose column is formatted as text. `lists`: field → a data
    validation formula (`'"L,P"'` or a range on a guide sheet). `example`: one filled-in row.
    `guides`: (sheet title, rows) sheets to choose values from. `notes`: the instructions,
    one line each, on the "Petunjuk" sheet.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = layout.sheet or "Data"
    sheet.append(layout.headers)
    letters = {
        column.field: get_column_letter(index)
        for index, column in enumerate(layout.columns, start=1)
    }
    for column in layout.columns:
        sheet.column_dimensions[letters[column.field]].width = max(14, len(column.header) + 2)
    for name in text_fields:
        sheet.column_dimensions[letters[name]].number_format = "@"
    sheet.freeze_panes = "A2"
    for name, formula in (lists or {}).items():
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.add(f"{letters[name]}2:{letters[name]}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)
    if example is not None:
        sheet.append(list(example))
        for name in text_fields:
            sheet[f"{letters[name]}2"].number_format = "@"
    for title, rows in guides:
        guide = workbook.create_sheet(title)
        for row in rows:
            guide.append(list(row))
    instructions = workbook.create_sheet("Petunjuk")
    for line in notes:
        instructions.append([line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
