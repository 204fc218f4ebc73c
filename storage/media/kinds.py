"""Which media Sauti keeps, told by the bytes themselves: a file's first bytes (its magic
number) say what it is, whatever type the gateway declared."""

from __future__ import annotations

from dataclasses import dataclass

MAX_MEDIA_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 16

# What a gateway may declare for media Sauti keeps; anything else is not fetched at all.
ACCEPTED_DECLARED_TYPES = frozenset(
    {
        "image/jpeg",
        "image/jpg",
        "image/png",
        "image/webp",
        "video/mp4",
        "video/3gpp",
        "audio/ogg",
        "audio/amr",
        "audio/mpeg",
        "audio/mp3",
        "audio/mp4",
        "audio/m4a",
        "audio/x-m4a",
        "audio/3gpp",
    }
)
# ISO base media files name their flavour in the `ftyp` box: these are 3GP; M4A names audio.
THREE_GP_BRANDS = (b"3gp", b"3g2")
AUDIO_MP4_BRANDS = (b"M4A ", b"M4B ")


@dataclass(frozen=True)
class MediaKind:
    """What a file is: its content type and family (image, audio or video)."""

    content_type: str

    @property
    def family(self) -> str:
        return family_of(self.content_type)


def family_of(content_type: str) -> str:
    """`image`, `audio`, `video`, or `file` for anything else."""
    major = bare_type(content_type).partition("/")[0]
    return major if major in ("image", "audio", "video") else "file"


def bare_type(content_type: str) -> str:
    """The type without parameters, lower case: "audio/ogg; codecs=opus" is "audio/ogg"."""
    return content_type.partition(";")[0].strip().lower()


def declared_acceptable(declared_type: str) -> bool:
    return bare_type(declared_type) in ACCEPTED_DECLARED_TYPES


def sniff(head: bytes, declared_type: str) -> MediaKind | None:
    """The kind of media these first bytes begin, or None when it is not one Sauti keeps.

    The declared type only settles what the bytes leave open: an MP4 or 3GP file may hold
    sound alone (a voice note) or pictures."""
    if head.startswith(b"\xff\xd8\xff"):
        return MediaKind("image/jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaKind("image/png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return MediaKind("image/webp")
    if head.startswith(b"OggS"):
        return MediaKind("audio/ogg")
    if head.startswith(b"#!AMR"):
        return MediaKind("audio/amr")
    if head.startswith(b"ID3") or _mpeg_audio_frame(head):
        return MediaKind("audio/mpeg")
    if head[4:8] == b"ftyp":
        return _iso_media(head[8:12], sound_only=family_of(declared_type) == "audio")
    return None


def _iso_media(brand: bytes, *, sound_only: bool) -> MediaKind:
    if brand in AUDIO_MP4_BRANDS:
        return MediaKind("audio/mp4")
    three_gp = brand[:3] in THREE_GP_BRANDS
    if sound_only:
        return MediaKind("audio/3gpp" if three_gp else "audio/mp4")
    return MediaKind("video/3gpp" if three_gp else "video/mp4")


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio frame header: eleven sync bits, then a layer that is not "reserved"."""
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06 != 0
