#!/usr/bin/env python3
"""An independent server of lesson 8's protocol, in the shape of the guide's app-server.py:
one selectors loop, a buffer and a state per connection (stdlib only).

Written against the protocol's description only, so the reference client is checked by a
peer that shares none of its code. Usage: app_server.py HOST PORT (prints "listening" when ready).
"""
import json
import selectors
import socket
import struct
import sys

TABLE = {
    "morpheus": "Follow the white rabbit. \U0001f430",
    "ring": "In the caves beneath the Misty Mountains. \U0001f48d",
    "\U0001f436": "\U0001f43e Playing ball! \U0001f3d0",
    "grüße": "Grüße aus Köln, 3 € der Kaffee ☕",
}


def encode(content_type, content):
    header = json.dumps({
        "byteorder": sys.byteorder,
        "content-type": content_type,
        "content-encoding": "utf-8" if content_type == "text/json" else "binary",
        "content-length": len(content),
    }).encode("utf-8")
    return struct.pack(">H", len(header)) + header + content


def answer(header, content):
    if header["content-type"] == "text/json":
        request = json.loads(content.decode("utf-8"))
        query = request.get("value")
        if request.get("action") != "search":
            body = {"error": "unknown-action", "message": f"unknown action {request.get('action')!r}"}
        else:
            body = {"result": TABLE.get(query) or f'No match for "{query}".'}
        return encode("text/json", json.dumps(body, ensure_ascii=False).encode("utf-8"))
    return encode("binary/custom-client-binary-type", content[::-1])


class Connection:
    def __init__(self):
        self.inbox = b""
        self.outbox = b""
        self.header = None

    def take(self):
        """Every whole request in the inbox, answered into the outbox."""
        while True:
            if self.header is None:
                if len(self.inbox) < 2:
                    return
                (length,) = struct.unpack(">H", self.inbox[:2])
                if len(self.inbox) < 2 + length:
                    return
                self.header = json.loads(self.inbox[2:2 + length].decode("utf-8"))
                self.inbox = self.inbox[2 + length:]
            size = self.header["content-length"]
            if len(self.inbox) < size:
                return
            self.outbox += answer(self.header, self.inbox[:size])
            self.inbox = self.inbox[size:]
            self.header = None


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    sel = selectors.DefaultSelector()
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen()
    listener.setblocking(False)
    sel.register(listener, selectors.EVENT_READ, data=None)
    print("listening", flush=True)
    while True:
        for key, mask in sel.select(timeout=None):
            if key.data is None:
                conn, _ = listener.accept()
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ, data=Connection())
                continue
            sock, state = key.fileobj, key.data
            if mask & selectors.EVENT_READ:
                data = sock.recv(4096)
                if not data:
                    sel.unregister(sock)
                    sock.close()
                    continue
                state.inbox += data
                state.take()
                if state.outbox:
                    # Ask for write readiness only while there is something to send.
                    sel.modify(sock, selectors.EVENT_READ | selectors.EVENT_WRITE, data=state)
            if mask & selectors.EVENT_WRITE and state.outbox:
                sent = sock.send(state.outbox)
                state.outbox = state.outbox[sent:]
                if not state.outbox:
                    sel.modify(sock, selectors.EVENT_READ, data=state)


if __name__ == "__main__":
    main()
