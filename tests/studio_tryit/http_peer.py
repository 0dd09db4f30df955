# SPDX-License-Identifier: Apache-2.0
"""Python's own static file server (http.server), as a peer for the try-it HTTP tests.

Serves --directory on 127.0.0.1, on a free port; the first stdout line is
{"event": "listening", "port": N}. Stops by itself after --lifetime seconds.
"""
import argparse
import functools
import http.server
import json
import sys
import threading


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--directory", required=True)
    parser.add_argument("--lifetime", type=float, default=120)
    options = parser.parse_args()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=options.directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    sys.stdout.write(json.dumps({"event": "listening", "port": server.server_address[1]}) + "\n")
    sys.stdout.flush()
    threading.Timer(options.lifetime, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
