/*
 * render_html: a report as one self-contained HTML page: inline CSS (with
 * print rules), every table, and the charts tables ask for drawn as inline
 * SVG (CHART_BARS, CHART_DIVERGE) or as a heat table (CHART_HEAT).  No
 * scripts, fonts or images are fetched.  Bar lengths are integer
 * arithmetic on öre, so the page is the same bytes every time.
 */
#ifndef ALF_RENDER_HTML_H
#define ALF_RENDER_HTML_H

#include <stdio.h>

#include "rtable.h"

void	render_html(FILE *fp, const struct report *r);

#endif
