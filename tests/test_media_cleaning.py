"""What a phone writes into a file about where, when and on what it was made is gone before the
file is kept; a file is known by its bytes, not by the type its sender declared."""

from __future__ import annotations

import io
import struct

import mutagen
import pytest
from PIL import Image

from storage.media.isobmff import without_metadata
from storage.media.kinds import MediaKind, sniff
from storage.media.stripping import MAX_PIXELS, UnreadableMediaError, clean
from tests.media_samples import (
    ELF_EXECUTABLE,
    GPS_DATUM,
    PHONE_MODEL,
    PLACE,
    jpeg_with_gps,
    mp3_with_tags,
    mp4_with_place,
    opus_voice_note,
    png_with_text,
)


def test_a_photo_is_stood_upright_and_kept_without_exif():
    original = jpeg_with_gps(size=(64, 32))

    cleaned = clean(original, MediaKind("image/jpeg"))

    image = Image.open(io.BytesIO(cleaned.content))
    assert image.size == (32, 64)
    assert not image.getexif()
    assert not {"exif", "xmp", "icc_profile"} & set(image.info)
    assert PHONE_MODEL.encode() not in cleaned.content
    assert GPS_DATUM.encode() not in cleaned.content
    assert cleaned.metadata_removed


def test_a_photo_gets_a_small_thumbnail_without_exif():
    cleaned = clean(jpeg_with_gps(size=(1200, 800)), MediaKind("image/jpeg"))

    thumbnail = Image.open(io.BytesIO(cleaned.thumbnail or b""))
    assert max(thumbnail.size) == 320
    assert not thumbnail.getexif()


def test_a_png_loses_its_text_chunks():
    cleaned = clean(png_with_text(), MediaKind("image/png"))

    assert GPS_DATUM.encode() not in cleaned.content
    assert Image.open(io.BytesIO(cleaned.content)).mode == "RGBA"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_with_more_pixels_than_any_phone_takes_is_refused():
    output = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(output, "PNG")
    assert MAX_PIXELS < 10_000 * 5_000

    with pytest.raises(UnreadableMediaError):
        clean(output.getvalue(), MediaKind("image/png"))


def test_bytes_that_begin_like_a_jpeg_but_are_not_one_are_unreadable():
    with pytest.raises(UnreadableMediaError):
        clean(b"\xff\xd8\xff\xe0" + bytes(200), MediaKind("image/jpeg"))


def test_an_mp3_loses_its_id3_tags_and_keeps_its_sound():
    original = mp3_with_tags()

    cleaned = clean(original, MediaKind("audio/mpeg"))

    assert GPS_DATUM.encode() not in cleaned.content
    assert cleaned.content.endswith(original[-417:])
    assert cleaned.metadata_removed


def test_a_voice_note_loses_its_comments():
    cleaned = clean(opus_voice_note(), MediaKind("audio/ogg"))

    assert GPS_DATUM.encode() not in cleaned.content
    assert not mutagen.File(io.BytesIO(cleaned.content)).tags


def test_a_video_loses_its_place_and_times_but_keeps_its_size_and_warns():
    original = mp4_with_place()

    cleaned = clean(original, MediaKind("video/mp4"))

    assert PLACE not in cleaned.content
    assert len(cleaned.content) == len(original)
    assert b"udta" not in cleaned.content
    assert b"free" in cleaned.content
    assert struct.pack(">II", 3_900_000_000, 3_900_000_001) not in cleaned.content
    assert cleaned.content.endswith(original[-256:])
    assert not cleaned.metadata_removed


def test_an_m4a_voice_note_counts_as_cleaned():
    assert clean(mp4_with_place(b"M4A "), MediaKind("audio/mp4")).metadata_removed


def test_an_iso_media_file_with_a_box_larger_than_itself_is_unreadable():
    broken = mp4_with_place()[:-100]

    with pytest.raises(UnreadableMediaError):
        clean(broken, MediaKind("video/mp4"))


def test_a_file_is_known_by_its_bytes_not_its_declared_type():
    assert sniff(jpeg_with_gps()[:16], "audio/ogg") == MediaKind("image/jpeg")
    assert sniff(opus_voice_note()[:16], "image/jpeg") == MediaKind("audio/ogg")
    assert sniff(ELF_EXECUTABLE[:16], "image/jpeg") is None
    assert sniff(b"%PDF-1.7\n" + bytes(8), "image/png") is None


def test_an_mp4_or_3gp_file_is_sound_when_sent_as_a_voice_note():
    assert sniff(mp4_with_place(b"3gp4")[:16], "audio/3gpp") == MediaKind("audio/3gpp")
    assert sniff(mp4_with_place(b"3gp4")[:16], "video/3gpp") == MediaKind("video/3gpp")
    assert sniff(mp4_with_place(b"M4A ")[:16], "audio/mp4") == MediaKind("audio/mp4")
    assert sniff(mp4_with_place()[:16], "video/mp4") == MediaKind("video/mp4")


def test_clearing_metadata_boxes_twice_changes_nothing_more():
    once = without_metadata(mp4_with_place())

    assert without_metadata(once) == once
