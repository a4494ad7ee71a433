/*
 * render_xlsx: a report as an Excel workbook (libxlsxwriter): one sheet
 * per table, a bold frozen header row, money and numbers as numeric cells
 * with number formats, column widths from the contents.  The workbook's
 * creation date is the report's document date (report.created, a day
 * number; without one 1980-01-01), never the clock, so the same report
 * gives the same bytes.  Money cells are doubles made from the exact
 * integer of units or öre (see cell_value); an amount too large for that
 * stops the program (EXIT_IO).
 * libxlsxwriter writes to a named file; the bytes are then copied to fp,
 * so `-o` publishes atomically like every other output.
 */
#ifndef ALF_RENDER_XLSX_H
#define ALF_RENDER_XLSX_H

#include <stdio.h>

#include "rtable.h"

/* dies EXIT_IO when the workbook cannot be written */
void	render_xlsx(FILE *fp, const struct report *r);

#endif
