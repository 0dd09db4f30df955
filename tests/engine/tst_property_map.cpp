// SPDX-License-Identifier: Apache-2.0
// The flat property storage of a message scope: QHash's semantics where the engine relies on
// them (replace on insert, exact and case-sensitive names), first-set order when iterating.
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediation/property_map.h"

#include <QTest>

using namespace sluice;

class TestPropertyMap : public QObject {
    Q_OBJECT

private slots:
    void insertReplacesAndKeepsFirstSetOrder()
    {
        PropertyMap map;
        map.insert(QStringLiteral("b"), 1);
        map.insert(QStringLiteral("a"), 2);
        map.insert(QStringLiteral("b"), 3);
        QCOMPARE(map.size(), 2);
        QCOMPARE(map.keys(), QStringList({QStringLiteral("b"), QStringLiteral("a")}));
        QCOMPARE(map.value(QStringLiteral("b")).toInt(), 3);
        QStringList walked;
        for (auto it = map.constBegin(); it != map.constEnd(); ++it)
            walked << it.key() + QLatin1Char('=') + it.value().toString();
        QCOMPARE(walked, QStringList({QStringLiteral("b=3"), QStringLiteral("a=2")}));
    }

    void namesAreExactAndCaseSensitive()
    {
        PropertyMap map;
        map.insert(QStringLiteral("ContentType"), QStringLiteral("text/plain"));
        QVERIFY(map.contains(QStringLiteral("ContentType")));
        QVERIFY(!map.contains(QStringLiteral("contenttype")));
        QVERIFY(!map.contains(QStringLiteral("Content")));
        QVERIFY(map.find(QStringLiteral("ContentTyp")) == nullptr);
        QVERIFY(map.constFind(QStringLiteral("x")) == map.cend());
        QCOMPARE(map.constFind(QStringLiteral("ContentType")).value().toString(),
                 QStringLiteral("text/plain"));
        QVERIFY(!map.value(QStringLiteral("missing")).isValid());
    }

    void removeLeavesTheOthers()
    {
        PropertyMap map;
        for (int i = 0; i < 10; ++i)
            map.insert(QStringLiteral("p%1").arg(i), i);
        map.remove(QStringLiteral("p3"));
        map.remove(QStringLiteral("absent"));
        QCOMPARE(map.size(), 9);
        QVERIFY(!map.contains(QStringLiteral("p3")));
        QCOMPARE(map.value(QStringLiteral("p9")).toInt(), 9);
        const QVariantHash hash = map.toHash();
        QCOMPARE(hash.size(), 9);
        QCOMPARE(hash.value(QStringLiteral("p0")).toInt(), 0);
    }

    void messageScopesStayApart()
    {
        MessageContext message(std::make_shared<MediationEnvironment>());
        const QString name = QStringLiteral("X-Trace");
        message.setProperty(name, QStringLiteral("default"));
        message.setProperty(name, QStringLiteral("header"), PropertyScope::Transport);
        QCOMPARE(message.property(name).toString(), QStringLiteral("default"));
        QCOMPARE(message.property(name, PropertyScope::Transport).toString(),
                 QStringLiteral("header"));
        QCOMPARE(message.lastSetProperty(name, PropertyScope::Transport)->toString(),
                 QStringLiteral("header"));
        message.removeProperty(name, PropertyScope::Transport);
        QVERIFY(!message.hasProperty(name, PropertyScope::Transport));
        QVERIFY(message.lastSetProperty(name, PropertyScope::Transport) == nullptr);
        QVERIFY(message.hasProperty(name));
    }
};

QTEST_GUILESS_MAIN(TestPropertyMap)
#include "tst_property_map.moc"
