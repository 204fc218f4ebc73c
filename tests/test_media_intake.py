"""A resident sends a photo, voice note or video by MMS or WhatsApp: the report and its media
are stored at once, the worker fetches each file from Twilio's media host only, keeps it
cleaned and sealed (or says why not), tells the resident, and deletes Twilio's copy."""

from __future__ import annotations

from datetime import timedelta
from http.server import BaseHTTPRequestHandler

import pytest
import time_machine
from sqlalchemy import event, update

from app.context import runtime_of
from storage import Message, Report
from storage.media.fetching import ATTEMPTS
from storage.models import Attachment, utcnow
from tests.fixtures.media import TWILIO_ACCOUNT, MediaFile, send_mms_with
from tests.fixtures.stand_ins import QuietHandler, serving
from tests.fixtures.webhooks import twilio_form, twilio_signature
from tests.helpers import (
    attachments,
    count,
    count_commits,
    decrypted_text,
    only_report,
    reference_in,
    report_by_ref,
    texts_sent,
    thread_length,
)
from tests.media_samples import ELF_EXECUTABLE, jpeg_with_gps, opus_voice_note
from tests.test_anonymity import redis_dump
from workers.media import sweep_attachments

PHOTO = MediaFile(jpeg_with_gps(), "image/jpeg")


def test_a_photo_is_stored_with_its_report_and_answered_before_anything_is_fetched(
    send_media, media_shelf, runtime
):
    response = send_media(PHOTO, body="Askari wanampiga mchuuzi Eastleigh sasa hivi")

    assert response.status_code == 200
    ref = reference_in(response.text)
    [attachment] = attachments(runtime)
    assert attachment.state == "pending"
    assert attachment.declared_type == "image/jpeg"
    assert media_shelf.requests == []
    assert decrypted_text(runtime, ref) == "Askari wanampiga mchuuzi Eastleigh sasa hivi"


def test_the_worker_fetches_the_photo_and_tells_the_resident_it_arrived(
    send_media, run_jobs, runtime, twilio_api
):
    ref = reference_in(send_media(PHOTO).text)

    run_jobs()

    [attachment] = attachments(runtime)
    assert (attachment.state, attachment.content_type, attachment.metadata_removed) == (
        "stored",
        "image/jpeg",
        True,
    )
    assert f"Sauti {ref}: your photo arrived." in "\n".join(texts_sent(twilio_api))


def test_a_photo_without_words_is_a_report_whose_text_says_so(send_media, run_jobs, runtime):
    response = send_media(PHOTO)

    ref = reference_in(response.text)
    assert "report received" in response.text
    assert decrypted_text(runtime, ref) == "[photo]"


def test_a_voice_note_without_words_says_so_in_its_text(send_media, runtime):
    ref = reference_in(send_media(MediaFile(opus_voice_note(), "audio/ogg")).text)

    assert decrypted_text(runtime, ref) == "[voice note]"


def test_the_account_credentials_go_to_twilio_only_and_never_to_the_cdn(send_media, run_jobs, media_shelf):
    send_media(PHOTO)

    run_jobs()

    authorizations = {(server, method): auth for server, method, _, auth in media_shelf.requests}
    assert str(authorizations[("api", "GET")]).startswith("Basic ")
    assert authorizations[("cdn", "GET")] is None


def test_the_media_is_deleted_at_the_gateway_after_the_fetch(send_media, run_jobs, media_shelf, runtime):
    send_media(PHOTO)

    run_jobs()

    [deleted] = media_shelf.deleted
    assert media_shelf.files == {}
    [delete] = [path for _, method, path, _ in media_shelf.requests if method == "DELETE"]
    assert delete.startswith(f"/2010-04-01/Accounts/{TWILIO_ACCOUNT}/Messages/MM")
    assert delete.endswith(f"/Media/{deleted}.json")
    [attachment] = attachments(runtime)
    assert attachment.gateway_url is None


def test_a_gateway_copy_that_could_not_be_deleted_is_deleted_when_next_due(
    send_media, run_jobs, runtime, media_shelf
):
    media_shelf.failing_deletes = 1
    send_media(PHOTO)
    run_jobs()
    assert attachments(runtime)[0].gateway_url is not None

    with time_machine.travel(utcnow() + timedelta(minutes=2)):
        sweep_attachments()
        run_jobs()

    assert len(media_shelf.deleted) == 1
    assert attachments(runtime)[0].gateway_url is None
    assert len(media_shelf.fetched()) == 2


def test_media_of_a_report_erased_before_it_was_fetched_is_given_up(
    send_media, run_jobs, runtime, media_shelf
):
    send_media(PHOTO)
    with runtime.store.transaction() as session:
        session.execute(update(Report).values(wrapped_key=None, key_id=None))

    run_jobs()

    [attachment] = attachments(runtime)
    assert (attachment.state, attachment.reason, attachment.next_attempt_at) == ("failed", "erased", None)
    assert media_shelf.requests == []
    assert sweep_attachments() == 0


