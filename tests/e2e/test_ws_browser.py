# SPDX-License-Identifier: Apache-2.0
"""Headless Chromium (Debian's `chromium`) as the client, with the browser's own WebSocket API:
a page served from 127.0.0.1 opens a WebSocket to the proxy, sends text and an ArrayBuffer,
and posts what came back to the test's HTTP server, which the test waits on (bounded)."""
import hashlib
import http.server
import json
import os
import queue
import shutil
import threading
import time
import unittest

from peers.harness import Proxy

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>sluice e2e</title></head><body>
<script>
const report = (result) => fetch('/result', {method: 'POST', body: JSON.stringify(result)});
const result = {messages: []};
const binary = new Uint8Array(4096);
for (let i = 0; i < binary.length; ++i) binary[i] = (i * 7) & 0xff;
const socket = new WebSocket('ws://127.0.0.1:%(port)d/browser');
socket.binaryType = 'arraybuffer';
socket.onopen = () => {
    result.protocol = socket.protocol;
    socket.send('hello from the browser \\u00e9\\u20ac\\ud83d\\ude00');
    socket.send(binary.buffer);
};
socket.onmessage = (event) => {
    if (typeof event.data === 'string') {
        result.messages.push({kind: 'text', data: event.data});
    } else {
        const bytes = new Uint8Array(event.data);
        let same = bytes.length === binary.length;
        for (let i = 0; same && i < bytes.length; ++i) same = bytes[i] === binary[i];
        result.messages.push({kind: 'binary', size: bytes.length, identical: same});
    }
    if (result.messages.length === 2) socket.close(1000, 'browser done');
};
socket.onclose = (event) => {
    result.close = {code: event.code, reason: event.reason, wasClean: event.wasClean};
    report(result);
};
socket.onerror = () => { result.error = true; };
setTimeout(() => report(Object.assign({timeout: true}, result)), 15000);
</script></body></html>
"""


def serve_page(page):
    """An HTTP server on 127.0.0.1 serving `page` at /page.html; results POSTed to /result go
    to the returned queue."""
    results = queue.Queue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = page.encode()
            self.send_response(200 if self.path == "/page.html" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            results.put(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, results


class BrowserTest(unittest.TestCase):
    def setUp(self):
        if not os.access(CHROMIUM, os.X_OK):
            self.skipTest("chromium is not installed (scripts/bootstrap test installs it)")

    def test_chromium_websocket_echo_of_text_and_arraybuffer(self):
        proxy = Proxy(self)
        server, results = serve_page(PAGE % {"port": proxy.port})
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        profile = os.path.join(proxy.work.path, "chromium-profile")
        browser = proxy.work.child([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                          "--no-first-run", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync",
                          "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                          "http://127.0.0.1:%d/page.html" % server.server_address[1]],
                         lifetime=60, name="chromium", new_session=True)
        result = None
        deadline = time.monotonic() + 45
        while result is None:
            try:
                result = results.get(timeout=0.1)
            except queue.Empty:
                if not browser.alive():
                    self.fail("chromium exited (%s) before the page reported:\n%s"
                              % (browser.process.returncode, browser.stderr_text()[-3000:]))
                if time.monotonic() > deadline:
                    self.fail("the page reported nothing within 45 s:\n%s"
                              % browser.stderr_text()[-3000:])
        self.assertNotIn("timeout", result, result)
        self.assertEqual(result["messages"], [
            {"kind": "text", "data": "hello from the browser \u00e9\u20ac\U0001f600"},
            {"kind": "binary", "size": 4096, "identical": True},
        ])
        self.assertEqual(result["close"]["code"], 1000)
        records = proxy.backend.wait_events("message", 2)
        self.assertEqual(records[0]["data"], "hello from the browser \u00e9\u20ac\U0001f600")
        expected = bytes((i * 7) & 0xFF for i in range(4096))
        self.assertEqual(records[1]["sha256"], hashlib.sha256(expected).hexdigest())
        # The browser's close reached the backend connection.
        closed = proxy.backend.wait_event("close")
        self.assertEqual((closed["code"], closed["reason"]), (1000, "browser done"))
        proxy.sluice.wait_stderr(r"connected to websocket on path /browser")


if __name__ == "__main__":
    unittest.main()
