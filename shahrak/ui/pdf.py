"""Typesetting a page of HTML as a PDF with WeasyPrint and the Vazirmatn font: the one setup the
bulletin (reports/pdf.py) and the allocation contract (land/printing.py) share.

The font is read from the files `make assets` installs (settings.VENDOR_DIR/fonts/ttf); nothing is
fetched from the network (only file: URLs, no redirects). WeasyPrint shapes Persian, sets it right
to left and numbers the pages in Persian digits (`counter(page, persian)`). A template includes
"ui/pdf_fonts.html" inside its <style> with `fonts` (FONT_URI) in its context.
"""

from pathlib import Path

from django.conf import settings

FONT_DIR = Path(settings.VENDOR_DIR) / "fonts" / "ttf"
FONT_URI = FONT_DIR.as_uri()


class FontMissing(RuntimeError):
    pass


def typeset(html: str):
    """The HTML laid out in pages (a WeasyPrint Document): what write_pdf prints."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    if not (FONT_DIR / "Vazirmatn-Regular.ttf").exists():
        raise FontMissing(f"the Vazirmatn font is not installed in {FONT_DIR}: run `make assets`")
    fetcher = URLFetcher(allowed_protocols=["file"], allow_redirects=False)
    return HTML(string=html, base_url=FONT_URI + "/", url_fetcher=fetcher).render()


def embedded_fonts(document) -> list[str]:
    """The names of the fonts a typeset document embeds, so that a silent fallback to another font
    (which would print Persian without its letters joined, or as boxes) can be caught."""
    return sorted({font.name.decode().lstrip("/").split("+", 1)[-1] for font in document.fonts.values()})


def write_pdf(html: str, target, **options) -> list[str]:
    """Write the HTML as PDF to a path or a binary file object (options go to WeasyPrint); returns
    the fonts embedded."""
    document = typeset(html)
    document.write_pdf(target, **options)
    return embedded_fonts(document)
