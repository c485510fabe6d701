#!/usr/bin/env python3
"""An independent client of lesson 8's protocol, in the shape of the guide's libclient.py.

Written against the protocol's description only (stdlib: socket, struct, json), so the
reference server is checked by a peer that shares none of its code.
Usage: app_client.py HOST PORT search VALUE | app_client.py HOST PORT binary HEX
Prints the result (JSON) or the content as hex (binary); exits 1 on an error reply.
"""
import json
import socket
import struct
import sys


def encode(content_type, content):
    encoding = "utf-8" if content_type == "text/json" else "binary"
    header = json.dumps({
        "byteorder": sys.byteorder,
        "content-type": content_type,
        "content-encoding": encoding,
        "content-length": len(content),
    }, ensure_ascii=False).encode("utf-8")
    return struct.pack(">H", len(header)) + header + content


def recv_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError(f"the server closed after {len(data)} of {n} bytes")
        data += chunk
    return data


def read_message(sock):
    (header_len,) = struct.unpack(">H", recv_exactly(sock, 2))
    header = json.loads(recv_exactly(sock, header_len).decode("utf-8"))
    for field in ("byteorder", "content-length", "content-type", "content-encoding"):
        if field not in header:
            raise ValueError(f"missing required header {field!r}")
    return header, recv_exactly(sock, header["content-length"])


def main():
    host, port, action, value = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if action == "binary":
        request = encode("binary/custom-client-binary-type", bytes.fromhex(value))
    else:
        request = encode("text/json", json.dumps({"action": action, "value": value}, ensure_ascii=False).encode("utf-8"))
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(request)
        header, content = read_message(sock)
    if header["content-type"] == "text/json":
        body = json.loads(content.decode(header["content-encoding"]))
        if "error" in body:
            print(f"error: {body['error']}", file=sys.stderr)
            return 1
        print(body["result"])
    else:
        print(content.hex())
    return 0


if __name__ == "__main__":
    sys.exit(main())
