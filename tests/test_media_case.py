"""On the case: the panel sees the photo's thumbnail, opens it (without EXIF) and plays voice
notes and videos; the API lists and serves them; auditors see counts only; every opening is
in the audit chain with the attachment's id; a report of media alone goes to a person."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from storage.models import AuditEvent
from tests.fixtures.media import MediaFile
from tests.fixtures.staff import AuthActions
from tests.helpers import attachments, cases, report_by_ref
from tests.media_samples import ELF_EXECUTABLE, GPS_DATUM, jpeg_with_gps, mp4_with_place, opus_voice_note

PHOTO = MediaFile(jpeg_with_gps(size=(640, 320)), "image/jpeg")
ATTACHMENT_LINK = re.compile(r'href="(/panel/cases/[^"]+/attachments/[0-9a-f-]{36})"')


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_panel_downloads_the_photo_upright_and_without_exif(reported_media, make_user, auth, client):
    ref = reported_media(PHOTO)
    auth.sign_in(make_user())

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)
    download = client.get(ATTACHMENT_LINK.search(page).group(1))

    assert download.status_code == 200
    assert download.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(download.data))
    assert image.size == (320, 640)
    assert not image.getexif()
    assert GPS_DATUM.encode() not in download.data


def test_a_downloaded_file_is_never_cached_sniffed_or_shown_as_a_page(
    reported_media, make_user, auth, client
):
    ref = reported_media(PHOTO)
    auth.sign_in(make_user())
    link = ATTACHMENT_LINK.search(client.get(f"/panel/cases/{ref}").get_data(as_text=True)).group(1)

    headers = client.get(link).headers

    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"] == f'inline; filename="{ref}-1-content.jpg"'
    assert "sandbox" in headers["Content-Security-Policy"]


def test_the_case_page_shows_a_thumbnail_of_the_photo(reported_media, make_user, auth, client):
    ref = reported_media(PHOTO)
    auth.sign_in(make_user())

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)
    thumbnail = client.get(re.search(r'<img src="([^"]+/thumbnail)"', page).group(1))

    assert thumbnail.mimetype == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumbnail.data)).size) == 320


def test_a_voice_note_plays_on_the_case_page(reported_media, make_user, auth, client):
    ref = reported_media(MediaFile(opus_voice_note(), "audio/ogg"))
    auth.sign_in(make_user())

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)
    source = re.search(r'<audio controls preload="none" src="([^"]+)"', page).group(1)

    assert client.get(source).mimetype == "audio/ogg"


def test_a_video_plays_with_a_warning_that_it_may_still_carry_metadata(
    reported_media, make_user, auth, client
):
    ref = reported_media(MediaFile(mp4_with_place(), "video/mp4"), body="Video of the arrest at the market")
    auth.sign_in(make_user())

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert '<video controls preload="none"' in page
    assert "may still carry metadata" in page


def test_a_file_not_accepted_says_why_on_the_case_page(reported_media, make_user, auth, client):
    ref = reported_media(
        MediaFile(ELF_EXECUTABLE, "image/jpeg"), body="The officer took my phone at Eastleigh"
    )
    auth.sign_in(make_user())

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert "not a photo, voice note or video of a kind Sauti keeps" in page
    assert not ATTACHMENT_LINK.search(page)


def test_opening_an_attachment_is_audited_with_its_id_and_never_its_content(
    reported_media, make_user, auth, client, runtime
):
    ref = reported_media(PHOTO)
    member = make_user()
    auth.sign_in(member)
    link = ATTACHMENT_LINK.search(client.get(f"/panel/cases/{ref}").get_data(as_text=True)).group(1)

    client.get(link)

    [attachment] = attachments(runtime)
    with runtime.store.transaction() as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.action == "attachment.viewed")).all()
    opened = [v for v in views if v.details["part"] == "content"]
    assert [(v.actor, v.details["attachment"]) for v in opened] == [(f"user:{member.id}", str(attachment.id))]
    assert set(opened[0].details) == {"ref", "attachment", "part"}


def test_a_member_of_another_panel_cannot_open_the_attachment(reported_media, make_user, app, runtime):
    ref = reported_media(PHOTO)
    [attachment] = attachments(runtime)
    link = f"/panel/cases/{ref}/attachments/{attachment.id}"
    own_panel, other_panel = AuthActions(app.test_client()), AuthActions(app.test_client())
    own_panel.sign_in(make_user())
    other_panel.sign_in(make_user(panels=("peace-committee",)))

    assert own_panel.client.get(link).status_code == 200
    assert other_panel.client.get(link).status_code == 404


def test_someone_signed_out_cannot_open_the_attachment(reported_media, runtime, client):
    ref = reported_media(PHOTO)
    [attachment] = attachments(runtime)

    response = client.get(f"/panel/cases/{ref}/attachments/{attachment.id}")

    assert response.status_code in (302, 401)
    assert response.mimetype != "image/jpeg"


def test_the_api_lists_the_attachments_of_a_case_and_serves_them(
    reported_media, make_user, api_token, client
):
    ref = reported_media(PHOTO)
    headers = bearer(api_token(make_user()))

    case = client.get(f"/api/v1/cases/{ref}", headers=headers).json
    [listed] = case["attachments"]
    download = client.get(f"/api/v1/cases/{ref}/attachments/{listed['id']}", headers=headers)

    assert case["attachment_count"] == 1
    assert (listed["content_type"], listed["state"], listed["size"]) == (
        "image/jpeg",
        "stored",
        len(download.data),
    )
    assert download.headers["Cache-Control"] == "no-store"
    assert not Image.open(io.BytesIO(download.data)).getexif()


def test_auditors_see_how_many_attachments_a_case_has_and_nothing_more(
    reported_media, make_user, api_token, client, runtime
):
    ref = reported_media(PHOTO)
    [attachment] = attachments(runtime)
    headers = bearer(api_token(make_user("auditor", ())))

    case = client.get(f"/api/v1/cases/{ref}", headers=headers).json
    download = client.get(f"/api/v1/cases/{ref}/attachments/{attachment.id}", headers=headers)

    assert case["attachment_count"] == 1
    assert "attachments" not in case
    assert download.status_code == 403


def test_an_attachment_of_another_case_is_not_served_under_this_one(
    reported_media, make_user, api_token, client
):
    first = reported_media(PHOTO)
    second = reported_media(MediaFile(jpeg_with_gps(), "image/jpeg"))
    headers = bearer(api_token(make_user()))
    [other] = client.get(f"/api/v1/cases/{second}", headers=headers).json["attachments"]

    response = client.get(f"/api/v1/cases/{first}/attachments/{other['id']}", headers=headers)

    assert response.status_code == 404


def test_a_report_of_media_alone_goes_to_a_person_on_the_fallback_panel(reported_media, runtime):
    ref = reported_media(PHOTO)

    report = report_by_ref(runtime, ref)
    [case] = cases(runtime)
    assert report.needs_human_review
    assert (report.category, report.model_version) == ("other", "none")
    assert (case.panel.key, case.route_rule) == (runtime.routing.fallback, "media-only")


def test_a_report_with_words_and_a_photo_is_classified_from_its_words(reported_media, runtime):
    ref = reported_media(PHOTO, body="Polisi wanaitisha hongo kila siku sokoni Gikomba")

    report = report_by_ref(runtime, ref)
    assert report.category == "extortion_harassment"
    assert not report.needs_human_review
