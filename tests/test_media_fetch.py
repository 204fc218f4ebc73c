"""A media host that trickles or never finishes cannot hold a fetch past its deadline, and an
attempt cut short (the job killed, the worker gone) still counts: after the last one the
attachment fails and the resident is told."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from rq.timeouts import JobTimeoutException

from storage.media.fetching import ATTEMPTS
from storage.models import utcnow
from storage.settings import TwilioSettings
from tests.fixtures.media import TWILIO_ACCOUNT
from tests.fixtures.stand_ins import QuietHandler, serving
from tests.helpers import attachments, reference_in, texts_sent
from tests.media_samples import jpeg_with_gps
from tests.test_media_intake import PHOTO
from workers import media
from workers.media import sweep_attachments
from workers.twilio_media import MediaUnavailableError, TwilioMedia, download

MESSAGE = "MM" + "a" * 32
MEDIA = "ME" + "b" * 32


@pytest.fixture
def trickling_host() -> Iterator[str]:
    """A host that promises a megabyte, sends a byte every tenth of a second, and hangs up
    after ten seconds."""
    done = threading.Event()

    class Trickle(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802  (http.server names it)
            self.send_response(200)
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            for _ in range(100):
                if done.wait(0.1):
                    return
                self.wfile.write(b"\xff")
                self.wfile.flush()

    with serving(Trickle) as url:
        yield url
        done.set()


def test_a_host_trickling_a_byte_at_a_time_is_given_up_at_the_deadline(trickling_host):
    host = trickling_host.removeprefix("http://")
    twilio = TwilioSettings(TWILIO_ACCOUNT, "token", None, None, None, media_hosts=(host,))
    url = f"{trickling_host}/2010-04-01/Accounts/{TWILIO_ACCOUNT}/Messages/{MESSAGE}/Media/{MEDIA}"
    started = time.monotonic()

    with pytest.raises(MediaUnavailableError, match="too slow"):
        download(TwilioMedia(url, MESSAGE, MEDIA), twilio, 10_000_000, started + 1.5)

    assert time.monotonic() - started < 3


def test_an_attempt_cut_short_by_a_killed_job_counts_and_the_last_one_tells_the_resident(
    send_media, run_jobs, runtime, twilio_api, monkeypatch
):
    fetches: list[str] = []

    def killed_mid_fetch(*args: object) -> bytes:
        fetches.append("fetch")
        raise JobTimeoutException("RQ stopped the job")

    monkeypatch.setattr(media, "download", killed_mid_fetch)
    ref = reference_in(send_media(PHOTO, body="A photo of what happened").text)
    run_jobs()
    assert attachments(runtime)[0].attempts == 1

    for later in range(1, ATTEMPTS + 1):
        with time_machine.travel(utcnow() + timedelta(hours=2 * later)):
            assert sweep_attachments() == 1
            run_jobs()

    [attachment] = attachments(runtime)
    assert (attachment.state, attachment.reason) == ("failed", "fetch_failed")
    assert len(fetches) == ATTEMPTS
    assert f"Sauti {ref}: a file you sent could not be received." in "\n".join(texts_sent(twilio_api))


def test_a_job_starts_no_fetch_once_its_time_is_spent(send_media, runtime, monkeypatch):
    send_media(PHOTO, PHOTO, PHOTO)
    ids = [str(attachment.id) for attachment in attachments(runtime)]
    monkeypatch.setattr(media, "JOB_SECONDS", 0)

    assert media.fetch_attachments(ids) == {"left_for_the_sweeper": 3}
    assert [attachment.attempts for attachment in attachments(runtime)] == [0, 0, 0]


def test_a_slow_fetch_ends_with_the_jobs_time(send_media, runtime, monkeypatch):
    deadlines: list[float] = []

    def note_deadline(media_item: object, twilio: object, limit: int, deadline: float) -> bytes:
        deadlines.append(deadline - time.monotonic())
        return jpeg_with_gps()

    monkeypatch.setattr(media, "download", note_deadline)
    monkeypatch.setattr(media, "JOB_SECONDS", 20)
    send_media(PHOTO)

    media.fetch_attachments([str(attachments(runtime)[0].id)])

    assert 10 < deadlines[0] <= 20
