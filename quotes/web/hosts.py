"""Which ``Host`` a request to ``quotes serve`` may name, and the ASGI guard that refuses the rest.

A server on 127.0.0.1 is reachable from any web page the user opens: a page on
``evil.example`` whose name the attacker then points at 127.0.0.1 (DNS rebinding) reads the
store as if it were its own site, and its requests say ``Host: evil.example``. So requests
are served only when their ``Host`` names the address the server was bound to: for a
loopback address ``localhost``, ``127.0.0.1`` and ``[::1]``; for another address that
address; for a wildcard (``0.0.0.0``, ``::``) any IP address, ``localhost`` and this
machine's names. ``--allow-host NAME`` adds a name (``*``: any host).
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Any, Awaitable, Callable, Iterable

ANY = "*"
IP_ADDRESSES = "<any IP address>"  # in an allowed set: any literal IPv4 or IPv6 address
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]"})


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _name(host: str) -> str:
    """A host name as a Host header carries it: lower case, an IPv6 address in brackets."""
    ip = _ip(host)
    if ip is not None and ip.version == 6:
        return f"[{ip.compressed}]"
    return host.lower().rstrip(".") if ip is None else ip.compressed


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` names a server bound to ``host`` answers (see the module)."""
    ip = _ip(host)
    if host.lower() == "localhost" or (ip is not None and ip.is_loopback):
        names = set(_LOOPBACK)
    elif ip is not None and ip.is_unspecified or host in ("", "*"):
        names = set(_LOOPBACK) | {IP_ADDRESSES}
        for name in (socket.gethostname(), socket.getfqdn()):
            if name:
                names.add(_name(name))
    else:
        names = {_name(host)}
    for name in extra:
        names.add(ANY if name.strip() == ANY else _name(name.strip()))
    return frozenset(names)


def host_of(header: str) -> str | None:
    """The host name of a ``Host`` header value (its port dropped), or None if it is not one."""
    value = header.strip()
    if not value or any(c in value for c in " ,/@\\\t"):
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0 or (value[end + 1:] and not value[end + 1:].startswith(":")):
            return None
        name, port = value[:end + 1], value[end + 2:]
    else:
        name, _, port = value.partition(":")
    if port and not port.isdigit():
        return None
    return _name(name) if name else None


def accepts(allowed: frozenset[str], header: str | None) -> bool:
    if ANY in allowed:
        return True
    host = host_of(header) if header is not None else None
    if host is None:
        return False
    return host in allowed or (IP_ADDRESSES in allowed and _ip(host) is not None)


ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]


def guard(app: ASGIApp, allowed: frozenset[str]) -> ASGIApp:
    """``app`` answering 400 to an HTTP or websocket request whose Host is not allowed."""
    shown = ", ".join(sorted(h for h in allowed if h not in (IP_ADDRESSES, ANY)))
    if IP_ADDRESSES in allowed:
        shown += ", any IP address"

    async def guarded(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await app(scope, receive, send)
            return
        headers = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == b"host"]
        if len(headers) == 1 and accepts(allowed, headers[0]):
            await app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = (f"invalid Host header: quotes serve answers {shown} "
                f"(--allow-host NAME adds a name)\n").encode()
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return guarded
