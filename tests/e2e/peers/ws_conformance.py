# SPDX-License-Identifier: Apache-2.0
"""A raw-socket WebSocket conformance client, written from RFC 6455 and the case list of the
Autobahn test suite (https://github.com/crossbario/autobahn-testsuite): groups 1 framing,
2 ping/pong, 3 reserved bits, 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close handling, 9 limits
(short). Each case talks to an echo endpoint over its own connection and gets a verdict from what
the server actually did:

  PASS        the behaviour the RFC asks for (echo; or the connection failed with the right code)
  NON-STRICT  acceptable but not the strict behaviour (Autobahn's term: e.g. a fail-fast case that
              echoes before failing, a fail case closed with another code than 1002/1007)
  FAIL        wrong (no echo, wrong data, a bad frame accepted, no close, a hang)

Only the Python standard library: the client must be able to send what libraries refuse to."""
import os
import socket
import struct
import time

TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA
GROUPS = {
    "1": "framing (text and binary messages, 0 B to 64 KiB)",
    "2": "ping / pong",
    "3": "reserved bits",
    "4": "reserved opcodes",
    "5": "fragmentation",
    "6": "UTF-8 handling",
    "7": "close handling and close codes",
    "9": "limits (short): big messages, many fragments, over the size limit",
}


def frame(opcode, payload=b"", fin=True, rsv=0, mask=True, length=None):
    """One client frame; `length` overrides the length field (for lying frames)."""
    n = len(payload) if length is None else length
    header = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    bit = 0x80 if mask else 0
    if n < 126:
        header += bytes([bit | n])
    elif n < 65536:
        header += bytes([bit | 126]) + struct.pack("!H", n)
    else:
        header += bytes([bit | 127]) + struct.pack("!Q", n)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def close_frame(code=1000, reason=b""):
    return frame(CLOSE, (struct.pack("!H", code) if code is not None else b"") + reason)


# The client's closing handshake at the end of a case; sent once the awaited replies are in.
BYE = object()


