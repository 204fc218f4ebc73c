"""`flask worker` fetches media in a worker of its own: a report that someone's life is at
risk is triaged while a media host that never answers holds the media worker."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest

from app.context import runtime_of
from tests.fixtures.media import TWILIO_ACCOUNT, send_mms_with
from tests.fixtures.stand_ins import QuietHandler, serving
from tests.helpers import reference_in, report_by_ref
from tests.processes import wait_until

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]


class SilentHost:
    """A media host that takes every request and never answers it, until released."""

    def __init__(self) -> None:
        self.asked = 0
        self.released = threading.Event()

    def handler(self) -> type[QuietHandler]:
        host = self

        class Silent(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802  (http.server names it)
                host.asked += 1
                host.released.wait(120)

        return Silent


@pytest.fixture
def silent_host() -> Iterator[tuple[str, SilentHost]]:
    host = SilentHost()
    with serving(host.handler()) as url:
        yield url, host
        host.released.set()


def test_a_critical_report_is_triaged_while_media_hangs(
    make_app, app_config, processes, send_sms_to, silent_host
):
    url, host = silent_host
    config = app_config | {"TWILIO_MEDIA_HOSTS": url.removeprefix("http://")}
    app = make_app(**config)
    processes.worker(config, "worker")
    sid = "MM" + uuid.uuid4().hex
    media = f"{url}/2010-04-01/Accounts/{TWILIO_ACCOUNT}/Messages/{sid}/Media/ME"
    items = [(media + uuid.uuid4().hex, "image/jpeg") for _ in range(3)]
    send_mms_with(app.test_client(), "Picha za askari", items, sid=sid)
    wait_until(lambda: host.asked >= 1, 60, "the media worker did not ask the media host")

    emergency = "They are beating him right now at Pumwani"
    ref = reference_in(send_sms_to(app.test_client(), emergency, sender="+254712345699").text)

    wait_until(
        lambda: report_by_ref(runtime_of(app), ref).status == "triaged", 15, "the report was not triaged"
    )
    assert report_by_ref(runtime_of(app), ref).urgency == "critical"
    assert not host.released.is_set()
