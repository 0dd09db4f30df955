// SPDX-License-Identifier: Apache-2.0
// Sluice's own RFC 6455 frame layer (transports/ws_frame_*): the reader fed in pieces of every
// size, fragmented messages with control frames between the fragments, the length encodings at
// their edges, masking, and every protocol error with the close code it must give.
#include "transports/ws_frame_mask.h"
#include "transports/ws_frame_reader.h"
#include "transports/ws_frame_writer.h"
#include "transports/ws_utf8_validator.h"

#include <QTest>
#include <QtEndian>

using namespace sluice;

namespace {

const std::array<unsigned char, 4> kKey{0x37, 0xfa, 0x21, 0x3d};

// One frame as a peer would send it, built by hand (not with the writer under test) so that
// the reserved bits, FIN and the length encoding can be anything.
QByteArray rawFrame(quint8 opcode, const QByteArray &payload, bool fin = true, bool masked = true,
                    quint8 rsv = 0, int forceLengthBytes = -1)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | (rsv << 4) | opcode));
    const quint8 maskBit = masked ? 0x80 : 0;
    const qsizetype n = payload.size();
    int lengthBytes = forceLengthBytes >= 0 ? forceLengthBytes : n < 126 ? 0 : n <= 0xffff ? 2 : 8;
    if (lengthBytes == 0) {
        out.append(char(maskBit | n));
    } else if (lengthBytes == 2) {
        out.append(char(maskBit | 126));
        out.append(char(n >> 8)).append(char(n & 0xff));
    } else {
        out.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((quint64(n) >> shift) & 0xff));
    }
    if (!masked)
        return out + payload;
    for (unsigned char k : kKey)
        out.append(char(k));
    for (qsizetype i = 0; i < n; ++i)
        out.append(char(payload.at(i) ^ kKey[i % 4]));
    return out;
}

struct Seen {
    QList<QByteArray> items; // "text:..", "binary:..", "ping:..", "pong:..", "close:code:reason"
    int error = 0;
    QString errorReason;
};

// Feeds `input` in pieces of `chunk` bytes and records what comes out, until an error.
Seen feedAll(WsFrameReader &reader, const QByteArray &input, qsizetype chunk)
{
    Seen seen;
    for (qsizetype start = 0; start < input.size() && !seen.error; start += chunk) {
        const char *data = input.constData() + start;
        qsizetype left = std::min(chunk, input.size() - start);
        for (;;) {
            qsizetype used = 0;
            const auto event = reader.next(data, left, &used);
            data += used;
            left -= used;
            using E = WsFrameReader::Event;
            if (event == E::NeedMore)
                break;
            if (event == E::Message) {
                const bool text = reader.messageIsText();
                seen.items << (text ? "text:" : "binary:") + reader.takeMessage();
            } else if (event == E::Ping) {
                seen.items << "ping:" + reader.control();
            } else if (event == E::Pong) {
                seen.items << "pong:" + reader.control();
            } else if (event == E::Close) {
                seen.items << "close:" + QByteArray::number(reader.closeCode()) + ":" +
                                  reader.closeReason().toUtf8();
            } else {
                seen.error = reader.errorCode();
                seen.errorReason = reader.errorReason();
                break;
            }
        }
    }
    return seen;
}

} // namespace

