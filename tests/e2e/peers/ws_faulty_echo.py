# SPDX-License-Identifier: Apache-2.0
"""An echo server (python3-websockets) that misbehaves once, on purpose: the load generator of
bench/ (sluice_loadgen) must notice and mark its run invalid. First line on stdout:
{"event": "listening", "port": N}.

  --fault echo        no fault: every message back as it came (text as text, binary as binary)
  --fault corrupt     flips one byte in the middle of message number --at
  --fault drop        does not echo message number --at (the connection stays open)
  --fault duplicate   echoes message number --at twice
  --fault reorder     echoes message number --at + 1 before message number --at
  --fault retype      echoes message number --at as the other frame type
Message numbers count from 1 over the whole server (all connections); --lifetime stops it.
"""
import argparse
import asyncio
import json
import sys

import websockets


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fault", default="echo",
                        choices=["echo", "corrupt", "drop", "duplicate", "reorder", "retype"])
    parser.add_argument("--at", type=int, default=10)
    parser.add_argument("--lifetime", type=float, default=60)
    options = parser.parse_args()
    count = 0
    held = {}  # reorder: the message held back, per connection

    async def handler(websocket, path=None):
        nonlocal count
        async for message in websocket:
            count += 1
            if count != options.at and websocket not in held:
                await websocket.send(message)
            elif count == options.at and options.fault == "corrupt":
                data = bytearray(message.encode() if isinstance(message, str) else message)
                data[len(data) // 2] ^= 0x01
                await websocket.send(data.decode() if isinstance(message, str) else bytes(data))
            elif count == options.at and options.fault == "drop":
                pass
            elif count == options.at and options.fault == "duplicate":
                await websocket.send(message)
                await websocket.send(message)
            elif count == options.at and options.fault == "reorder":
                held[websocket] = message
            elif count == options.at and options.fault == "retype":
                await websocket.send(message.encode() if isinstance(message, str)
                                     else message.decode("latin-1"))
            elif websocket in held:
                await websocket.send(message)
                await websocket.send(held.pop(websocket))
            else:
                await websocket.send(message)

    async with websockets.serve(handler, "127.0.0.1", 0, max_size=None) as server:
        port = server.sockets[0].getsockname()[1]
        sys.stdout.write(json.dumps({"event": "listening", "port": port}) + "\n")
        sys.stdout.flush()
        await asyncio.sleep(options.lifetime)


if __name__ == "__main__":
    asyncio.run(main())
