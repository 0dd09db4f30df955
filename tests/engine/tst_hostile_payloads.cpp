// SPDX-License-Identifier: Apache-2.0
// Message payloads that attack the XML parsers (libxml2): external entities (XXE) pointing at a
// file with a known secret, parameter entities, an external DTD, and entity bombs (billion
// laughs), through every way a payload reaches libxml2: the XML payload itself (read by XPath in
// a filter, a property, a log), and text from a JSON payload turned into XML by a property of
// type OM and enriched into the body. The secret must never appear in what is logged, set or
// sent back, and the bombs must not be expanded.

#include "hostile_xml.h"
#include "mediation_fixture.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace sluice;
using namespace Qt::StringLiterals;
using sluice::test::MediationFixture;

namespace {

const QByteArray kSecret = "SLUICE-SECRET-7f3a9c";

// The XML payload itself: read by XPath in a property and a filter, logged in full, sent back.
const QString kXmlPayloadSequence = uR"xml(<property name="v" expression="string(/r)"/>
  <filter xpath="count(//*) &gt; 0"><then><log level="full"/></then></filter>
  <log level="custom"><property name="v" expression="get-property('v')"/></log>
  <respond/>)xml"_s;
// Text from a JSON payload made XML by a property of type OM, enriched into the body.
const QString kJsonToXmlSequence = uR"xml(<property name="x" expression="json-eval($.x)" type="OM"/>
  <enrich><source type="property" property="x"/><target type="body"/></enrich>
  <property name="v" expression="string(/*)"/>
  <log level="full"/>
  <respond/>)xml"_s;

QString seq(const QString &name, const QString &body)
{
    return u"<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"%1\">\n  %2\n</sequence>\n"_s
        .arg(name, body);
}

} // namespace

class TestHostilePayloads : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_secretUrl;

    // Everything a run left behind, as one text to search.
    static QByteArray traces(MediationFixture &f, const std::shared_ptr<MessageContext> &message)
    {
        QByteArray all = f.logLines().join(u'\n').toUtf8();
        for (const auto &response : f.responses().responses)
            all += '\n' + response.payload;
        for (const QString &name : {u"v"_s, u"x"_s, u"ERROR_MESSAGE"_s})
            all += '\n' + message->property(name).toString().toUtf8();
        return all;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile secret(m_dir.filePath(u"secret.txt"_s));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write(kSecret + "\n");
        secret.close();
        m_secretUrl = QUrl::fromLocalFile(secret.fileName()).toString();
    }

    void hostileXmlPayload_data()
    {
        QTest::addColumn<QByteArray>("payload");
        const QByteArray url = m_secretUrl.toUtf8();
        QTest::newRow("external entity")
            << "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + url + "\">]><r>&x;</r>";
        QTest::newRow("parameter entity")
            << "<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]><r>p</r>";
        QTest::newRow("external DTD") << "<!DOCTYPE r SYSTEM \"" + url + "\"><r>d</r>";
        QTest::newRow("entity in attribute")
            << "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + url + "\">]><r a=\"&x;\">t</r>";
        QTest::newRow("billion laughs") << sluice::test::billionLaughsDoctype("r") + "<r>&l10;</r>";
    }
    // The XML payload itself: read by a filter, a property and a full log, then sent back.
    void hostileXmlPayload()
    {
        QFETCH(QByteArray, payload);
        MediationFixture f;
        QVERIFY2(f.addArtifact(seq(u"s"_s, kXmlPayloadSequence)), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, payload, u"application/xml"_s);
        const QByteArray all = traces(f, message);
        QVERIFY2(!all.contains(kSecret), all.constData());
        QVERIFY2(!all.contains("lollollol"), all.left(400).constData());
        // The XPath over the payload failed with a reason naming the DOCTYPE: a fault, not a crash
        // and not an empty result taken for data.
        QVERIFY2(all.contains("DOCTYPE"), all.left(2000).constData());
    }

    void hostileXmlFromJson_data() { hostileXmlPayload_data(); }
    // Text from a JSON payload parsed as XML by a property of type OM, enriched into the body.
    void hostileXmlFromJson()
    {
        QFETCH(QByteArray, payload);
        MediationFixture f;
        QVERIFY2(f.addArtifact(seq(u"s"_s, kJsonToXmlSequence)), qPrintable(f.errors()));
        const QByteArray json =
            "{\"x\":\"" + payload.replace('\\', "\\\\").replace('"', "\\\"") + "\"}";
        auto message = f.run(u"s"_s, json, u"application/json"_s);
        const QByteArray all = traces(f, message);

        QVERIFY2(!all.contains(kSecret), all.constData());
        QVERIFY2(!all.contains("lollollol"), all.left(400).constData());
        // Refused as a fault with its reason, not taken in silently.
        QVERIFY2(message->property(u"ERROR_MESSAGE"_s).toString().contains(u"not an XML element"_s),
                 all.constData());
    }
};

QTEST_GUILESS_MAIN(TestHostilePayloads)
#include "tst_hostile_payloads.moc"
