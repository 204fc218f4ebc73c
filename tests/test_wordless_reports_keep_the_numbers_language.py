"""A photo or a location pin sent without words is answered in the language the number last
reported in, and leaves that language as it was; a pin alone goes to a person on the fallback
panel, as a photo alone does, not to the translation desk: it has no words to translate."""

from __future__ import annotations

from tests.fixtures.media import MediaFile
from tests.fixtures.webhooks import twilio_form, twilio_signature
from tests.helpers import cases, end_stories, reference_in, report_by_ref
from tests.media_samples import jpeg_with_gps

WHATSAPP = "whatsapp:+254711000083"
KISWAHILI_REPORT = "Askari wanaitisha hongo kila siku sokoni Majengo"
PIN = {"Latitude": "-1.2741", "Longitude": "36.851", "Address": "Eastleigh 1st Avenue"}


def pin_alone(client):
    form = twilio_form("", WHATSAPP) | PIN
    return client.post(
        "/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": twilio_signature(form)}
    )


def test_a_photo_alone_is_acknowledged_in_the_numbers_language(send_sms, send_media, run_jobs, runtime):
    send_sms(KISWAHILI_REPORT, sender=WHATSAPP)
    run_jobs()
    end_stories(runtime)

    answer = send_media(MediaFile(jpeg_with_gps(), "image/jpeg"), sender=WHATSAPP).text

    assert "ripoti imepokelewa" in answer


def test_a_photo_alone_leaves_the_numbers_language_as_it_was(send_sms, send_media, run_jobs, runtime):
    send_sms(KISWAHILI_REPORT, sender=WHATSAPP)
    run_jobs()
    end_stories(runtime)
    ref = reference_in(send_media(MediaFile(jpeg_with_gps(), "image/jpeg"), sender=WHATSAPP).text)
    run_jobs()

    assert report_by_ref(runtime, ref).language == "sw"


def test_a_location_pin_alone_goes_to_the_fallback_panel_in_the_numbers_language(
    send_sms, client, run_jobs, runtime
):
    send_sms(KISWAHILI_REPORT, sender=WHATSAPP)
    run_jobs()
    end_stories(runtime)

    answer = pin_alone(client).text
    run_jobs()

    assert "ripoti imepokelewa" in answer
    report = report_by_ref(runtime, reference_in(answer))
    case = next(case for case in cases(runtime) if case.report_id == report.id)
    assert (case.panel.key, case.route_rule) == (runtime.routing.fallback, "media-only")
    assert report.language == "sw"
    assert not report.needs_translation
