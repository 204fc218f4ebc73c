"""A small file that decodes to a huge picture cannot run the worker out of memory: cleaning
one image holds it once (twice while it is turned upright), and its pixels are capped."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from storage.media.kinds import MediaKind
from storage.media.stripping import MAX_PIXELS, clean
from tests.media_samples import GPS_DATUM, PHONE_MODEL, jpeg_with_gps
from tests.processes import PROJECT

# The worker's budget is 250 MB in all; one image may add this much to what it holds at rest.
GROWTH_BOUND_MB = 80

# Cleans the file named in a process of its own; prints what that added to the peak RSS.
CLEAN_AND_MEASURE = """
import resource, sys
from contextlib import suppress
from pathlib import Path
from storage.media.kinds import MediaKind
from storage.media.stripping import UnreadableMediaError, clean

data = Path(sys.argv[1]).read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
# Refusing the image is as good an outcome as cleaning it: what is measured is the memory.
with suppress(UnreadableMediaError):
    clean(data, MediaKind(sys.argv[2]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def one_colour_png(side: int, mode: str = "RGBA") -> bytes:
    output = io.BytesIO()
    Image.new(mode, (side, side), "red").save(output, "PNG")
    return output.getvalue()


def growth_mb(tmp_path: Path, data: bytes, content_type: str) -> float:
    path = tmp_path / "sent"
    path.write_bytes(data)
    command = [sys.executable, "-c", CLEAN_AND_MEASURE, str(path), content_type]
    finished = subprocess.run(command, cwd=PROJECT, capture_output=True, check=True, timeout=120)
    return int(finished.stdout) / 1024


@pytest.mark.parametrize(
    ("sent", "content_type"),
    [
        pytest.param(lambda: one_colour_png(6300), "image/png", id="a 165 KB png of 6300x6300"),
        pytest.param(lambda: one_colour_png(2800), "image/png", id="a png just within the cap"),
        pytest.param(lambda: jpeg_with_gps(size=(3264, 2448)), "image/jpeg", id="an 8 MP photo to turn"),
    ],
)
def test_cleaning_one_image_adds_little_to_the_workers_memory(
    tmp_path: Path, sent: Callable[[], bytes], content_type: str
):
    assert growth_mb(tmp_path, sent(), content_type) < GROWTH_BOUND_MB


def test_a_photo_with_more_pixels_than_the_cap_is_kept_smaller_and_without_exif():
    original = jpeg_with_gps(size=(4032, 3024), rotated=False)
    assert MAX_PIXELS < 4032 * 3024

    cleaned = clean(original, MediaKind("image/jpeg"))

    image = Image.open(io.BytesIO(cleaned.content))
    assert image.size == (2016, 1512)
    assert not image.getexif()
    assert PHONE_MODEL.encode() not in cleaned.content
    assert GPS_DATUM.encode() not in cleaned.content
