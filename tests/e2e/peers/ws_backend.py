# SPDX-License-Identifier: Apache-2.0
"""A WebSocket backend built on python3-websockets (Debian), for end-to-end tests.

Records what it sees as JSON lines on stdout; the first is {"event": "listening", "port": N},
then {"event": "open"|"message"|"close", "id": N, ...} per connection. A message record has the
frame kind, the size, the SHA-256 of the whole payload and its first bytes ("data": text, or
base64 of binary). Options:
  --port N                 port on 127.0.0.1 (0: any free port; see the "listening" record)
  --mode MODE              echo (default): every frame goes back as it came (text as text,
                           binary as binary); silent: records only; drop-after: echoes the
                           first --arg - 1 messages, then aborts the TCP connection without a
                           close frame on message number --arg; close-code: answers the first
                           message by closing with code --arg and reason "backend says bye";
                           stall: after the handshake stops reading its socket (no frames, no
                           pongs): a backend that hangs, or one far slower than its client;
                           burst: answers each message with --arg copies of it
  --reason TEXT            the close reason of close-code mode ("backend says bye")
  --count-only             no record per message or connection; instead {"event": "count",
                           "messages": N} once a second (long runs)
  --handshake-delay SECS   waits this long before answering each opening handshake
  --subprotocol NAME       a subprotocol to accept (repeatable)
  --lifetime SECONDS       stops by itself after this long (tests never leave servers behind)
  --tls-cert FILE          serve wss:// with this PEM certificate (chain) and --tls-key
  --tls-key FILE           the private key of --tls-cert
  --tls-max-version V      offer TLS up to this version only (TLSv1_1: an outdated server)
"""
import argparse
import asyncio
import base64
import hashlib
import json
import ssl
import sys

import websockets


# --count-only: per-connection and per-message records are counted, not written.
COUNTING = {"on": False, "messages": 0}


def emit(record):
    if COUNTING["on"] and record.get("event") in ("open", "message", "close"):
        COUNTING["messages"] += record.get("event") == "message"
        return
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def describe(message):
    if isinstance(message, bytes):
        return {"kind": "binary", "size": len(message),
                "sha256": hashlib.sha256(message).hexdigest(),
                "data": base64.b64encode(message[:64]).decode()}
    raw = message.encode()
    return {"kind": "text", "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest(),
            "data": message[:200]}


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="echo",
                        choices=["echo", "silent", "drop-after", "close-code", "stall", "burst"])
    parser.add_argument("--arg", type=int, default=0)
    parser.add_argument("--reason", default="backend says bye")
    parser.add_argument("--handshake-delay", type=float, default=0)
    parser.add_argument("--lifetime", type=float, default=120)
    parser.add_argument("--subprotocol", action="append", default=[])
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--tls-max-version")
    parser.add_argument("--count-only", action="store_true")
    options = parser.parse_args()
    if options.count_only:
        COUNTING["on"] = True

        async def report():
            while True:
                await asyncio.sleep(1)
                emit({"event": "count", "messages": COUNTING["messages"]})
        asyncio.get_running_loop().create_task(report())
    counter = {"n": 0}

    async def process_request(path, request_headers):
        if options.handshake_delay > 0:
            emit({"event": "handshake-delayed", "path": path})
            await asyncio.sleep(options.handshake_delay)
        return None  # go on with the handshake

    async def handler(websocket, path=None):
        counter["n"] += 1
        connection = counter["n"]
        request_path = path or getattr(websocket, "path", None) or websocket.request.path
        headers = dict(websocket.request_headers) if hasattr(websocket, "request_headers") \
            else dict(websocket.request.headers)
        emit({"event": "open", "id": connection, "path": request_path,
              "subprotocol": websocket.subprotocol, "headers": headers})
        received = 0
        if options.mode == "stall":
            websocket.transport.pause_reading()
            await asyncio.sleep(options.lifetime)
            return
        try:
            async for message in websocket:
                received += 1
                emit({"event": "message"} if COUNTING["on"] else
                     {"event": "message", "id": connection, "index": received,
                      **describe(message)})
                if options.mode == "echo":
                    await websocket.send(message)
                elif options.mode == "burst":
                    for _ in range(options.arg):
                        await websocket.send(message)
                elif options.mode == "drop-after":
                    if received >= options.arg:
                        websocket.transport.abort()
                        return
                    await websocket.send(message)
                elif options.mode == "close-code":
                    await websocket.close(code=options.arg, reason=options.reason)
                    return
        except websockets.ConnectionClosed:
            pass
        finally:
            # After an abort the close code is known once the transport is gone.
            try:
                await asyncio.wait_for(websocket.wait_closed(), 5)
            except asyncio.TimeoutError:
                pass
            emit({"event": "close", "id": connection, "code": websocket.close_code,
                  "reason": websocket.close_reason})

    kwargs = {"max_size": 64 * 1024 * 1024, "process_request": process_request}
    if options.subprotocol:
        kwargs["subprotocols"] = options.subprotocol
    if options.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(options.tls_cert, options.tls_key)
        if options.tls_max_version:
            # Old versions need OpenSSL's lowest security level to be offered at all.
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
            context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
            context.maximum_version = getattr(ssl.TLSVersion, options.tls_max_version)
        kwargs["ssl"] = context
    async with websockets.serve(handler, "127.0.0.1", options.port, **kwargs) as server:
        port = server.sockets[0].getsockname()[1]
        emit({"event": "listening", "port": port})
        await asyncio.sleep(options.lifetime)


if __name__ == "__main__":
    asyncio.run(main())
