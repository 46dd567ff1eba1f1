"""HTML from the theme's PDF templates to PDF bytes with WeasyPrint.

A one-page poster is laid out again, denser, while it runs over a page (`_layout`), and
the embedded font is cut down to the glyphs drawn before the PDF is written (compact.py).
WeasyPrint logs a warning when it has to draw a `.notdef` glyph (a character no font
has); we capture its log while rendering and fail rather than publish an empty box.
The fonts preflight (fonts.py) normally catches such characters first, with file:line.
"""

from __future__ import annotations

import logging

from sitegen.render.theme import Theme


class MissingGlyphError(Exception):
    pass


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.notdef: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if ".notdef" in message or "glyphs missing" in message:
            self.notdef.append(message)


def _fetch_nothing():
    """The PDFs need nothing from outside their HTML (styles are inlined, fonts come from
    fontconfig); a theme template asking for `file:///…` or a web address would embed a
    file of the build machine (as an image or an attachment) or reach the network.
    WeasyPrint catches the refusal and leaves the resource out."""
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"sitegen 生成 PDF 时不读取任何外部文件：{url[:80]}")

    return FetchNothing()


class PdfRenderer:
    def __init__(self, theme: Theme):
        self.theme = theme

    def render(self, template: str, view) -> bytes:
        """The PDF of `template` with `view` (see `layout`), its fonts compacted (compact.py)."""
        from sitegen.render.pdf.compact import compact_fonts  # (ctypes: only when PDFs are made)

        capture = _Capture()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(capture)
        try:
            _, document = self._layout(template, view, capture)
            pdf = document.write_pdf(finisher=compact_fonts)
        finally:
            logger.removeHandler(capture)
        if capture.notdef:
            raise MissingGlyphError(f"{view.sheet.path}：{capture.notdef[0]}")
        return pdf

    def html(self, template: str, view) -> str:
        """The HTML the PDF is finally made from (at the `fit` level chosen): what a
        benchmark gives plain WeasyPrint to compare."""
        return self._layout(template, view, _Capture())[0]

    def _layout(self, template: str, view, capture: _Capture):
        """The HTML and WeasyPrint's laid-out document. A poster meant for one page (its
        view has FIT_ROWS: the quarter's and the year end's 公示) is laid out at the least
        dense `fit` level of the stylesheet (html.fit-N) that holds it on one page, from
        the first that could (view.first_fit()) to the last; past that it runs over."""
        import weasyprint

        levels = len(getattr(view, "FIT_ROWS", ()))
        fit = view.first_fit() if levels else 0
        while True:
            html = self.theme.text(template, v=view, fit=fit)
            document = weasyprint.HTML(
                string=html, base_url=str(self.theme.folders[-1]), url_fetcher=_fetch_nothing()
            ).render()
            if len(document.pages) <= 1 or fit + 1 >= levels:
                return html, document
            fit += 1
            capture.notdef.clear()  # the glyphs of the denser layout are checked afresh
