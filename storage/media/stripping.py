"""Removing what a phone writes into a file about where, when and on what it was made, before
anything is kept. The original bytes are never stored.

Images are decoded and encoded afresh from their pixels alone (turned upright first, as
their EXIF orientation asks): Pillow writes only the metadata it is handed, and it is handed
none, so no EXIF, XMP, IPTC, comment or ICC profile survives. An image is held in memory once
(twice for a moment while it is turned), so its pixels are capped: a JPEG with more is decoded
at a half, a quarter or an eighth of its size, any other image with more is refused. MP3 and Ogg
lose their tags, MP4/3GP/M4A their metadata boxes and timestamps; AMR has no room for any.
A video may still carry metadata inside its streams, so its `metadata_removed` stays False
and the panel is warned."""

from __future__ import annotations

import contextlib
import io
import math
from dataclasses import dataclass

import mutagen
from mutagen.apev2 import APENoHeaderError
from mutagen.apev2 import delete as delete_ape_tags
from PIL import Image, ImageOps

from storage.media.isobmff import BrokenBoxError, without_metadata
from storage.media.kinds import MediaKind

# At 4 bytes a pixel, 8 megapixels are 32 MB, 64 MB while turned upright: the worker's
# memory budget holds that. (WhatsApp sends photos of at most 4096 pixels a side, which a
# JPEG keeps at half that.)
MAX_PIXELS = 8_000_000
JPEG_SCALES = (1, 2, 4, 8)
# Pillow refuses outright what could not fit even at the smallest scale.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS * JPEG_SCALES[-1] ** 2 // 2
THUMBNAIL_SIZE = (320, 320)
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# The pixel modes each format is written in; any other is converted to the first.
WRITABLE_MODES = {"JPEG": ("RGB", "L"), "PNG": ("RGBA", "RGB", "LA", "L"), "WEBP": ("RGBA", "RGB")}
TAGGED_AUDIO = ("audio/mpeg", "audio/ogg")
ISO_MEDIA = ("audio/mp4", "audio/3gpp", "video/mp4", "video/3gpp")


class UnreadableMediaError(ValueError):
    """The bytes begin like a kind Sauti keeps but cannot be read as one."""


@dataclass(frozen=True)
class Cleaned:
    """What is kept of a file: its bytes without metadata, and a small JPEG of an image."""

    content: bytes
    content_type: str
    metadata_removed: bool
    thumbnail: bytes | None = None


def clean(data: bytes, kind: MediaKind) -> Cleaned:
    """The file as it may be kept; raises UnreadableMediaError when it cannot be read."""
    if kind.content_type in IMAGE_FORMATS:
        return _clean_image(data, IMAGE_FORMATS[kind.content_type], kind.content_type)
    if kind.content_type in TAGGED_AUDIO:
        return Cleaned(_without_tags(data), kind.content_type, metadata_removed=True)
    if kind.content_type in ISO_MEDIA:
        try:
            content = without_metadata(data)
        except BrokenBoxError as error:
            raise UnreadableMediaError(str(error)) from error
        return Cleaned(content, kind.content_type, metadata_removed=kind.family == "audio")
    if kind.content_type == "audio/amr":
        return Cleaned(data, kind.content_type, metadata_removed=True)
    raise UnreadableMediaError(f"no way to clean {kind.content_type}")


def _clean_image(data: bytes, image_format: str, content_type: str) -> Cleaned:
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as source:
            if image_format == "JPEG":
                _decode_within_limit(source)
            if source.width * source.height > MAX_PIXELS:
                raise UnreadableMediaError("the image has more pixels than any phone takes")
            ImageOps.exif_transpose(source, in_place=True)
            bare = _writable(source, image_format)
            bare.info = {}
            content = _encoded(bare, image_format)
            return Cleaned(content, content_type, metadata_removed=True, thumbnail=_thumbnail(bare))
    except UnreadableMediaError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise UnreadableMediaError("the image cannot be decoded") from error


def _decode_within_limit(jpeg: Image.Image) -> None:
    """Have a JPEG with more than MAX_PIXELS decoded at the largest scale within it."""
    pixels = jpeg.width * jpeg.height
    scale = next((s for s in JPEG_SCALES if pixels / s**2 <= MAX_PIXELS), JPEG_SCALES[-1])
    if scale > 1:
        jpeg.draft(jpeg.mode, (math.ceil(jpeg.width / scale), math.ceil(jpeg.height / scale)))


def _writable(image: Image.Image, image_format: str) -> Image.Image:
    modes = WRITABLE_MODES[image_format]
    return image if image.mode in modes else image.convert(modes[0])


def _encoded(image: Image.Image, image_format: str) -> bytes:
    output = io.BytesIO()
    if image_format == "PNG":
        image.save(output, image_format)
    else:
        image.save(output, image_format, quality=90)
    return output.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    """A small JPEG of the image, which is itself made small in place: no second copy of it is
    ever made at full size."""
    if image.mode in ("RGBA", "LA"):
        # Resampling with transparency first copies the whole image (premultiplied); picking
        # every so many pixels, down to a few times the thumbnail's size, does not.
        image.thumbnail((4 * THUMBNAIL_SIZE[0], 4 * THUMBNAIL_SIZE[1]), Image.Resampling.NEAREST)
    image.thumbnail(THUMBNAIL_SIZE)
    small = image.convert("RGB")
    output = io.BytesIO()
    small.save(output, "JPEG", quality=80)
    return output.getvalue()


def _without_tags(data: bytes) -> bytes:
    """MP3 without ID3 and APE tags, Ogg without its comments (the encoder's name stays)."""
    buffer = io.BytesIO(data)
    try:
        audio = mutagen.File(buffer)
        if audio is None:
            raise UnreadableMediaError("the sound file cannot be read")
        buffer.seek(0)
        audio.delete(buffer)
        buffer.seek(0)
        with contextlib.suppress(APENoHeaderError):
            delete_ape_tags(buffer)
    except mutagen.MutagenError as error:
        raise UnreadableMediaError("the sound file cannot be read") from error
    return buffer.getvalue()
