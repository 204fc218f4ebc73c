"""A photo sent by WhatsApp or MMS with a status request ("hali K7F-3QX") joins that report, and
the reporter is told its status; sent so with a reference that is not the number's, the photo
is a report of its own."""

from __future__ import annotations

from storage import Report
from tests.fixtures.media import MediaFile
from tests.helpers import attachments, count, reference_in, report_by_ref
from tests.media_samples import jpeg_with_gps

PHOTO = MediaFile(jpeg_with_gps(), "image/jpeg")
REPORT = "Askari walichukua simu yangu Eastleigh"
OTHER_NUMBER = "whatsapp:+254722000111"


def test_a_photo_with_a_status_request_joins_the_report_and_its_status_is_told(send_sms, send_media, runtime):
    ref = reference_in(send_sms(REPORT).text)
    status = send_sms(f"hali {ref}").text

    answer = send_media(PHOTO, body=f"hali {ref}").text

    assert answer == status
    assert count(runtime, Report) == 1
    [attachment] = attachments(runtime)
    assert attachment.report_id == report_by_ref(runtime, ref).id


def test_a_photo_with_a_status_request_for_another_numbers_report_is_a_report_of_its_own(
    send_sms, send_media, runtime
):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_media(PHOTO, body=f"hali {ref}", sender=OTHER_NUMBER).text

    [attachment] = attachments(runtime)
    assert reference_in(answer) != ref
    assert attachment.report_id == report_by_ref(runtime, reference_in(answer)).id
