"""Removing what a phone writes into a file about where, when and on what it was made, before
anything is kept. The original bytes are never stored.

Images are decoded and encoded afresh from their pixels alone (turned upright first, as
their EXIF orientation asks), so no EXIF, XMP, IPTC or ICC profile survives. MP3 and Ogg
lose their tags, MP4/3GP/M4A their metadata boxes and timestamps; AMR has no room for any.
A video may still carry metadata inside its streams, so its `metadata_removed` stays False
and the panel is warned."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import mutagen
from mutagen.apev2 import APENoHeaderError
from mutagen.apev2 import delete as delete_ape_tags
from PIL import Image, ImageOps

from storage.media.isobmff import BrokenBoxError, without_metadata
from storage.media.kinds import MediaKind

# 40 megapixels is more than any phone camera; Pillow itself refuses twice that outright.
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
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
            if source.width * source.height > MAX_PIXELS:
                raise UnreadableMediaError("the image has more pixels than any phone takes")
            upright = ImageOps.exif_transpose(source) or source
            pixels = _writable(upright, image_format)
            bare = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise UnreadableMediaError("the image cannot be decoded") from error
    return Cleaned(
        _encoded(bare, image_format), content_type, metadata_removed=True, thumbnail=_thumbnail(bare)
    )


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
    small = image.convert("RGB")
    small.thumbnail(THUMBNAIL_SIZE)
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
