// SPDX-License-Identifier: Apache-2.0
// The text frame cache of the WebSocket transports: an untouched payload is sent with the string
// Qt decoded it from; any other payload, changed or merely equal, is decoded from its bytes.
#include "transports/text_frame_cache.h"

#include <QTest>

using namespace sluice;

class TestTextFrameCache : public QObject {
    Q_OBJECT

private slots:
    void anUntouchedPayloadIsSentWithTheReceivedString()
    {
        const QString text = QStringLiteral("h\u00e9llo \u2603");
        const QByteArray payload = TextFrameCache::received(text);
        QCOMPARE(payload, text.toUtf8());
        const QString sent = TextFrameCache::toSend(payload);
        QCOMPARE(sent, text);
        QCOMPARE(sent.constData(), text.constData()); // the same string, not a new decode
    }

    void aChangedPayloadIsDecodedFromItsBytes()
    {
        const QByteArray payload = TextFrameCache::received(QStringLiteral("h\u00e9llo"));
        QByteArray changed = payload;
        changed[0] = 'j'; // detaches: another buffer
        QCOMPARE(TextFrameCache::toSend(changed), QStringLiteral("j\u00e9llo"));
        const QByteArray shorter = payload.left(1);
        QCOMPARE(TextFrameCache::toSend(shorter), QStringLiteral("h"));
    }

    void equalBytesInAnotherBufferAreDecoded()
    {
        const QString text = QStringLiteral("same");
        TextFrameCache::received(text);
        const QByteArray other("same");
        const QString sent = TextFrameCache::toSend(other);
        QCOMPARE(sent, text);
        QVERIFY(sent.constData() != text.constData());
    }

    void aLargeFrameIsNotKept()
    {
        const QString large(64 * 1024 + 1, QLatin1Char('x'));
        const QByteArray payload = TextFrameCache::received(large);
        const QString sent = TextFrameCache::toSend(payload);
        QCOMPARE(sent, large);
        QVERIFY(sent.constData() != large.constData());
    }
};

QTEST_GUILESS_MAIN(TestTextFrameCache)
#include "tst_text_frame_cache.moc"
