"""HTML from the theme's PDF templates to PDF bytes with WeasyPrint.

WeasyPrint logs a warning when it has to draw a `.notdef` glyph (a character no font
has); we capture its log while rendering and fail rather than publish an empty box.
The fonts preflight (fonts.py) normally catches such characters first, with file:line.
"""

from __future__ import annotations

import logging

from sitegen.render.pdf.compact import compact_fonts
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
        import weasyprint

        html = self.theme.text(template, v=view)
        logger = logging.getLogger("weasyprint")
        capture = _Capture()
        logger.addHandler(capture)
        try:
            pdf = weasyprint.HTML(
                string=html, base_url=str(self.theme.folders[-1]), url_fetcher=_fetch_nothing()
            ).write_pdf(finisher=compact_fonts)
        finally:
            logger.removeHandler(capture)
        if capture.notdef:
            raise MissingGlyphError(f"{view.sheet.path}：{capture.notdef[0]}")
        return pdf
