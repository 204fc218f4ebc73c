"""Gateways in: each module turns a gateway's request into an `InboundMessage` and a reply."""

from channels import africastalking, twilio
from channels.web import channels

__all__ = ["africastalking", "channels", "twilio"]
