# SPDX-License-Identifier: Apache-2.0
"""A WebSocket backend built on python3-websockets (Debian), for end-to-end tests.

Echoes every frame (text stays text, binary stays binary) and records what it saw as JSON lines
on stdout: {"event": "open"|"message"|"close", "id": N, ...}. Options:
  --port N            port on 127.0.0.1 (0: any; the chosen port is printed first as {"port": N})
  --mode echo|silent|drop-after N|close-code CODE
  --lifetime SECONDS  stop by itself after this long (tests never leave servers behind)
"""
import argparse
import asyncio
import base64
import json
import sys

import websockets


def emit(record):
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="echo")
    parser.add_argument("--arg", type=int, default=0)
    parser.add_argument("--lifetime", type=float, default=120)
    parser.add_argument("--subprotocol", action="append", default=[])
    options = parser.parse_args()
    counter = {"n": 0}

    async def handler(websocket, path=None):
        counter["n"] += 1
        connection = counter["n"]
        request_path = path or getattr(websocket, "path", None) or websocket.request.path
        headers = dict(websocket.request_headers) if hasattr(websocket, "request_headers") \
            else dict(websocket.request.headers)
        emit({"event": "open", "id": connection, "path": request_path,
              "subprotocol": websocket.subprotocol, "headers": headers})
        received = 0
        try:
            async for message in websocket:
                received += 1
                if isinstance(message, bytes):
                    emit({"event": "message", "id": connection, "kind": "binary",
                          "size": len(message),
                          "data": base64.b64encode(message[:64]).decode()})
                else:
                    emit({"event": "message", "id": connection, "kind": "text",
                          "size": len(message.encode()), "data": message[:200]})
                if options.mode == "echo":
                    await websocket.send(message)
                elif options.mode == "drop-after" and received >= options.arg:
                    websocket.transport.abort()
                    return
                elif options.mode == "close-code":
                    await websocket.close(code=options.arg, reason="backend says bye")
                    return
        finally:
            emit({"event": "close", "id": connection, "code": websocket.close_code,
                  "reason": websocket.close_reason})

    kwargs = {"max_size": 64 * 1024 * 1024}
    if options.subprotocol:
        kwargs["subprotocols"] = options.subprotocol
    async with websockets.serve(handler, "127.0.0.1", options.port, **kwargs) as server:
        port = server.sockets[0].getsockname()[1]
        emit({"event": "listening", "port": port})
        await asyncio.sleep(options.lifetime)


if __name__ == "__main__":
    asyncio.run(main())
