# SPDX-License-Identifier: Apache-2.0
"""A WebSocket client for the studio's end-to-end test, driven line by line over stdin/stdout.

Usage: ws_client.py URL
Commands on stdin (one per line):
  send TEXT   send TEXT as a text frame, wait for one reply and print "reply TEXT"
  quit        close with 1000 and exit
After every command it prints "ok" (or "error REASON" and exits 1), so the caller can wait for
each step. If the server closes the connection at any point it prints "closed CODE REASON".
It uses python3-websockets, a peer this project did not write.
"""
import asyncio
import sys

import websockets


async def main(url):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        async with websockets.connect(url, open_timeout=10, close_timeout=5) as ws:
            print("connected", flush=True)
            while True:
                line = (await reader.readline()).decode().rstrip("\n")
                if not line or line == "quit":
                    await ws.close(1000, "done")
                    print("ok", flush=True)
                    return 0
                command, _, text = line.partition(" ")
                if command != "send":
                    print("error unknown command " + command, flush=True)
                    return 1
                await ws.send(text)
                reply = await asyncio.wait_for(ws.recv(), timeout=10)
                print("reply " + reply, flush=True)
                print("ok", flush=True)
    except websockets.ConnectionClosed as closed:
        print("closed %s %s" % (closed.code, closed.reason), flush=True)
        return 1
    except Exception as error:  # reported to the test, which fails with it
        print("error %s: %s" % (type(error).__name__, error), flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
