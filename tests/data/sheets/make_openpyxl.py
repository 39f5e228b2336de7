#!/usr/bin/python3
"""Writes data/kamaishi_kosodate_r2-r6.txt as .xlsx with openpyxl, the way
staff keep such a table in Excel: counts stored as numbers with a unit in the
number format (5070 shown as 5,070人 with #,##0"人"), 100% stored as 1 with
the format 0%, and each project heading merged across the row.

  make_openpyxl.py TXT OUT.xlsx
"""
import re
import sys

import openpyxl

NUMBER = re.compile(r"^([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(人|回|件|施設)$")


def main(txt, out):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "進捗状況"
    with open(txt, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for r, line in enumerate(lines, start=1):
        cells = line.split("\t")
        for c, text in enumerate(cells, start=1):
            if text == "":
                continue
            cell = ws.cell(row=r, column=c)
            m = NUMBER.match(text)
            if m and c > 1:
                thousands = "#,##0" if "," in m.group(1) else "0"
                cell.value = int(m.group(1).replace(",", ""))
                cell.number_format = thousands + '"' + m.group(2) + '"'
            elif text == "100%" and c > 1:
                cell.value = 1
                cell.number_format = "0%"
            else:
                cell.value = text
        if line.startswith("プロジェクト"):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
    wb.save(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
