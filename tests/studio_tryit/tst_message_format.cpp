// SPDX-License-Identifier: Apache-2.0
// How the try-it WebSocket client turns typed text into frames and shows what comes back.

#include "app/message_format.h"

#include <QtTest>

using namespace sluice::studio;

class TestMessageFormat : public QObject {
    Q_OBJECT
private slots:
    void textIsSentAsTyped()
    {
        const EncodedMessage message = encodeMessage(MessageMode::Text, QStringLiteral("{oops"));
        QVERIFY(message.ok);
        QVERIFY(!message.binary);
        QCOMPARE(message.bytes, QByteArray("{oops"));
    }

    void jsonValuesOfEveryKindAreAccepted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("object") << QStringLiteral("{\"a\": [1, 2]}");
        QTest::newRow("array") << QStringLiteral("[true, null]");
        QTest::newRow("string") << QStringLiteral("\"hello\"");
        QTest::newRow("number") << QStringLiteral("  42 ");
    }
    void jsonValuesOfEveryKindAreAccepted()
    {
        QFETCH(QString, text);
        const EncodedMessage message = encodeMessage(MessageMode::Json, text);
        QVERIFY2(message.ok, qPrintable(message.errorText()));
        QCOMPARE(message.bytes, text.toUtf8());
    }

    void invalidJsonIsPlacedByLineAndColumn()
    {
        // The missing comma is at the start of line 3 ("  \"b\"").
        const QString text = QStringLiteral("{\n  \"a\": 1\n  \"b\": 2\n}");
        const EncodedMessage message = encodeMessage(MessageMode::Json, text);
        QVERIFY(!message.ok);
        QVERIFY(message.bytes.isEmpty());
        QCOMPARE(message.line, 3);
        QCOMPARE(message.column, 3);
        QVERIFY2(message.errorText().startsWith(QStringLiteral("line 3, column 3: ")),
                 qPrintable(message.errorText()));
    }

    void columnsCountCharactersNotBytes()
    {
        // "é" is two bytes in UTF-8; the stray 'x' is the 9th character of line 1.
        const EncodedMessage message =
            encodeMessage(MessageMode::Json, QStringLiteral("{\"é\": 1 x}"));
        QVERIFY(!message.ok);
        QCOMPARE(message.line, 1);
        QCOMPARE(message.column, 9);
    }

    void twoJsonValuesAreNotOneMessage()
    {
        const EncodedMessage message = encodeMessage(MessageMode::Json, QStringLiteral("1, 2"));
        QVERIFY(!message.ok);
        QCOMPARE(message.column, 2);
        QVERIFY(!encodeMessage(MessageMode::Json, QStringLiteral("   ")).ok);
    }

    void hexInputInSeveralSpellings()
    {
        const EncodedMessage message =
            encodeMessage(MessageMode::Hex, QStringLiteral("0x00 ff:10\n7F,0X41"));
        QVERIFY2(message.ok, qPrintable(message.errorText()));
        QVERIFY(message.binary);
        QCOMPARE(message.bytes, QByteArray::fromHex("00ff107f41"));
    }

    void badHexIsPlaced()
    {
        EncodedMessage message = encodeMessage(MessageMode::Hex, QStringLiteral("00 11\n2g"));
        QVERIFY(!message.ok);
        QCOMPARE(message.line, 2);
        QCOMPARE(message.column, 2);
        message = encodeMessage(MessageMode::Hex, QStringLiteral("00 1"));
        QVERIFY(!message.ok);
        QVERIFY(message.error.contains(QStringLiteral("odd number")));
        QCOMPARE(message.column, 4);
    }

    void base64Input()
    {
        const EncodedMessage message =
            encodeMessage(MessageMode::Base64, QStringLiteral("AAEC\n/w=="));
        QVERIFY(message.ok);
        QVERIFY(message.binary);
        QCOMPARE(message.bytes, QByteArray::fromHex("000102ff"));
        QVERIFY(!encodeMessage(MessageMode::Base64, QStringLiteral("A*==")).ok);
    }

    void modeNamesRoundTrip()
    {
        for (const MessageMode mode :
             {MessageMode::Text, MessageMode::Json, MessageMode::Hex, MessageMode::Base64}) {
            bool ok = false;
            QCOMPARE(messageModeFromName(messageModeName(mode), &ok), mode);
            QVERIFY(ok);
        }
        bool ok = true;
        QCOMPARE(messageModeFromName(QStringLiteral("morse"), &ok), MessageMode::Text);
        QVERIFY(!ok);
    }

    void readablePayloads()
    {
        QCOMPARE(readablePayload("{\"a\":[1]}", false),
                 QStringLiteral("{\n    \"a\": [\n        1\n    ]\n}"));
        QCOMPARE(readablePayload("<a><b>x</b></a>", false),
                 QStringLiteral("<a>\n  <b>x</b>\n</a>"));
        QCOMPARE(readablePayload("plain <text", false), QStringLiteral("plain <text"));
        // Offset, the bytes padded to 16 columns (an extra space after the 8th), the characters.
        QCOMPARE(readablePayload("Hi\x01", true), QStringLiteral("00000000  48 69 01 ") +
                                                      QString(40, QLatin1Char(' ')) +
                                                      QStringLiteral(" |Hi.|"));
        QCOMPARE(payloadSummary("{ \"a\" : 1 }", false), QStringLiteral("{\"a\":1}"));
        // A big binary frame shows its first 64 KiB (4096 lines of 16 bytes) and what is left.
        const QString big = readablePayload(QByteArray(64 * 1024 + 10, 'x'), true);
        QCOMPARE(big.count(QLatin1Char('\n')), 4096);
        QVERIFY(big.endsWith(QStringLiteral("\n… 10 more bytes")));
        QCOMPARE(payloadSummary(QByteArray::fromHex("0aff"), true), QStringLiteral("0a ff"));
    }

    void sizes()
    {
        QCOMPARE(formatSize(12), QStringLiteral("12 B"));
        QCOMPARE(formatSize(2048 + 512), QStringLiteral("2.5 KiB"));
        QCOMPARE(formatSize(3 * 1024 * 1024), QStringLiteral("3.0 MiB"));
    }
};

QTEST_GUILESS_MAIN(TestMessageFormat)
#include "tst_message_format.moc"
