#!/bin/sh
# Regenerates the spreadsheet fixtures from data/kamaishi_kosodate_r2-r6.txt.
# Run once by hand and commit the results; CI never runs it (it needs
# LibreOffice: apt-get install -y --no-install-recommends libreoffice-calc-nogui
# python3-openpyxl).
#
#   kamaishi_lo.xlsx, kamaishi_lo.ods, kamaishi_lo.xls: LibreOffice Calc opens
#     the tab-separated UTF-8 text (filter options: tab, '"', UTF-8 (76), from
#     line 1, every column as Text (format 2) so that cells stay as typed) and
#     saves it in each format.
#   kamaishi_openpyxl.xlsx: openpyxl writes counts as numbers with a unit
#     format (#,##0"人"), 100% as 1 with 0%, project headings merged.
#   kamaishi_openpyxl_lo.ods, kamaishi_openpyxl_lo.xls: LibreOffice converts
#     that .xlsx, so these hold numbers with formats and merged cells too (the
#     .xls shows what libfreexl cannot read: the formats).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../../../data/kamaishi_kosodate_r2-r6.txt"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src" "$work/kamaishi_lo.txt"
filter='Text - txt - csv (StarCalc):9,34,76,1,1/2/2/2/3/2/4/2/5/2/6/2/7/2'
for fmt in xlsx ods xls; do
  soffice --headless --infilter="$filter" --convert-to "$fmt" --outdir "$work" \
    "$work/kamaishi_lo.txt"
  cp "$work/kamaishi_lo.$fmt" "$here/"
done
/usr/bin/python3 "$here/make_openpyxl.py" "$src" "$here/kamaishi_openpyxl.xlsx"
cp "$here/kamaishi_openpyxl.xlsx" "$work/kamaishi_openpyxl_lo.xlsx"
for fmt in ods xls; do
  soffice --headless --convert-to "$fmt" --outdir "$work" "$work/kamaishi_openpyxl_lo.xlsx"
  cp "$work/kamaishi_openpyxl_lo.$fmt" "$here/"
done