def test_a_media_url_on_a_host_not_listed_is_never_fetched(client, run_jobs, runtime, twilio_api):
    elsewhere = MediaShelfRecorder()
    with serving(elsewhere.handler()) as url:
        sid = "MM" + "c" * 32
        media_url = f"{url}/2010-04-01/Accounts/{TWILIO_ACCOUNT}/Messages/{sid}/Media/ME{'d' * 32}"
        ref = reference_in(
            send_mms_with(client, "A photo of the officer", [(media_url, "image/jpeg")], sid=sid).text
        )

        run_jobs()

    assert elsewhere.paths == []
    [attachment] = attachments(runtime)
    assert (attachment.state, attachment.reason) == ("not_accepted", "host_not_allowed")
    assert attachment.gateway_url is None
    assert f"Sauti {ref}: a file you sent could not be accepted." in "\n".join(texts_sent(twilio_api))


def test_a_redirect_to_a_host_not_listed_is_not_followed(app, make_app, media_shelf, run_jobs):
    only_the_api = make_app(TWILIO_MEDIA_HOSTS=media_shelf.api_url.removeprefix("http://"))
    sid = "MM" + "e" * 32
    url = media_shelf.media_url(sid, PHOTO)

    send_mms_with(only_the_api.test_client(), "", [(url, "image/jpeg")], sid=sid)
    run_jobs(runtime_of(only_the_api))

    assert media_shelf.fetched("api")
    assert not media_shelf.fetched("cdn")
    [attachment] = attachments(runtime_of(only_the_api))
    assert (attachment.state, attachment.reason) == ("not_accepted", "host_not_allowed")


def test_a_media_url_for_another_message_is_never_fetched(client, media_shelf, run_jobs, runtime):
    url = media_shelf.media_url("MM" + "f" * 32, PHOTO)

    send_mms_with(client, "", [(url, "image/jpeg")], sid="MM" + "0" * 32)
    run_jobs()

    assert media_shelf.requests == []
    assert attachments(runtime)[0].reason == "not_gateway_media"


def test_a_30_mb_file_is_refused_and_the_reporter_told(
    send_media, run_jobs, runtime, twilio_api, media_shelf
):
    thirty_mb = MediaFile(b"\x00\x00\x00\x18ftypmp42" + bytes(30 * 1024 * 1024), "video/mp4")
    ref = reference_in(send_media(thirty_mb, body="A video of what the officers did").text)

    run_jobs()

    [attachment] = attachments(runtime)
    assert (attachment.state, attachment.reason, attachment.size) == ("not_accepted", "too_large", None)
    assert f"Sauti {ref}: a file you sent was not accepted: it is larger than 10 MB." in "\n".join(
        texts_sent(twilio_api)
    )
    assert media_shelf.deleted


def test_a_file_that_does_not_say_its_size_is_cut_off_at_the_limit(send_media, run_jobs, runtime):
    endless = MediaFile(
        b"\x00\x00\x00\x18ftypmp42" + bytes(12 * 1024 * 1024), "video/mp4", declares_length=False
    )
    send_media(endless)

    run_jobs()

    assert attachments(runtime)[0].reason == "too_large"


def test_an_executable_sent_as_a_photo_is_refused_and_the_reporter_told(
    send_media, run_jobs, runtime, twilio_api
):
    ref = reference_in(send_media(MediaFile(ELF_EXECUTABLE, "image/jpeg")).text)

    run_jobs()

    [attachment] = attachments(runtime)
    assert (attachment.state, attachment.reason) == ("not_accepted", "type_not_accepted")
    assert (
        f"Sauti {ref}: a file you sent was not accepted: only photos, voice notes and videos are kept."
        in ("\n".join(texts_sent(twilio_api)))
    )


def test_a_declared_type_sauti_does_not_keep_is_never_fetched_but_deleted_at_the_gateway(
    send_media, run_jobs, runtime, media_shelf
):
    send_media(MediaFile(b"%PDF-1.7\n", "application/pdf"))

    run_jobs()

    assert media_shelf.fetched() == []
    assert media_shelf.deleted
    assert attachments(runtime)[0].reason == "type_not_accepted"


