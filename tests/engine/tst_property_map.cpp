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

    // A connection's properties shared by its messages: seen by lookups and walks, changed and
    // removed per message without touching the shared entries or the other messages.
    void baseEntriesActAsTheMessagesOwn()
    {
        const PropertyMap::Base base = std::make_shared<const std::vector<PropertyMap::Entry>>(
            std::vector<PropertyMap::Entry>{{QStringLiteral("channel"), QStringLiteral("ws-1")},
                                            {QStringLiteral("subprotocol"), QString()}});
        PropertyMap first;
        first.setBase(base);
        PropertyMap second;
        second.setBase(base);
        QCOMPARE(first.size(), 2);
        QVERIFY(!first.isEmpty());
        QCOMPARE(first.value(QStringLiteral("channel")).toString(), QStringLiteral("ws-1"));
        QVERIFY(first.contains(QStringLiteral("subprotocol")));

        // A name of its own goes after the base's, and leaves the base shared.
        first.insert(QStringLiteral("OUT_ONLY"), QStringLiteral("true"));
        QCOMPARE(first.size(), 3);
        QCOMPARE(first.keys(),
                 QStringList({QStringLiteral("channel"), QStringLiteral("subprotocol"),
                              QStringLiteral("OUT_ONLY")}));
        // Replacing a base entry changes this map only, and keeps the order.
        second.insert(QStringLiteral("channel"), QStringLiteral("changed"));
        QCOMPARE(second.size(), 2);
        QCOMPARE(second.value(QStringLiteral("channel")).toString(), QStringLiteral("changed"));
        QCOMPARE(second.keys().first(), QStringLiteral("channel"));
        QCOMPARE(base->front().value.toString(), QStringLiteral("ws-1"));
        QCOMPARE(first.value(QStringLiteral("channel")).toString(), QStringLiteral("ws-1"));
        // Removing one does too.
        second.remove(QStringLiteral("subprotocol"));
        QVERIFY(!second.contains(QStringLiteral("subprotocol")));
        QCOMPARE(base->size(), size_t(2));
        QVERIFY(first.contains(QStringLiteral("subprotocol")));

        // Walks and copies see the base.
        QStringList walked;
        for (auto it = first.constBegin(); it != first.constEnd(); ++it)
            walked << it.key();
        QCOMPARE(walked, QStringList({QStringLiteral("channel"), QStringLiteral("subprotocol"),
                                      QStringLiteral("OUT_ONLY")}));
        PropertyMap third;
        third.setBase(base);
        const PropertyMap copy = third;
        QCOMPARE(copy.toHash().value(QStringLiteral("channel")).toString(), QStringLiteral("ws-1"));
        QCOMPARE(third.constFind(QStringLiteral("channel")).value().toString(),
                 QStringLiteral("ws-1"));
    }

    // The value a mediator just set is read through a pointer (message events); a walk that
    // copies a base in moves the values, and the pointer must not be handed out after that.
    void lastSetPropertyIsNotHandedOutAfterTheBaseIsCopiedIn()
    {
        MessageContext message(std::make_shared<MediationEnvironment>());
        message.setBaseProperties(
            PropertyScope::Default,
            std::make_shared<const std::vector<PropertyMap::Entry>>(std::vector<PropertyMap::Entry>{
                {QStringLiteral("channel"), QStringLiteral("ws-1")}}));
        const QString name = QStringLiteral("OUT_ONLY");
        message.setProperty(name, QStringLiteral("true"));
        QCOMPARE(message.lastSetProperty(name, PropertyScope::Default)->toString(),
                 QStringLiteral("true"));
        const PropertyMap &scope = message.properties(PropertyScope::Default);
        QCOMPARE(scope.constBegin().key(), QStringLiteral("channel")); // copies the base in
        QVERIFY(message.lastSetProperty(name, PropertyScope::Default) == nullptr);
        QCOMPARE(message.property(name).toString(), QStringLiteral("true"));
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
