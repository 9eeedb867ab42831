"""QR codes drawn here as inline SVG (the ``qrcode`` package, pure Python): nothing leaves the machine."""
from __future__ import annotations

import io

import qrcode
import qrcode.constants
import qrcode.image.svg
from markupsafe import Markup


def svg(text: str) -> Markup:
    """An ``<svg>`` element (no XML declaration) drawing ``text``; size it with CSS."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(text)
    out = io.BytesIO()
    code.make_image().save(out)
    body = out.getvalue().decode("utf-8")
    return Markup(body[body.index("<svg"):])