class Connection:
    """One client connection: the opening handshake, frames out, frames in, the close."""

    def __init__(self, port, path="/conformance", timeout=5.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.timeout = timeout
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n" % (path, port)).encode())
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError("handshake refused: %r" % head[:80])

    def send(self, data, chop=None):
        """Sends bytes, in pieces of `chop` bytes with a short pause between them if given."""
        try:
            if chop is None:
                self.sock.sendall(data)
                return
            for i in range(0, len(data), chop):
                self.sock.sendall(data[i:i + chop])
                time.sleep(0.001)
        except OSError:
            pass  # the server failed the connection already; what it said is read next

    def events(self, replies=None):
        """What the server sent: ("frame", opcode, payload, fin), then ("close", code, reason)
        and ("eof",) or ("open",) when the TCP connection ended or not; ("eof",) alone when it
        ended without a close frame; ("timeout",) when nothing ended it in time. With `replies`,
        reading stops early once that many whole messages and pongs have arrived."""
        found = []
        deadline = time.monotonic() + self.timeout
        while True:
            parsed = self._parse()
            if parsed is not None:
                opcode, payload, fin = parsed
                if opcode == CLOSE:
                    code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                    found.append(("close", code, payload[2:]))
                    found.append(self._await_eof(deadline))
                    return found
                found.append(("frame", opcode, payload, fin))
                if replies is not None and _replies(found) >= replies:
                    return found
                continue
            wait = deadline - time.monotonic()
            if wait <= 0:
                found.append(("timeout",))
                return found
            self.sock.settimeout(wait)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                found.append(("timeout",))
                return found
            except OSError:
                chunk = b""
            if not chunk:
                found.append(("eof",))
                return found
            self.buffer += chunk

    def _await_eof(self, deadline):
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                if not self.sock.recv(65536):
                    return ("eof",)
            except socket.timeout:
                break
            except OSError:
                return ("eof",)
        return ("open",)  # the server sent its close but kept the TCP connection

    def _parse(self):
        if len(self.buffer) < 2:
            return None
        first, second = self.buffer[0], self.buffer[1]
        length, offset = second & 0x7F, 2
        if length == 126:
            if len(self.buffer) < 4:
                return None
            length, offset = struct.unpack("!H", self.buffer[2:4])[0], 4
        elif length == 127:
            if len(self.buffer) < 10:
                return None
            length, offset = struct.unpack("!Q", self.buffer[2:10])[0], 10
        if len(self.buffer) < offset + length:
            return None
        payload = self.buffer[offset:offset + length]
        self.buffer = self.buffer[offset + length:]
        return first & 0x0F, payload, bool(first & 0x80)

    def close(self):
        self.sock.close()


def _messages(events):
    """Data frames of `events` joined into messages: [(opcode, payload)]; pongs apart."""
    messages, current = [], None
    for event in events:
        if event[0] != "frame" or event[1] in (PING, PONG, CLOSE):
            continue
        opcode, payload = event[1], event[2]
        if opcode == CONTINUATION and current is not None:
            current = (current[0], current[1] + payload)
        else:
            if current is not None:
                messages.append(current)
            current = (opcode, payload)
    if current is not None:
        messages.append(current)
    return messages


def _replies(events):
    """Whole messages and pongs among `events`."""
    return sum(1 for e in events if e[0] == "frame" and e[3] and e[1] != PING)


def _pongs(events):
    return [e[2] for e in events if e[0] == "frame" and e[1] == PONG]


def _close(events):
    for e in events:
        if e[0] == "close":
            return e[1]
    return None


def _ended(events):
    return events[-1][0] in ("eof",)


# --- the cases ------------------------------------------------------------------------------
# A case is (id, description, send, expect): `send` is a list of bytes (or (bytes, chop) pairs)
# written one after the other, BYE (the client's close, once the echoes are in) and numbers (wait
# until that many messages and pongs came back); `expect` a function of the server's events ->
# (verdict, detail).

def expect_echo(messages, pongs=(), close_code=1000):
    """The server echoes `messages` ([(opcode, payload)]) and answers `pongs`, then answers our
    closing handshake (sent after the messages by the case) with `close_code`."""
    def judge(events):
        got = _messages(events)
        if got != list(messages):
            return "FAIL", "echoed %s, expected %s; %s" % (_brief(got), _brief(messages),
                                                          _ending(events))
        if list(_pongs(events)) != list(pongs):
            return "FAIL", "pongs %s, expected %s" % (_brief(_pongs(events)), _brief(pongs))
        code = _close(events)
        if code != close_code:
            return "FAIL", "closed with %s, expected %s" % (code, close_code)
        if not _ended(events):
            return "NON-STRICT", "closing handshake answered, TCP connection left open"
        return "PASS", "echoed, closed %s" % code
    # The client closes only once the echoes are in, as Autobahn's cases do: a server that echoes
    # from another task must not lose the race against the client's close.
    judge.replies = len(messages) + len(pongs)
    return judge


def expect_fail(codes=(1002,), echoed_first=(), fast=True):
    """The server fails the connection: a close frame with one of `codes` (or the TCP connection
    just dropped), after echoing `echoed_first` (the valid messages before the bad frame). With
    `fast`, nothing after the bad part may be echoed."""
    def judge(events):
        got = _messages(events)
        code = _close(events)
        if events[-1][0] == "timeout" and code is None:
            return "FAIL", "connection not failed (still open after %s)" % _brief(got)
        if got[:len(echoed_first)] != list(echoed_first):
            if list(echoed_first[:len(got)]) == got:
                return "NON-STRICT", "failed with %s before echoing the valid message" % code
            return "FAIL", "echoed %s, expected %s first" % (_brief(got), _brief(echoed_first))
        extra = got[len(echoed_first):]
        if code is None:
            verdict = "PASS" if not extra else "NON-STRICT"
            return verdict, "TCP connection dropped without a close frame"
        if code not in codes:
            return "NON-STRICT", "closed with %s, expected %s" % (code, "/".join(map(str, codes)))
        if extra and fast:
            return "NON-STRICT", "echoed %s before failing with %s" % (_brief(extra), code)
        return "PASS", "failed with %s" % code
    return judge


def _ending(events):
    """How the connection ended, in words."""
    code = _close(events)
    if any(e[0] == "close" for e in events):
        return "closed with %s" % code
    return {"eof": "TCP connection dropped", "timeout": "still open"}.get(events[-1][0], "open")


def _brief(items):
    out = []
    for item in items:
        if isinstance(item, tuple):
            opcode, payload = item
            out.append("%s:%dB" % ({TEXT: "text", BINARY: "binary"}.get(opcode, opcode),
                                   len(payload)))
        else:
            out.append("%dB" % len(item))
    return "[" + ", ".join(out) + "]"


def cases(max_message_size):
    """Every case: (id, description, [bytes or (bytes, chop)], judge)."""
    bye = BYE
    out = []

    def add(case_id, description, send, judge):
        out.append((case_id, description, send, judge))

    # 1: framing, text then binary, lengths across the 7-bit / 16-bit / 64-bit length forms.
    for n, size in enumerate([0, 125, 126, 127, 128, 65535, 65536], 1):
        text = b"*" * size
        add("1.1.%d" % n, "text message of %d bytes" % size,
            [frame(TEXT, text), bye], expect_echo([(TEXT, text)]))
        data = b"\xfe" * size
        add("1.2.%d" % n, "binary message of %d bytes" % size,
            [frame(BINARY, data), bye], expect_echo([(BINARY, data)]))
    add("1.1.8", "text message of 65536 bytes sent in 997-byte chops",
        [(frame(TEXT, b"*" * 65536), 997), bye], expect_echo([(TEXT, b"*" * 65536)]))

    # 2: ping / pong.
    add("2.1", "ping without payload", [frame(PING), bye], expect_echo([], pongs=[b""]))
    add("2.2", "ping with a text payload", [frame(PING, b"Hello, world!"), bye],
        expect_echo([], pongs=[b"Hello, world!"]))
    add("2.3", "ping with a binary payload", [frame(PING, b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff"), bye],
        expect_echo([], pongs=[b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff"]))
    add("2.4", "ping with 125 bytes", [frame(PING, b"\xfe" * 125), bye],
        expect_echo([], pongs=[b"\xfe" * 125]))
    add("2.5", "ping with 126 bytes (control frames are at most 125)",
        [frame(PING, b"\xfe" * 126), bye], expect_fail())
    add("2.6", "ping with 125 bytes sent byte by byte", [(frame(PING, b"\xfe" * 125), 1), bye],
        expect_echo([], pongs=[b"\xfe" * 125]))
    add("2.7", "unsolicited pong without payload", [frame(PONG), bye], expect_echo([]))
    add("2.8", "unsolicited pong with payload", [frame(PONG, b"unsolicited"), bye],
        expect_echo([]))
    add("2.9", "unsolicited pong, then a ping", [frame(PONG, b"unsolicited"),
                                                 frame(PING, b"ping"), bye],
        expect_echo([], pongs=[b"ping"]))
    add("2.10", "10 pings", [b"".join(frame(PING, b"p%d" % i) for i in range(10)), bye],
        expect_echo([], pongs=[b"p%d" % i for i in range(10)]))
    add("2.11", "10 pings sent in 1-byte chops",
        [(b"".join(frame(PING, b"p%d" % i) for i in range(10)), 1), bye],
        expect_echo([], pongs=[b"p%d" % i for i in range(10)]))

    # 3: reserved bits (no extension was negotiated: any RSV bit fails the connection).
    hello = frame(TEXT, b"Hello")
    add("3.1", "text with RSV1", [frame(TEXT, b"Hello", rsv=4), bye], expect_fail())
    add("3.2", "echo, text with RSV2, ping", [hello, 1, frame(TEXT, b"Hello", rsv=2),
                                              frame(PING), bye],
        expect_fail(echoed_first=[(TEXT, b"Hello")]))
    add("3.3", "echo, text with RSV1+2, ping (in one write)",
        [hello + frame(TEXT, b"Hello", rsv=6) + frame(PING), bye],
        expect_fail(echoed_first=[(TEXT, b"Hello")]))
    add("3.4", "echo, text with RSV3, ping (in 1-byte chops)",
        [(hello + frame(TEXT, b"Hello", rsv=1) + frame(PING), 1), bye],
        expect_fail(echoed_first=[(TEXT, b"Hello")]))
    add("3.5", "binary with RSV1+3", [frame(BINARY, b"\x00\xff", rsv=5), bye], expect_fail())
    add("3.6", "ping with RSV2+3", [frame(PING, b"p", rsv=3), bye], expect_fail())
    add("3.7", "close with all RSV bits", [frame(CLOSE, struct.pack("!H", 1000), rsv=7)],
        expect_fail())

    # 4: reserved opcodes.
    for n, opcode in enumerate([3, 4, 5, 6, 7], 1):
        add("4.1.%d" % n, "echo, non-control opcode %d, ping" % opcode,
            [hello, 1, frame(opcode, b"reserved"), frame(PING), bye],
            expect_fail(echoed_first=[(TEXT, b"Hello")]))
    for n, opcode in enumerate([11, 12, 13, 14, 15], 1):
        add("4.2.%d" % n, "echo, control opcode %d, ping" % opcode,
            [hello, 1, frame(opcode, b"reserved"), frame(PING), bye],
            expect_fail(echoed_first=[(TEXT, b"Hello")]))

    # 5: fragmentation.
    add("5.1", "ping in 2 fragments", [frame(PING, b"frag", fin=False),
                                       frame(CONTINUATION, b"ment"), bye], expect_fail())
    add("5.2", "pong in 2 fragments", [frame(PONG, b"frag", fin=False),
                                       frame(CONTINUATION, b"ment"), bye], expect_fail())
    add("5.3", "text in 2 fragments", [frame(TEXT, b"frag", fin=False),
                                       frame(CONTINUATION, b"ment"), bye],
        expect_echo([(TEXT, b"fragment")]))
    add("5.4", "text in 2 fragments, 1-byte chops",
        [(frame(TEXT, b"frag", fin=False) + frame(CONTINUATION, b"ment"), 1), bye],
        expect_echo([(TEXT, b"fragment")]))
    add("5.5", "text in 2 fragments with a ping between",
        [frame(TEXT, b"frag", fin=False), frame(PING, b"between"), frame(CONTINUATION, b"ment"),
         bye], expect_echo([(TEXT, b"fragment")], pongs=[b"between"]))
    add("5.6", "binary in 3 fragments, one empty",
        [frame(BINARY, b"\x01", fin=False), frame(CONTINUATION, b"", fin=False),
         frame(CONTINUATION, b"\x02"), bye], expect_echo([(BINARY, b"\x01\x02")]))
    add("5.7", "continuation without a message (fin)", [frame(CONTINUATION, b"orphan"), bye],
        expect_fail())
    add("5.8", "continuation without a message (not fin)",
        [frame(CONTINUATION, b"orphan", fin=False), bye], expect_fail())
    add("5.9", "text fragment, then a new text frame instead of a continuation",
        [frame(TEXT, b"first", fin=False), frame(TEXT, b"second"), bye], expect_fail())
    add("5.10", "text in 100 fragments",
        [b"".join(frame(TEXT if i == 0 else CONTINUATION, b"%02d" % i, fin=(i == 99))
                  for i in range(100)), bye],
        expect_echo([(TEXT, b"".join(b"%02d" % i for i in range(100)))]))
    add("5.11", "fragmented text with pings between every fragment, 1-byte chops",
        [(frame(TEXT, b"a", fin=False) + frame(PING, b"1") + frame(CONTINUATION, b"b", fin=False)
          + frame(PING, b"2") + frame(CONTINUATION, b"c"), 1), bye],
        expect_echo([(TEXT, b"abc")], pongs=[b"1", b"2"]))

    # 6: UTF-8.
    kosme = "κόσμε".encode()
    add("6.1.1", "empty text frame", [frame(TEXT), bye], expect_echo([(TEXT, b"")]))
    add("6.1.2", "empty text in 3 empty fragments",
        [frame(TEXT, b"", fin=False), frame(CONTINUATION, b"", fin=False),
         frame(CONTINUATION, b""), bye], expect_echo([(TEXT, b"")]))
    add("6.2.1", "valid UTF-8 (2-, 3- and 4-byte sequences) in one frame",
        [frame(TEXT, "Hello-µ@ßöäüàá-UTF-8!! 𝄞".encode()), bye],
        expect_echo([(TEXT, "Hello-µ@ßöäüàá-UTF-8!! 𝄞".encode())]))
    add("6.2.2", "valid UTF-8 in 2 fragments split between characters",
        [frame(TEXT, "Hello-µ@ß".encode(), fin=False),
         frame(CONTINUATION, "öäüàá-UTF-8!!".encode()), bye],
        expect_echo([(TEXT, "Hello-µ@ßöäüàá-UTF-8!!".encode())]))
    add("6.2.3", "valid UTF-8 with a character split across 2 fragments",
        [frame(TEXT, kosme[:1], fin=False), frame(CONTINUATION, kosme[1:]), bye],
        expect_echo([(TEXT, kosme)]))
    add("6.2.4", "valid UTF-8, one fragment per byte",
        [b"".join(frame(TEXT if i == 0 else CONTINUATION, kosme[i:i + 1],
                        fin=(i == len(kosme) - 1)) for i in range(len(kosme))), bye],
        expect_echo([(TEXT, kosme)]))
    add("6.2.5", "a 4-byte character split across 2 fragments",
        [frame(TEXT, "𝄞".encode()[:2], fin=False), frame(CONTINUATION, "𝄞".encode()[2:]), bye],
        expect_echo([(TEXT, "𝄞".encode())]))
    invalid = [("6.3.1", b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited",
                "a UTF-16 surrogate (U+D800)"),
               ("6.3.2", b"\xff", "byte 0xFF"),
               ("6.3.3", b"\xc0\xaf", "overlong '/'"),
               ("6.3.4", b"\xf4\x90\x80\x80", "above U+10FFFF"),
               ("6.3.5", b"\xce", "a truncated 2-byte sequence at the end"),
               ("6.3.6", b"\x80", "a lone continuation byte")]
    for case_id, payload, what in invalid:
        add(case_id, "text with invalid UTF-8: %s" % what, [frame(TEXT, payload), bye],
            expect_fail(codes=(1007,)))
    add("6.4.1", "invalid UTF-8 in the 2nd of 3 fragments",
        [frame(TEXT, b"good", fin=False), frame(CONTINUATION, b"\xff", fin=False),
         frame(CONTINUATION, b"end"), bye], expect_fail(codes=(1007,)))
    add("6.4.2", "invalid UTF-8 split across fragments (\\xed then \\xa0\\x80)",
        [frame(TEXT, b"\xed", fin=False), frame(CONTINUATION, b"\xa0\x80"), bye],
        expect_fail(codes=(1007,)))
    add("6.4.3", "message ending in the middle of a character",
        [frame(TEXT, b"ok\xe2\x82", fin=False), frame(CONTINUATION, b""), bye],
        expect_fail(codes=(1007,)))

    # 7: close handling.
    add("7.1.1", "echo, then close", [hello, bye], expect_echo([(TEXT, b"Hello")]))
    add("7.1.2", "close twice", [bye, bye], expect_echo([]))
    add("7.1.3", "ping after close is not answered", [bye, frame(PING, b"late")], expect_echo([]))
    add("7.1.4", "text after close is not echoed", [bye, hello], expect_echo([]))
    add("7.3.1", "close without payload", [close_frame(None)],
        _close_without_code())
    add("7.3.2", "close with a 1-byte payload", [frame(CLOSE, b"\x03")], expect_fail())
    add("7.3.3", "close with a code only", [close_frame(1000)], expect_echo([]))
    add("7.3.4", "close with a code and a reason", [close_frame(1000, b"bye now")],
        expect_echo([]))
    add("7.3.5", "close with a 123-byte reason", [close_frame(1000, b"*" * 123)],
        expect_echo([]))
    add("7.3.6", "close with a 124-byte reason (control frames are at most 125)",
        [close_frame(1000, b"*" * 124)], expect_fail())
    add("7.5.1", "close with an invalid UTF-8 reason", [close_frame(1000, b"\xce\xba\xff")],
        expect_fail(codes=(1007, 1002)))
    for n, code in enumerate([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999,
                              4000, 4999], 1):
        add("7.7.%d" % n, "close with the valid code %d" % code, [close_frame(code)],
            _close_answered())
    for n, code in enumerate([0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 5000, 65535], 1):
        add("7.9.%d" % n, "close with the invalid code %d" % code, [close_frame(code)],
            expect_fail())

    # 9: limits, short: big messages, many fragments, and one over ws.max.message.size.
    for n, size in enumerate([64 * 1024, 256 * 1024, max_message_size], 1):
        add("9.1.%d" % n, "text message of %d bytes" % size,
            [frame(TEXT, b"*" * size), bye], expect_echo([(TEXT, b"*" * size)]))
        add("9.2.%d" % n, "binary message of %d bytes" % size,
            [frame(BINARY, b"\xfe" * size), bye], expect_echo([(BINARY, b"\xfe" * size)]))
    pieces = 256
    chunk = max_message_size // pieces
    add("9.3.1", "text message of %d bytes in %d fragments" % (chunk * pieces, pieces),
        [b"".join(frame(TEXT if i == 0 else CONTINUATION, b"*" * chunk, fin=(i == pieces - 1))
                  for i in range(pieces)), bye], expect_echo([(TEXT, b"*" * chunk * pieces)]))
    add("9.4.1", "binary message 1 byte over ws.max.message.size",
        [frame(BINARY, b"\xfe" * (max_message_size + 1)), bye],
        expect_fail(codes=(1009,)))
    add("9.4.2", "fragmented text that grows over ws.max.message.size",
        [b"".join(frame(TEXT if i == 0 else CONTINUATION, b"*" * chunk, fin=False)
                  for i in range(pieces + 1)), bye], expect_fail(codes=(1009,)))
    add("9.5.1", "1000 small text messages in one write",
        [b"".join(frame(TEXT, b"m%d" % i) for i in range(1000)), bye],
        expect_echo([(TEXT, b"m%d" % i) for i in range(1000)]))
    return out


def _close_without_code():
    """RFC 6455 7.4.1: a close without a status code; the answer may echo no code (1005 is never
    sent on the wire) or 1000."""
    def judge(events):
        code = _close(events)
        if not any(e[0] == "close" for e in events):
            return "FAIL", "no close frame in answer"
        if code in (None, 1000):
            return ("PASS" if _ended(events) else "NON-STRICT"), "answered close %s" % code
        return "NON-STRICT", "answered an empty close with %s" % code
    return judge


def _close_answered():
    """A valid close code: the server answers the closing handshake (echoing the code is what
    Autobahn expects; 1000 is accepted as non-strict) and ends the TCP connection."""
    def judge(events):
        code = _close(events)
        if code is None:
            return "FAIL", "no close frame in answer"
        if not _ended(events):
            return "NON-STRICT", "closed %s, TCP connection left open" % code
        return "PASS", "answered close %s" % code
    return judge


def run_case(port, case, timeout=5.0):
    """(verdict, detail) of one case on a connection of its own."""
    _, _, send, judge = case
    try:
        connection = Connection(port, timeout=timeout)
    except (OSError, ConnectionError) as error:
        return "FAIL", "no connection: %s" % error
    try:
        events = []
        for item in send:
            if isinstance(item, int):
                events += connection.events(item)  # wait for that many replies (total)
                if events and events[-1][0] != "frame":
                    break
                continue
            if item is BYE:
                replies = getattr(judge, "replies", 0)
                if replies:
                    events += connection.events(replies)
                if events and events[-1][0] != "frame":
                    break  # the server ended the connection already
                item = close_frame(1000)
            data, chop = item if isinstance(item, tuple) else (item, None)
            connection.send(data, chop)
        if not events or events[-1][0] == "frame":
            events += connection.events()
        return judge(events)
    finally:
        connection.close()


def group_table(results):
    """Markdown table of case groups: passed / non-strict / failed per group."""
    lines = ["| group | cases | pass | non-strict | fail |", "| --- | --- | --- | --- | --- |"]
    for group, title in GROUPS.items():
        mine = [r for r in results if r["id"].split(".")[0] == group]
        count = {v: sum(1 for r in mine if r["verdict"] == v)
                 for v in ("PASS", "NON-STRICT", "FAIL")}
        lines.append("| %s %s | %d | %d | %d | %d |" % (group, title, len(mine), count["PASS"],
                                                       count["NON-STRICT"], count["FAIL"]))
    return "\n".join(lines)


def exceptions_table(results):
    """Markdown table of every case that did not pass, with what the server did."""
    lines = ["| case | what was sent | verdict | what Sluice did |", "| --- | --- | --- | --- |"]
    for r in results:
        if r["verdict"] != "PASS":
            lines.append("| %s | %s | %s | %s |" % (r["id"], r["description"], r["verdict"],
                                                    r["detail"].replace("|", "\\|")))
    return "\n".join(lines)


def markdown(results):
    """Both tables with the markers docs/conformance.md keeps them between."""
    return ("<!-- conformance:groups -->\n%s\n<!-- /conformance:groups -->\n\n"
            "<!-- conformance:exceptions -->\n%s\n<!-- /conformance:exceptions -->\n"
            % (group_table(results), exceptions_table(results)))


if __name__ == "__main__":
    # python3 peers/ws_conformance.py RESULTS.json: the tables for docs/conformance.md from the
    # results file test_ws_conformance.py writes to $SLUICE_CONFORMANCE_RESULTS.
    import json
    import sys
    with open(sys.argv[1]) as f:
        sys.stdout.write(markdown(json.load(f)))
