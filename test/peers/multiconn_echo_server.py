#!/usr/bin/env python3
"""An independent peer for lesson 7: a selectors-based echo server of the guide's shape.

Stdlib only. Usage: multiconn_echo_server.py HOST PORT (PORT 0 picks a free one). It prints
"listening on HOST:PORT" once it listens, then serves any number of clients from one select
loop: every byte is echoed, and once a client has half-closed and everything is sent, the
server closes the connection. It stops when its stdin closes.
"""
import selectors
import socket
import sys
import types

sel = selectors.DefaultSelector()


def accept_wrapper(sock):
    conn, addr = sock.accept()
    conn.setblocking(False)
    data = types.SimpleNamespace(addr=addr, outb=b"", eof=False)
    sel.register(conn, selectors.EVENT_READ | selectors.EVENT_WRITE, data=data)


def service_connection(key, mask):
    sock, data = key.fileobj, key.data
    if mask & selectors.EVENT_READ and not data.eof:
        try:
            recv_data = sock.recv(4096)
        except ConnectionError:
            sel.unregister(sock)
            sock.close()
            return
        if recv_data:
            data.outb += recv_data
        else:
            # b"": the client half-closed; finish sending, then close.
            data.eof = True
    if mask & selectors.EVENT_WRITE and data.outb:
        try:
            sent = sock.send(data.outb)
        except ConnectionError:
            sel.unregister(sock)
            sock.close()
            return
        data.outb = data.outb[sent:]
    if data.eof and not data.outb:
        sel.unregister(sock)
        sock.close()


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    lsock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((host, port))
    lsock.listen()
    lsock.setblocking(False)
    sel.register(lsock, selectors.EVENT_READ, data=None)
    sel.register(sys.stdin, selectors.EVENT_READ, data="stdin")
    print(f"listening on {host}:{lsock.getsockname()[1]}", flush=True)
    try:
        while True:
            for key, mask in sel.select(timeout=1):
                if key.data is None:
                    accept_wrapper(key.fileobj)
                elif key.data == "stdin":
                    if not sys.stdin.buffer.read1(4096):
                        return
                else:
                    service_connection(key, mask)
    finally:
        sel.close()


if __name__ == "__main__":
    main()
