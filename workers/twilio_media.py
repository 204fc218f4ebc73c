"""Fetching a message's media from Twilio, and deleting Twilio's copy afterwards.

No request goes to an address a sender could choose. Only hosts listed in TWILIO_MEDIA_HOSTS
are asked, on every hop: the MediaUrl must name one and be the media path of this account and
this message, and each redirect is checked again before it is followed. IP literals are
refused (a loopback one may be listed, for a local stand-in), as are plain http (except to
loopback) and credentials written into a URL. The account's credentials go to the MediaUrl's
own host only; the CDN it redirects to gets a signed URL and nothing else. A body is read as
it arrives, up to the size limit and no further, and a fetch ends by its deadline however
slowly the host sends."""

from __future__ import annotations

import ipaddress
import re
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import HTTPError

from storage.settings import TwilioSettings
from workers.gateways import RebasedHttpClient

MEDIA_PATH = re.compile(
    r"/2010-04-01/Accounts/(?P<account>AC[0-9a-fA-F]{32})/Messages/(?P<message>[A-Z]{2}[0-9a-fA-F]{32})"
    r"/Media/(?P<media>ME[0-9a-fA-F]{32})"
)
MAX_REDIRECTS = 3
CHUNK_BYTES = 64 * 1024
CONNECT_SECONDS = 5
# The longest wait for any one answer or piece of a body, within the fetch's deadline.
READ_SECONDS = 30
FETCH_SECONDS = 60
DELETE_SECONDS = 10
DEFAULT_PORTS = {"https": 443, "http": 80}


class MediaRefusedError(Exception):
    """The file will not be fetched or kept; `reason` says why, in a word the records keep."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MediaUnavailableError(Exception):
    """The gateway did not give the file this time; worth another attempt later."""


@dataclass(frozen=True)
class TwilioMedia:
    """A media item at Twilio, as its MediaUrl names it."""

    url: str
    message_sid: str
    media_sid: str


def twilio_media(url: str, twilio: TwilioSettings, message_sid: str | None) -> TwilioMedia:
    """The media item a MediaUrl names, once it is certain to be this account's media for this
    message on a host allowed; MediaRefusedError otherwise, before any request."""
    parts = allowed_hop(url, twilio.media_hosts)
    match = MEDIA_PATH.fullmatch(parts.path)
    if match is None or parts.query or parts.fragment:
        raise MediaRefusedError("not_gateway_media")
    if match["account"] != twilio.account_sid or match["message"] != message_sid:
        raise MediaRefusedError("not_gateway_media")
    return TwilioMedia(url, match["message"], match["media"])


def allowed_hop(url: str, allowed_hosts: tuple[str, ...]) -> SplitResult:
    """The URL's parts when its host (and port) is listed and its scheme and form are safe."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        raise MediaRefusedError("host_not_allowed") from None
    loopback = _is_loopback(host)
    secure = parts.scheme == "https" or (parts.scheme == "http" and loopback)
    if not secure or parts.username or parts.password or (_is_address(host) and not loopback):
        raise MediaRefusedError("host_not_allowed")
    named = host if port in (None, DEFAULT_PORTS[parts.scheme]) else f"{host}:{port}"
    if named not in allowed_hosts:
        raise MediaRefusedError("host_not_allowed")
    return parts


def download(media: TwilioMedia, twilio: TwilioSettings, limit: int, deadline: float) -> bytes:
    """The file's bytes, following at most MAX_REDIRECTS redirects, each to an allowed host;
    MediaUnavailableError once the `deadline` (time.monotonic) has passed."""
    credentials = (twilio.account_sid or "", twilio.auth_token or "")
    with requests.Session() as session:
        # Neither proxies nor ~/.netrc from the environment: the request is exactly this one.
        session.trust_env = False
        url, origin = media.url, _origin(urlsplit(media.url))
        for _ in range(MAX_REDIRECTS + 1):
            hop = allowed_hop(url, twilio.media_hosts)
            auth = credentials if _origin(hop) == origin else None
            response = _get(session, url, auth, deadline)
            with response:
                if not response.is_redirect:
                    return _body(response, limit, deadline)
                url = urljoin(url, response.headers["Location"])
    raise MediaRefusedError("too_many_redirects")


def delete_at_gateway(media: TwilioMedia, twilio: TwilioSettings) -> None:
    """Delete Twilio's copy of the media through its REST API; gone already counts as done."""
    http_client = (
        RebasedHttpClient(twilio.api_base_url)
        if twilio.api_base_url
        else TwilioHttpClient(timeout=DELETE_SECONDS)
    )
    client = Client(twilio.account_sid, twilio.auth_token, http_client=http_client)
    try:
        client.messages(media.message_sid).media(media.media_sid).delete()
    except TwilioRestException as error:
        if error.status != 404:
            raise MediaUnavailableError(f"Twilio answered {error.status}") from error
    except requests.RequestException as error:
        raise MediaUnavailableError("Twilio unreachable") from error


def _get(
    session: requests.Session, url: str, auth: tuple[str, str] | None, deadline: float
) -> requests.Response:
    wait = _left(deadline)
    try:
        return session.get(
            url,
            auth=auth,
            stream=True,
            allow_redirects=False,
            timeout=(min(CONNECT_SECONDS, wait), min(READ_SECONDS, wait)),
            headers={"Accept-Encoding": "identity"},
        )
    except requests.RequestException as error:
        raise MediaUnavailableError(f"media host unreachable: {type(error).__name__}") from error


def _body(response: requests.Response, limit: int, deadline: float) -> bytes:
    """The body, read as it arrives and abandoned as soon as it passes `limit` bytes or the
    deadline: a host that trickles a byte at a time is looked at after every byte."""
    if response.status_code != 200:
        raise MediaUnavailableError(f"media host answered {response.status_code}")
    declared = response.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise MediaRefusedError("too_large")
    chunks, size = [], 0
    try:
        while chunk := response.raw.read1(CHUNK_BYTES, decode_content=False):
            size += len(chunk)
            if size > limit:
                raise MediaRefusedError("too_large")
            _left(deadline)
            chunks.append(chunk)
    except (requests.RequestException, HTTPError, OSError) as error:
        raise MediaUnavailableError(f"media download cut off: {type(error).__name__}") from error
    return b"".join(chunks)


def _left(deadline: float) -> float:
    """Seconds left before the deadline; MediaUnavailableError when there are none."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise MediaUnavailableError("media host too slow")
    return left


def _origin(parts: SplitResult) -> tuple[str, str, int | None]:
    return parts.scheme, parts.hostname or "", parts.port


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_loopback(host: str) -> bool:
    return host == "localhost" or (_is_address(host) and ipaddress.ip_address(host).is_loopback)
