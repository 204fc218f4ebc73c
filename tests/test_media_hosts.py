"""Which addresses the worker may ask for media: Twilio's media hosts by name, over https, and
nothing a sender could choose; and the SMS that tells the resident how their files fared."""

from __future__ import annotations

import pytest

from storage.reporter_texts import LANGUAGES, catalogue, reporter_text
from storage.settings import TWILIO_MEDIA_HOSTS, TwilioSettings
from workers.twilio_media import MediaRefusedError, allowed_hop, twilio_media

ACCOUNT = "AC" + "1" * 32
MESSAGE = "MM" + "2" * 32
MEDIA_PATH = f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{MESSAGE}/Media/ME{'3' * 32}"
TWILIO = TwilioSettings(ACCOUNT, "token", None, None, None, TWILIO_MEDIA_HOSTS)
# GSM 03.38's basic set: a message in these characters fits 160 to a segment, else 70.
GSM_7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def test_twilio_media_urls_and_their_cdn_redirects_are_allowed_by_default():
    assert twilio_media(f"https://api.twilio.com{MEDIA_PATH}", TWILIO, MESSAGE).media_sid == "ME" + "3" * 32
    assert allowed_hop("https://mms.twiliocdn.com/AC1/abc?Expires=1&Signature=x", TWILIO_MEDIA_HOSTS)
    assert allowed_hop("https://media.twiliocdn.com/AC1/abc", TWILIO_MEDIA_HOSTS)


@pytest.mark.parametrize(
    "url",
    [
        f"https://evil.example.org{MEDIA_PATH}",
        f"https://api.twilio.com.evil.example.org{MEDIA_PATH}",
        f"http://api.twilio.com{MEDIA_PATH}",
        f"https://api.twilio.com:8443{MEDIA_PATH}",
        f"https://{ACCOUNT}:token@api.twilio.com{MEDIA_PATH}",
        f"https://54.172.60.0{MEDIA_PATH}",
        f"https://10.0.0.5{MEDIA_PATH}",
        f"https://[::ffff:10.0.0.5]{MEDIA_PATH}",
        f"https://169.254.169.254{MEDIA_PATH}",
        f"https://127.0.0.1{MEDIA_PATH}",
        f"ftp://api.twilio.com{MEDIA_PATH}",
        f"file://{MEDIA_PATH}",
        "https://api.twilio.com:notaport/x",
    ],
)
def test_an_address_twilio_does_not_keep_media_at_is_refused_before_any_request(url):
    with pytest.raises(MediaRefusedError) as refused:
        twilio_media(url, TWILIO, MESSAGE)

    assert refused.value.reason == "host_not_allowed"


@pytest.mark.parametrize(
    "url",
    [
        f"https://api.twilio.com/2010-04-01/Accounts/AC{'9' * 32}/Messages/{MESSAGE}/Media/ME{'3' * 32}",
        f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/MM{'8' * 32}/Media/ME{'3' * 32}",
        f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json",
        f"https://api.twilio.com{MEDIA_PATH}?PageSize=1000",
    ],
)
def test_a_twilio_url_that_is_not_this_messages_media_is_refused(url):
    with pytest.raises(MediaRefusedError) as refused:
        twilio_media(url, TWILIO, MESSAGE)

    assert refused.value.reason == "not_gateway_media"


def test_plain_http_is_allowed_only_to_a_loopback_host_that_is_listed():
    assert allowed_hop("http://127.0.0.1:8080/x", ("127.0.0.1:8080",))
    with pytest.raises(MediaRefusedError):
        allowed_hop("http://127.0.0.1:8081/x", ("127.0.0.1:8080",))
    with pytest.raises(MediaRefusedError):
        allowed_hop("http://media.example.org/x", ("media.example.org",))


def test_every_sms_about_media_fits_one_segment_in_every_language():
    names = [name for name in catalogue()["sms"] if name.startswith("media_") and "only" not in name]
    for name in names:
        for language in LANGUAGES:
            text = reporter_text(name, language, ref="K7F-3QX", count=10)
            limit = 160 if set(text) <= GSM_7 else 70
            assert len(text) <= limit, f"{name} in {language} is {len(text)} characters"
