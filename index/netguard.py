"""Refusing to fetch from private networks, so adding a source cannot probe the host's network.

Addresses are checked after DNS resolution and again on every redirect; connections are made
only to addresses that passed the check (see `GuardedResolver`).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass

from index.errors import TransferDeskError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class RefusedAddressError(TransferDeskError):
    """The URL leads to an address the fetch policy does not allow."""


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    allow_private: bool = False
    # Networks allowed even when private ones are not (e.g. a feed server on 127.0.0.1).
    allowed_networks: tuple[Network, ...] = ()

    @classmethod
    def from_strings(cls, allow_private: bool, networks: Sequence[str]) -> AddressPolicy:
        return cls(allow_private, tuple(ipaddress.ip_network(n, strict=False) for n in networks))

    def check(self, host: str, address: str) -> None:
        """Raise RefusedAddressError unless `address` (which `host` resolved to) may be fetched."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if self.allow_private or any(ip in network for network in self.allowed_networks):
            return
        reason = private_address_reason(ip)
        if reason:
            shown = host if host == address else f"{host} ({address})"
            raise RefusedAddressError(
                f"refused to fetch from {shown}: it is a {reason} address "
                "(set [fetch] allow_private = true to allow local sources)"
            )


def private_address_reason(ip: IPAddress) -> str | None:
    """What kind of non-public address `ip` is, or None for a public one."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return private_address_reason(ip.ipv4_mapped)
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local (cloud metadata)"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private or not ip.is_global:
        return "private"
    return None


def is_private_address(address: str) -> bool:
    return private_address_reason(ipaddress.ip_address(address)) is not None


def literal_ip(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def build_guarded_resolver(policy: AddressPolicy):
    """An aiohttp resolver that drops addresses the policy refuses (and fails if none are left)."""
    from aiohttp.resolver import ThreadedResolver

    class GuardedResolver(ThreadedResolver):
        async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
            resolved = await super().resolve(host, port, family)
            for entry in resolved:
                policy.check(host, entry["host"])
            return resolved

    return GuardedResolver()
