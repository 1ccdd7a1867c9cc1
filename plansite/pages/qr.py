"""The QR code printed on a page: its address, so a paper copy leads back to the site (shown only in print)."""
from __future__ import annotations

QR_ERROR = "m"  # 15 % of the code may be damaged (a fold or a stain on paper) and it still scans


def draw_qr(url: str) -> bytes:
    """An inline SVG QR code of `url`, titled for screen readers."""
    import segno  # only when a code is drawn: a build with every code cached never imports it

    svg = segno.make(url, error=QR_ERROR).svg_inline(scale=3, title=f"本页网址二维码：{url}")
    return svg.encode("utf-8")
