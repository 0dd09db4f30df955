# SPDX-License-Identifier: Apache-2.0
"""An HTTP/1.1 backend built on Python's http.server, run in the test's own process: it answers
every request with a JSON description of what it received (method, path, headers, body) and
counts the TCP connections it accepted, so tests can see keep-alive reuse. GET /slow answers only
after `slow_seconds`, for timeouts. Bound to 127.0.0.1 on a port the kernel picks. With
`tls=(certificate file, key file)` it serves HTTPS (url: https://localhost:PORT)."""
import http.server
import json
import ssl
import threading
import warnings
import time


class EchoBackend(object):
    def __init__(self, test, slow_seconds=3.0, tls=None, tls_max_version=None):
        backend = self
        self.requests = []
        self.connections = 0
        self._lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real backend
            disable_nagle_algorithm = True  # as real servers do: no 40 ms delayed-ACK stalls

            def setup(self):
                super().setup()
                with backend._lock:
                    backend.connections += 1

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                record = {"method": self.command, "path": self.path,
                          "headers": {k.lower(): v for k, v in self.headers.items()},
                          "body": body.decode("utf-8", "replace")}
                with backend._lock:
                    backend.requests.append(record)
                if self.path.startswith("/slow"):
                    time.sleep(slow_seconds)
                answer = json.dumps(record).encode()
                try:
                    self.send_response(201 if self.command == "POST" else 200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.send_header("X-Backend", "echo")
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            if tls_max_version:  # an outdated server (old versions need security level 0)
                context.set_ciphers("DEFAULT:@SECLEVEL=0")
                context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
                with warnings.catch_warnings():  # "TLSv1_1 is deprecated": the point here
                    warnings.simplefilter("ignore", DeprecationWarning)
                    context.maximum_version = getattr(ssl.TLSVersion, tls_max_version)
            # The handshake runs in accept(); a client that refuses the certificate only costs
            # that accept (socketserver drops the OSError).
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.url = "https://localhost:%d" % self.port
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        test.addCleanup(self.close)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
