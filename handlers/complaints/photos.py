"""Check a photo, read its GPS, strip every metadata field, make a thumbnail.

The stored image is re-encoded from pixels only (JPEG, no EXIF, XMP, ICC or
comments), after the EXIF orientation was applied, so nothing the camera
wrote survives.  Large JPEGs are decoded at a reduced DCT scale (``draft``)
when the stored size allows: a 12-megapixel photo takes well under 300 ms.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: multi-picture JPEG from some phones
try:  # HEIC when pillow-heif is installed
    from pillow_heif import register_heif_opener  # type: ignore

    register_heif_opener()
    ALLOWED_FORMATS.add("HEIF")
except ImportError:  # pragma: no cover - optional
    pass

GPS_IFD = 0x8825
ORIENTATION = 0x0112


class PhotoError(ValueError):
    """Not an acceptable image (the message says why, in Chinese, for staff)."""


@dataclass(frozen=True)
class ProcessedPhoto:
    data: bytes  # JPEG without metadata
    thumb: bytes  # JPEG without metadata
    width: int
    height: int
    source_format: str
    gps: tuple[float, float] | None  # (lat, lng) read before stripping
    content_type: str = "image/jpeg"


def process(data: bytes, *, max_bytes: int = 20 * 1024 * 1024, max_pixels: int = 60_000_000,
            max_side: int = 2048, thumb_side: int = 400, quality: int = 85) -> ProcessedPhoto:
    """Validate and clean one photo.  Raises PhotoError."""
    if not data:
        raise PhotoError("空文件")
    if len(data) > max_bytes:
        raise PhotoError(f"文件过大（{len(data) // 1024 // 1024} MB）")
    fmt = _verify(data, max_pixels)
    im = Image.open(io.BytesIO(data))  # not closed: close() would drop the decoded pixels we keep
    exif = im.getexif()
    gps, orientation = read_gps(exif), exif.get(ORIENTATION, 1)
    pixels = _orient(_decode(im, max_side), orientation)
    pixels = _flatten(pixels)
    if max(pixels.size) > max_side:
        pixels.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    thumb = pixels.copy()
    thumb.thumbnail((thumb_side, thumb_side), Image.Resampling.BICUBIC, reducing_gap=2.0)
    return ProcessedPhoto(data=_encode(pixels, quality), thumb=_encode(thumb, 80), width=pixels.width,
                          height=pixels.height, source_format=fmt, gps=gps)


def _verify(data: bytes, max_pixels: int) -> str:
    """The format, once the file is known to be a whole image of an allowed kind and size."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or ""
                if fmt not in ALLOWED_FORMATS:
                    raise PhotoError(f"不支持的图片格式：{fmt or '未知'}")
                if probe.width * probe.height > max_pixels or min(probe.size) < 1:
                    raise PhotoError(f"图片像素过多（{probe.width}×{probe.height}）")
                probe.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoError("图片像素过多") from exc
        except UnidentifiedImageError as exc:
            raise PhotoError("不是有效的图片") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            if isinstance(exc, PhotoError):
                raise
            raise PhotoError("图片文件已损坏") from exc
    return "JPEG" if fmt == "MPO" else fmt


def _decode(im: Image.Image, max_side: int) -> Image.Image:
    if im.format in ("JPEG", "MPO"):
        # Largest DCT reduction that still leaves at least ~3/4 of the stored size.
        long_side = max(im.size)
        scale = next((s for s in (8, 4, 2) if long_side / s >= max_side * 0.75), 1)
        if scale > 1:
            im.draft("RGB", (im.width // scale, im.height // scale))
    try:
        im.load()
    except (OSError, ValueError) as exc:
        raise PhotoError("图片文件已损坏") from exc
    return im


def _orient(im: Image.Image, orientation: int) -> Image.Image:
    method = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}.get(orientation)
    return im.transpose(method) if method else im


def _flatten(im: Image.Image) -> Image.Image:
    """RGB pixels only: transparency on white, palettes and CMYK converted."""
    if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, "white")
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return im if im.mode == "RGB" else im.convert("RGB")


def _encode(im: Image.Image, quality: int) -> bytes:
    # Pillow carries some fields over from ``info`` (comment, ICC, DPI): empty it, and say no EXIF.
    im.info = {}
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, optimize=False, progressive=False, exif=b"")
    return out.getvalue()


def read_gps(exif: Image.Exif) -> tuple[float, float] | None:
    """(lat, lng) in degrees from the EXIF GPS block, or None."""
    try:
        gps = exif.get_ifd(GPS_IFD)
    except (KeyError, ValueError, TypeError):
        return None
    try:
        lat = _degrees(gps[2], gps.get(1, "N"), "S")
        lng = _degrees(gps[4], gps.get(3, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or (lat == 0 and lng == 0):
        return None
    return round(lat, 7), round(lng, 7)


def _degrees(dms, ref, negative: str) -> float:
    d, m, s = (float(x) for x in dms)
    value = d + m / 60 + s / 3600
    ref = ref.decode() if isinstance(ref, bytes) else str(ref)
    return -value if ref.strip().upper().startswith(negative) else value