def test_a_fetch_that_fails_is_retried_and_then_reported(
    send_media, run_jobs, runtime, twilio_api, media_shelf
):
    ref = reference_in(
        send_media(MediaFile(b"", "image/jpeg", failing=True), body="A photo of what happened").text
    )
    run_jobs()
    assert attachments(runtime)[0].state == "pending"

    for later in range(1, ATTEMPTS):
        with time_machine.travel(utcnow() + timedelta(hours=2 * later)):
            assert sweep_attachments() == 1
            run_jobs()

    [attachment] = attachments(runtime)
    assert (attachment.state, attachment.reason) == ("failed", "fetch_failed")
    assert len(media_shelf.fetched("api")) == ATTEMPTS
    assert f"Sauti {ref}: a file you sent could not be received." in "\n".join(texts_sent(twilio_api))


def test_a_failed_fetch_waits_before_its_next_attempt(send_media, run_jobs, runtime):
    send_media(MediaFile(b"", "image/jpeg", failing=True))
    run_jobs()

    assert sweep_attachments() == 0
    assert attachments(runtime)[0].attempts == 1


def test_several_files_bring_one_sms_when_all_have_arrived(send_media, run_jobs, runtime, twilio_api):
    ref = reference_in(send_media(PHOTO, MediaFile(opus_voice_note(), "audio/ogg"), body="Look at this").text)

    run_jobs()

    assert [a.state for a in attachments(runtime)] == ["stored", "stored"]
    about_media = [text for text in texts_sent(twilio_api) if "arrived" in text]
    assert len(about_media) == 1
    assert about_media[0].startswith(f"Sauti {ref}: your 2 files arrived.")


def test_a_photo_sent_with_a_reference_joins_that_report(send_sms, send_media, run_jobs, runtime):
    ref = reference_in(send_sms("Askari walichukua simu yangu Eastleigh").text)

    response = send_media(PHOTO, body=ref)

    assert reference_in(response.text) == ref
    assert count(runtime, Report) == 1
    [attachment] = attachments(runtime)
    assert attachment.report_id == report_by_ref(runtime, ref).id
    assert thread_length(runtime, ref) == 2


def test_a_photo_sent_with_stop_is_kept_and_the_number_erased(send_media, run_jobs, runtime):
    response = send_media(PHOTO, body="STOP")

    assert "your number has been erased" in response.text
    run_jobs()
    [attachment] = attachments(runtime)
    assert attachment.state == "stored"
    assert only_report(runtime).reporter.contact is None


def test_a_gateway_retry_of_a_media_message_stores_nothing_twice(client, media_shelf, runtime):
    sid = "MM" + "a" * 32
    url = media_shelf.media_url(sid, PHOTO)

    first = send_mms_with(client, "", [(url, "image/jpeg")], sid=sid)
    retry = send_mms_with(client, "", [(url, "image/jpeg")], sid=sid)

    assert reference_in(first.text) == reference_in(retry.text)
    assert (count(runtime, Report), count(runtime, Message), count(runtime, Attachment)) == (1, 1, 1)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"NumMedia": "many"}, "NumMedia"),
        ({"NumMedia": "11"}, "NumMedia"),
        ({"NumMedia": "2", "MediaUrl0": "https://api.twilio.com/x"}, "MediaUrl1"),
        ({"NumMedia": "1", "MediaUrl0": "https://api.twilio.com/" + "x" * 1200}, "MediaUrl0 is longer than"),
    ],
)
def test_malformed_media_fields_are_refused_and_store_nothing(client, runtime, fields, reason):
    form = twilio_form("Picha") | fields
    response = client.post(
        "/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": twilio_signature(form)}
    )

    assert response.status_code == 400
    assert reason in response.text
    assert count(runtime, Report) == 0


@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_the_media_job_carries_attachment_ids_only(send_media, runtime, media_shelf):
    send_media(PHOTO)

    payloads = redis_dump(runtime.dispatcher)

    assert "fetch_attachments" in payloads
    assert str(attachments(runtime)[0].id) in payloads
    assert not [media_sid for media_sid in media_shelf.files if media_sid in payloads]
    assert media_shelf.api_url.removeprefix("http://") not in payloads


@pytest.mark.parametrize("with_photo", [False, True])
def test_a_report_and_its_media_are_written_in_one_commit(send_sms, send_media, runtime, with_photo):
    statements: list[str] = []
    commits = count_commits(runtime)
    for engine in (runtime.store.engine, runtime.store.autocommit):
        if engine is not None:
            event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    # Words that name their language: a photo alone reads the number's language first.
    text = "Askari wanaitisha hongo Gikomba"
    response = send_media(PHOTO, body=text) if with_photo else send_sms(text)

    assert response.status_code == 200
    assert len(commits) == 1
    assert any("INSERT INTO attachments" in statement for statement in statements) == with_photo


class MediaShelfRecorder:
    """A server on a host nobody listed: it keeps every path it is asked for."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def handler(self) -> type[BaseHTTPRequestHandler]:
        paths = self.paths

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802  (http.server names it)
                paths.append(self.path)
                self.send_response(200)
                self.end_headers()

        return Handler
