"""Sealed at rest: a photo is kept only as ciphertext under its report's data key, in the
database or in files only their owner can read; without that key it is unreadable, and
retention can erase it altogether."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import event, update

from app.context import runtime_of
from storage import Report
from storage.crypto import DecryptionError
from storage.crypto.sealing import report_key
from storage.media import vault
from storage.models import Attachment
from tests.fixtures.media import MediaFile, send_mms_with
from tests.helpers import attachments, count
from tests.media_samples import GPS_DATUM, PHONE_MODEL, jpeg_with_gps
from tests.test_anonymity import database_dump
from workers.runtime import Runtime

ORIGINAL = jpeg_with_gps(size=(640, 480))
PHOTO = MediaFile(ORIGINAL, "image/jpeg")


def leaks(text: bytes | str) -> list[str]:
    """What of the original photo or its metadata shows in `text`."""
    haystack = text.decode("latin-1") if isinstance(text, bytes) else text
    needles = {
        "GPS tag": GPS_DATUM,
        "phone model": PHONE_MODEL,
        "photo's first bytes": ORIGINAL[:400].decode("latin-1"),
        "photo's last bytes": ORIGINAL[-400:].decode("latin-1"),
    }
    return [name for name, needle in needles.items() if needle in haystack]


@pytest.fixture
def media_folder(app_config) -> Path:
    return Path(app_config["SAUTI_INSTANCE_PATH"]) / "media"


@pytest.fixture
def filed_runtime(make_app, app, media_folder, media_shelf, run_jobs) -> Runtime:
    """An app that keeps media in files under the instance's media folder, after a photo with
    GPS EXIF came through its signed webhook and the workers handled it."""
    filing = make_app(SAUTI_MEDIA_PATH=str(media_folder))
    sid = "MM" + "9" * 32
    send_mms_with(filing.test_client(), "", [(media_shelf.media_url(sid, PHOTO), "image/jpeg")], sid=sid)
    run_jobs(runtime_of(filing))
    return runtime_of(filing)


def test_a_photo_kept_in_the_database_shows_neither_its_bytes_nor_its_gps(
    send_media, run_jobs, runtime, media_folder
):
    send_media(PHOTO)

    run_jobs()

    [attachment] = attachments(runtime)
    assert attachment.state == "stored"
    assert attachment.content is not None
    assert leaks(database_dump(runtime)) == []
    assert not media_folder.exists()


def test_a_photo_kept_in_files_shows_neither_its_bytes_nor_its_gps_on_disk(filed_runtime, media_folder):
    [attachment] = attachments(filed_runtime)
    files = sorted(media_folder.iterdir())

    assert [path.name for path in files] == [f"{attachment.id}.content", f"{attachment.id}.thumbnail"]
    assert [stat.S_IMODE(path.stat().st_mode) for path in files] == [0o600, 0o600]
    assert [leaks(path.read_bytes()) for path in files] == [[], []]
    assert (attachment.in_files, attachment.content) == (True, None)
    assert leaks(database_dump(filed_runtime)) == []


def test_a_photo_kept_in_files_opens_with_its_reports_key_and_carries_no_exif(filed_runtime, media_folder):
    image = Image.open(io.BytesIO(read_content(filed_runtime, media_folder)))

    assert image.format == "JPEG"
    assert not image.getexif()


def test_without_its_reports_data_key_an_attachment_is_unreadable(filed_runtime, media_folder):
    with filed_runtime.store.transaction() as session:
        session.execute(update(Report).values(wrapped_key=None, key_id=None))

    with pytest.raises(DecryptionError):
        read_content(filed_runtime, media_folder)


def test_a_sealed_attachment_moved_to_another_row_fails_to_open(send_media, run_jobs, runtime):
    send_media(PHOTO)
    send_media(MediaFile(jpeg_with_gps(), "image/jpeg"), sender="+254722000111")
    run_jobs()
    first, second = attachments(runtime)
    with runtime.store.transaction() as session:
        session.execute(update(Attachment).where(Attachment.id == second.id).values(content=first.content))

    with runtime.store.transaction() as session:
        moved = session.get_one(Attachment, second.id)
        data_key = report_key_of(runtime, moved)
        with pytest.raises(DecryptionError):
            vault.read(moved, data_key, "content", None)


def test_erasing_a_reports_attachments_removes_their_rows_and_files(filed_runtime, media_folder):
    [attachment] = attachments(filed_runtime)

    with filed_runtime.store.transaction() as session:
        erased = vault.erase_attachments(session, media_folder, attachment.report_id)

    assert erased == 1
    assert count(filed_runtime, Attachment) == 0
    assert list(media_folder.iterdir()) == []
    assert count(filed_runtime, Report) == 1


def test_a_photo_kept_in_files_is_on_disk_for_good_before_the_commit_that_names_it(
    make_app, app, media_folder, media_shelf, run_jobs, monkeypatch
):
    filing = make_app(SAUTI_MEDIA_PATH=str(media_folder))
    events: list[str] = []
    fsync = os.fsync

    def noted_fsync(fd: int) -> None:
        fsync(fd)
        events.append(f"fsync {os.readlink(f'/proc/self/fd/{fd}')}")

    def noted_commit(connection: object) -> None:
        if any(media_folder.glob("*.content")):
            events.append("commit")

    monkeypatch.setattr(os, "fsync", noted_fsync)
    event.listen(runtime_of(filing).store.engine, "commit", noted_commit)
    sid = "MM" + "8" * 32
    send_mms_with(filing.test_client(), "", [(media_shelf.media_url(sid, PHOTO), "image/jpeg")], sid=sid)

    run_jobs(runtime_of(filing))

    before = events[: events.index("commit")]
    [attachment] = attachments(runtime_of(filing))
    for part in vault.PARTS:
        assert any(e.startswith(f"fsync {media_folder}/.{attachment.id}.{part}.") for e in before), part
    assert before[-1] == f"fsync {media_folder}"


def read_content(runtime: Runtime, media_folder: Path) -> bytes:
    [attachment] = attachments(runtime)
    with runtime.store.transaction() as session:
        stored = session.get_one(Attachment, attachment.id)
        return vault.read(stored, report_key_of(runtime, stored), "content", media_folder)


def report_key_of(runtime: Runtime, attachment: Attachment) -> bytes:
    return report_key(runtime.store.keys, attachment.report)
