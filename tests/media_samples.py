"""Files as phones make them, metadata and all, built here byte by byte or with Pillow and
mutagen, for the media tests."""

from __future__ import annotations

import io
import struct

from mutagen.id3 import ID3, TIT2
from mutagen.ogg import OggPage
from PIL import Image

# Written into every sample's metadata: found anywhere after cleaning, metadata leaked.
GPS_DATUM = "KAMUKUNJI-GPS-DATUM"
PHONE_MODEL = "Tecno Spark 20 Pro"
PLACE = b"-01.2833+036.8500/"
ELF_EXECUTABLE = b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"\x90" * 4000


def jpeg_with_gps(size: tuple[int, int] = (64, 32), rotated: bool = True) -> bytes:
    """A JPEG whose EXIF holds a GPS position (Eastleigh), the phone's make and model, the
    time it was taken and an orientation: turn it a quarter to stand it upright."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "Tecno"
    exif[0x0110] = PHONE_MODEL
    exif[0x0132] = "2026:11:28 21:14:03"
    if rotated:
        exif[0x0112] = 6
    exif[0x8825] = {1: "S", 2: (1.0, 17.0, 0.0), 3: "E", 4: (36.0, 51.0, 0.0), 0x12: GPS_DATUM}
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif.tobytes(), quality=95)
    return output.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", f"{PHONE_MODEL} {GPS_DATUM}")
    output = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 128, 0, 255)).save(output, "PNG", pnginfo=info)
    return output.getvalue()


def mp3_with_tags() -> bytes:
    frame = bytes([0xFF, 0xFB, 0x90, 0x64]) + bytes(413)
    output = io.BytesIO(frame * 40)
    tags = ID3()
    tags.add(TIT2(encoding=3, text=f"Recorded on {PHONE_MODEL} at {GPS_DATUM}"))
    tags.save(output)
    return output.getvalue()


def opus_voice_note() -> bytes:
    """An Ogg Opus voice note (as WhatsApp sends them) whose comments name the place."""
    head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", 312, 48000, 0, 0)
    vendor, comment = b"libopus 1.4", f"LOCATION={GPS_DATUM}".encode()
    tags = b"OpusTags" + _counted(vendor) + struct.pack("<I", 1) + _counted(comment)
    pages = []
    for sequence, (packet, position) in enumerate([(head, 0), (tags, 0), (b"\xf8\xff\xfe" * 20, 960)]):
        page = OggPage()
        page.serial, page.sequence, page.position, page.packets = 7, sequence, position, [packet]
        page.first, page.last = sequence == 0, sequence == 2
        pages.append(page.write())
    return b"".join(pages)


def mp4_with_place(brand: bytes = b"isom") -> bytes:
    """An MP4 as an Android phone writes it: the place as `©xyz` in the movie's user data,
    creation times in the movie, track and media headers."""
    created = struct.pack(">II", 3_900_000_000, 3_900_000_001)
    mvhd = _box(b"mvhd", bytes(4) + created + bytes(88))
    tkhd = _box(b"tkhd", bytes(4) + created + bytes(72))
    mdhd = _box(b"mdhd", bytes(4) + created + bytes(12))
    trak = _box(b"trak", tkhd + _box(b"mdia", mdhd))
    udta = _box(b"udta", _box(b"\xa9xyz", struct.pack(">HH", len(PLACE), 0x15C7) + PLACE))
    moov = _box(b"moov", mvhd + trak + udta)
    return _box(b"ftyp", brand + bytes(4) + brand) + moov + _box(b"mdat", b"\x00\x00\x01\xb3" * 64)


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _counted(value: bytes) -> bytes:
    return struct.pack("<I", len(value)) + value