class TestWsFrameCodec : public QObject {
    Q_OBJECT

private slots:
    void messagesInPiecesOfEverySize_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<QByteArray>>("expected");
        const QByteArray h = QByteArray("h\xc3\xa9llo \xe2\x98\x83");
        QTest::newRow("one text frame") << rawFrame(0x1, h) << QList<QByteArray>{"text:" + h};
        QTest::newRow("empty binary") << rawFrame(0x2, {}) << QList<QByteArray>{"binary:"};
        QTest::newRow("fragments, ping and pong between them")
            << rawFrame(0x1, "frag", false) + rawFrame(0x9, "p1") + rawFrame(0x0, "men", false) +
                   rawFrame(0xa, "") + rawFrame(0x0, "ted")
            << QList<QByteArray>{"ping:p1", "pong:", "text:fragmented"};
        // A character split between fragments is valid (Autobahn 6.2.3; Qt 6.4 refused it).
        QTest::newRow("UTF-8 character split across fragments")
            << rawFrame(0x1, "\xf0\x9f", false) + rawFrame(0x0, "\x98", false) +
                   rawFrame(0x0, "\x80")
            << QList<QByteArray>{"text:\xf0\x9f\x98\x80"};
        QTest::newRow("binary, then text")
            << rawFrame(0x2, QByteArray("\x00\xff", 2)) + rawFrame(0x1, "x")
            << QList<QByteArray>{"binary:" + QByteArray("\x00\xff", 2), "text:x"};
        QTest::newRow("close with code and reason")
            << rawFrame(0x8, QByteArray("\x03\xe8", 2) + "bye")
            << QList<QByteArray>{"close:1000:bye"};
        QTest::newRow("close without payload")
            << rawFrame(0x8, {}) << QList<QByteArray>{"close:1005:"};
        QTest::newRow("empty fragments")
            << rawFrame(0x2, "", false) + rawFrame(0x0, "") << QList<QByteArray>{"binary:"};
    }

    void messagesInPiecesOfEverySize()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<QByteArray>, expected);
        for (qsizetype chunk :
             {qsizetype(1), qsizetype(2), qsizetype(3), qsizetype(7), input.size()}) {
            WsFrameReader reader(WsFrameReader::Role::Server, 1 << 20);
            const Seen seen = feedAll(reader, input, chunk);
            QCOMPARE(seen.error, 0);
            QCOMPARE(seen.items, expected);
        }
    }

    // 125 fits the first byte, 126..65535 take 2 extra bytes, 65536 and up take 8.
    void lengthsAtTheEdgesOfEachEncoding_data()
    {
        QTest::addColumn<int>("size");
        for (int size : {0, 1, 7, 8, 9, 125, 126, 127, 65535, 65536, 300000})
            QTest::newRow(QByteArray::number(size).constData()) << size;
    }

    void lengthsAtTheEdgesOfEachEncoding()
    {
        QFETCH(int, size);
        QByteArray payload(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            payload[i] = char(i * 7 + 3);
        // What the writer makes as a client (masked) the server side reads, and the other way.
        for (bool masked : {true, false}) {
            QByteArray wire;
            appendWsFrame(wire, WsOpcode::Binary, payload.constData(), payload.size(),
                          masked ? &kKey : nullptr);
            const int headerSize = (size < 126 ? 2 : size <= 0xffff ? 4 : 10) + (masked ? 4 : 0);
            QCOMPARE(wire.size(), headerSize + size);
            QCOMPARE(wire, rawFrame(0x2, payload, true, masked));
            WsFrameReader reader(masked ? WsFrameReader::Role::Server : WsFrameReader::Role::Client,
                                 1 << 20);
            for (qsizetype chunk : {qsizetype(5), qsizetype(4096), wire.size()}) {
                const Seen seen = feedAll(reader, wire, chunk);
                QCOMPARE(seen.error, 0);
                QCOMPARE(seen.items.size(), 1);
                QCOMPARE(seen.items.first(), "binary:" + payload);
            }
        }
    }

    void aNonMinimalLengthEncodingIsRead()
    {
        // RFC 6455 asks for the minimal encoding; peers that use a longer one are still read.
        WsFrameReader reader(WsFrameReader::Role::Server, 1 << 20);
        const Seen seen = feedAll(reader, rawFrame(0x1, "abc", true, true, 0, 8), 1);
        QCOMPARE(seen.error, 0);
        QCOMPARE(seen.items, QList<QByteArray>{"text:abc"});
    }

    void protocolErrorsAndTheirCloseCodes_data()
    {
        QTest::addColumn<int>("role"); // 0 server, 1 client
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::newRow("RSV1") << 0 << rawFrame(0x1, "x", true, true, 4) << 1002 << "reserved bits";
        QTest::newRow("RSV3") << 0 << rawFrame(0x2, "x", true, true, 1) << 1002 << "reserved bits";
        QTest::newRow("opcode 3") << 0 << rawFrame(0x3, "") << 1002 << "reserved opcode 0x3";
        QTest::newRow("opcode 0xb") << 0 << rawFrame(0xb, "") << 1002 << "reserved opcode 0xb";
        QTest::newRow("unmasked from a client")
            << 0 << rawFrame(0x1, "x", true, false) << 1002 << "unmasked frame";
        QTest::newRow("masked from a server")
            << 1 << rawFrame(0x1, "x", true, true) << 1002 << "masked frame";
        QTest::newRow("fragmented ping") << 0 << rawFrame(0x9, "x", false) << 1002 << "fragmented";
        QTest::newRow("ping of 126 bytes")
            << 0 << rawFrame(0x9, QByteArray(126, 'p')) << 1002 << "longer than 125";
        QTest::newRow("continuation first") << 0 << rawFrame(0x0, "x") << 1002 << "continuation";
        QTest::newRow("text inside a message")
            << 0 << rawFrame(0x1, "a", false) + rawFrame(0x1, "b") << 1002 << "new message";
        QTest::newRow("top bit of the 64-bit length")
            << 0 << QByteArray("\x82\xff\x80\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04", 14)
            << 1002 << "top bit";
        QTest::newRow("close with 1 byte") << 0 << rawFrame(0x8, "\x03") << 1002 << "1-byte";
        QTest::newRow("close code 1005")
            << 0 << rawFrame(0x8, QByteArray("\x03\xed", 2)) << 1002 << "invalid close code 1005";
        QTest::newRow("close code 999")
            << 0 << rawFrame(0x8, QByteArray("\x03\xe7", 2)) << 1002 << "invalid close code 999";
        QTest::newRow("close code 5000")
            << 0 << rawFrame(0x8, QByteArray("\x13\x88", 2)) << 1002 << "invalid close code 5000";
        QTest::newRow("close reason not UTF-8")
            << 0 << rawFrame(0x8, QByteArray("\x03\xe8\xce\xba\xff", 5)) << 1007 << "close reason";
        QTest::newRow("invalid UTF-8") << 0 << rawFrame(0x1, "\xc0\xaf") << 1007 << "invalid UTF-8";
        QTest::newRow("surrogate") << 0 << rawFrame(0x1, "\xed\xa0\x80") << 1007 << "invalid UTF-8";
        QTest::newRow("above U+10FFFF")
            << 0 << rawFrame(0x1, "\xf4\x90\x80\x80") << 1007 << "invalid UTF-8";
        // Failed at the bad fragment, before the message ends (Autobahn 6.4.1: fail fast).
        QTest::newRow("bad byte in the middle fragment")
            << 0 << rawFrame(0x1, "good", false) + rawFrame(0x0, "\xff", false) << 1007
            << "invalid UTF-8";
        QTest::newRow("message ends inside a character")
            << 0 << rawFrame(0x1, "ok\xe2\x82", false) + rawFrame(0x0, "") << 1007 << "ends inside";
        QTest::newRow("one frame over the limit")
            << 0 << rawFrame(0x2, QByteArray(1025, 'x')) << 1009 << "larger than 1024";
        QTest::newRow("fragments over the limit")
            << 0 << rawFrame(0x2, QByteArray(600, 'x'), false) + rawFrame(0x0, QByteArray(600, 'y'))
            << 1009 << "larger than 1024";
    }

    void protocolErrorsAndTheirCloseCodes()
    {
        QFETCH(int, role);
        QFETCH(QByteArray, input);
        QFETCH(int, code);
        QFETCH(QString, reason);
        for (qsizetype chunk : {qsizetype(1), input.size()}) {
            WsFrameReader reader(
                role == 0 ? WsFrameReader::Role::Server : WsFrameReader::Role::Client, 1024);
            const Seen seen = feedAll(reader, input, chunk);
            QCOMPARE(seen.error, code);
            QVERIFY2(seen.errorReason.contains(reason), qPrintable(seen.errorReason));
            QVERIFY(seen.items.isEmpty());
        }
    }

    void aMessageAtTheLimitIsRead()
    {
        WsFrameReader reader(WsFrameReader::Role::Server, 1024);
        const Seen seen = feedAll(
            reader,
            rawFrame(0x2, QByteArray(512, 'a'), false) + rawFrame(0x0, QByteArray(512, 'b')), 100);
        QCOMPARE(seen.error, 0);
        QCOMPARE(seen.items,
                 QList<QByteArray>{"binary:" + QByteArray(512, 'a') + QByteArray(512, 'b')});
    }

    void validCloseCodesAreAccepted()
    {
        for (int code : {1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999}) {
            WsFrameReader reader(WsFrameReader::Role::Client, 1024);
            QByteArray payload(2, Qt::Uninitialized);
            qToBigEndian(quint16(code), payload.data());
            const Seen seen = feedAll(reader, rawFrame(0x8, payload, true, false), 64);
            QCOMPARE(seen.error, 0);
            QCOMPARE(seen.items, QList<QByteArray>{"close:" + QByteArray::number(code) + ":"});
        }
    }

    void theClosePayloadIsCutAtACharacterBoundary()
    {
        const QByteArray payload = wsClosePayload(1001, QString(70, QChar(0x00e9))); // 140 bytes
        QCOMPARE(payload.size(), 2 + 122); // 61 characters of 2 bytes, not half of the 62nd
        QCOMPARE(qFromBigEndian<quint16>(payload.constData()), quint16(1001));
        WsUtf8Validator utf8;
        QVERIFY(utf8.feed(payload.constData() + 2, payload.size() - 2) && utf8.atBoundary());
    }

    void theMaskIsAppliedAtEveryPhase()
    {
        // Pieces that start at every offset modulo 4 and 8 give the same payload.
        QByteArray payload(203, Qt::Uninitialized);
        for (int i = 0; i < payload.size(); ++i)
            payload[i] = char(i);
        const QByteArray wire = rawFrame(0x2, payload);
        for (qsizetype chunk = 1; chunk <= 17; ++chunk) {
            WsFrameReader reader(WsFrameReader::Role::Server, 1 << 20);
            const Seen seen = feedAll(reader, wire, chunk);
            QCOMPARE(seen.items, QList<QByteArray>{"binary:" + payload});
        }
    }

    // The validator skips ASCII 64, 16 and 8 bytes at a time: whatever block a byte falls in,
    // a non-ASCII byte must reach the byte-by-byte rules (RFC 3629).
    void utf8IsJudgedWhereverTheFirstNonAsciiByteFalls()
    {
        for (qsizetype at = 0; at < 200; ++at) {
            QByteArray text(200, 'a');
            text[at] = char(0xff); // never valid in UTF-8
            WsUtf8Validator invalid;
            QVERIFY2(!invalid.feed(text.constData(), text.size()), qPrintable(QString::number(at)));
            text[at] = char(0x80); // a continuation byte with no lead
            WsUtf8Validator orphan;
            QVERIFY2(!orphan.feed(text.constData(), text.size()), qPrintable(QString::number(at)));
            if (at + 1 < text.size()) {
                text[at] = char(0xc3); // é: C3 A9
                text[at + 1] = char(0xa9);
                WsUtf8Validator valid;
                QVERIFY2(valid.feed(text.constData(), text.size()) && valid.atBoundary(),
                         qPrintable(QString::number(at)));
            }
            // A lead byte last: not an error yet, but not a place a message may end.
            WsUtf8Validator open;
            QVERIFY(open.feed(text.constData(), at) && open.atBoundary());
            QVERIFY(open.feed("\xc3", 1) && !open.atBoundary());
        }
    }

    // copyMasked takes 16, then 8, then 1 byte at a time: every length through two 16-byte
    // steps and every phase must give RFC 6455's byte-by-byte result (5.3).
    void copyMaskedMatchesTheByteByByteRule()
    {
        const std::array<unsigned char, 4> key{0x12, 0xa5, 0x7f, 0xc3};
        QByteArray from(70, Qt::Uninitialized);
        for (int i = 0; i < from.size(); ++i)
            from[i] = char(i * 37 + 11);
        for (int phase = 0; phase < 4; ++phase) {
            for (qsizetype size = 0; size <= from.size(); ++size) {
                QByteArray expected(size, Qt::Uninitialized);
                for (qsizetype i = 0; i < size; ++i)
                    expected[i] = char(from[i] ^ key[size_t((phase + i) % 4)]);
                QByteArray to(size, Qt::Uninitialized);
                copyMasked(to.data(), from.constData(), size, key, phase);
                QVERIFY2(to == expected,
                         qPrintable(QStringLiteral("size %1, phase %2").arg(size).arg(phase)));
            }
        }
    }

    // The reader fills the buffer of its last small message again once nobody holds it
    // (WsFrameReader::m_spare): a message still held, by itself or by a copy, must keep its
    // bytes whatever comes after it. (That a free buffer is reused, saving an allocation, is a
    // speed matter: bench/compare.py's instructions figure shows it.)
    void aMessageStillHeldKeepsItsBytes()
    {
        WsFrameReader reader(WsFrameReader::Role::Server, 1 << 20);
        const auto read = [&reader](quint8 opcode, const QByteArray &payload) {
            const QByteArray wire = rawFrame(opcode, payload);
            qsizetype used = 0;
            const auto event = reader.next(wire.constData(), wire.size(), &used);
            if (event != WsFrameReader::Event::Message || used != wire.size())
                qFatal("frame of %lld bytes not read whole", qlonglong(wire.size()));
            return reader.takeMessage();
        };
        const QByteArray first = read(0x1, "the first message");
        const QByteArray copyOfSecond = read(0x2, QByteArray("second\0binary", 13));
        QByteArray third = read(0x1, "third");
        QCOMPARE(first, QByteArray("the first message"));
        QCOMPARE(copyOfSecond, QByteArray("second\0binary", 13));
        QCOMPARE(third, QByteArray("third"));
        // Let go, then small, large (above the spare's limit) and small messages again.
        third = QByteArray();
        QByteArray fourth = read(0x1, "4th");
        QCOMPARE(fourth, QByteArray("4th"));
        fourth = QByteArray();
        const QByteArray large(5000, 'x');
        const QByteArray fifth = read(0x2, large);
        const QByteArray sixth = read(0x1, "sixth, after a large one");
        const QByteArray seventh = read(0x1, "seventh, while the sixth is held");
        QCOMPARE(first, QByteArray("the first message"));
        QCOMPARE(copyOfSecond, QByteArray("second\0binary", 13));
        QCOMPARE(fifth, large);
        QCOMPARE(sixth, QByteArray("sixth, after a large one"));
        QCOMPARE(seventh, QByteArray("seventh, while the sixth is held"));
    }
};

QTEST_GUILESS_MAIN(TestWsFrameCodec)
#include "tst_ws_frame_codec.moc"
