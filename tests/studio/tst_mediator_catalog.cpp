// SPDX-License-Identifier: Apache-2.0
// The mediator catalog agrees with the mediator factories: every registered mediator is
// described, every template builds, every described attribute (of the mediator, its parts and
// its branches) is one the factory accepts and every attribute the factory accepts is described.
// Summaries, branches, groups and the inbound endpoint parameters through the same API.
#include "artifacts/artifact_io.h"
#include "artifacts/mediator_catalog.h"
#include "mediation/mediator_registry.h"
#include "model/field_check.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace sluice;

namespace {

Diagnostics build(const XmlNode &element)
{
    Diagnostics diagnostics;
    MediatorBuildContext context(MediatorRegistry::builtIn(), diagnostics);
    context.build(element);
    return diagnostics;
}

XmlNode parseMediator(const QString &xml)
{
    Diagnostics diagnostics;
    const QString wrapped =
        QStringLiteral("<sequence xmlns=\"%1\">%2</sequence>").arg(kSynapseNamespace, xml);
    std::optional<XmlNode> root = parseXml(wrapped.toUtf8(), QStringLiteral("t.xml"), diagnostics);
    if (!root || !root->firstChildElement())
        return XmlNode();
    return *root->firstChildElement();
}

QString sampleValue(const ParameterSpec &spec)
{
    switch (spec.kind) {
    case ParameterSpec::Kind::Choice:
        return spec.choices.isEmpty() ? QString() : spec.choices.first().value;
    case ParameterSpec::Kind::Boolean:
        return QStringLiteral("false");
    case ParameterSpec::Kind::Integer:
        return QString::number(spec.minimum);
    case ParameterSpec::Kind::Expression:
        return QStringLiteral("get-property('x')");
    case ParameterSpec::Kind::Regex:
        return QStringLiteral(".*");
    default:
        return spec.defaultValue.isEmpty() ? QStringLiteral("x") : spec.defaultValue;
    }
}

// The "allowed: a, b" list of the factory's "unknown attribute" message for `tag`.
std::optional<QSet<QString>> allowedAttributes(const Diagnostics &diagnostics, const QString &tag)
{
    static const QRegularExpression pattern(
        QStringLiteral("unknown attribute 'zzzUnknown' on <([^>]+)>; allowed: (.*)$"));
    for (const Diagnostic &diagnostic : diagnostics.items()) {
        const QRegularExpressionMatch match = pattern.match(diagnostic.message);
        if (!match.hasMatch() || match.captured(1) != tag)
            continue;
        QSet<QString> names;
        if (match.captured(2) != QLatin1String("none")) {
            for (const QString &name : match.captured(2).split(QStringLiteral(", ")))
                names.insert(name);
        }
        return names;
    }
    return std::nullopt;
}

QString unknownAttributeProblem(const Diagnostics &diagnostics, const QString &name)
{
    for (const Diagnostic &diagnostic : diagnostics.items()) {
        if (diagnostic.message.startsWith(QStringLiteral("unknown attribute '%1'").arg(name)))
            return diagnostic.message;
    }
    return QString();
}

// The element named `name` below `parent`, appended when there is none.
XmlNode &childNamed(XmlNode &parent, const QString &name)
{
    for (XmlNode &child : parent.children) {
        if (child.isElement() && child.name == name)
            return child;
    }
    XmlNode element = XmlNode::element(name);
    element.namespacesInScope = parent.namespacesInScope;
    return parent.appendChild(std::move(element));
}

QSet<QString> namesOf(const QList<ParameterSpec> &specs)
{
    QSet<QString> names;
    for (const ParameterSpec &spec : specs)
        names.insert(spec.name);
    return names;
}

// Checks the attributes described for the element at `route` (element names below the
// mediator) against what the factory accepts there.
void checkAttributes(const MediatorDescription &description, const QStringList &route,
                     const QList<ParameterSpec> &specs)
{
    const QString where = description.elementName + QLatin1Char('/') + route.join(QLatin1Char('/'));
    for (const ParameterSpec &spec : specs) {
        XmlNode mediator = description.createElement();
        XmlNode *element = &mediator;
        for (const QString &name : route)
            element = &childNamed(*element, name);
        element->setAttribute(spec.name, sampleValue(spec));
        const QString problem = unknownAttributeProblem(build(mediator), spec.name);
        QVERIFY2(problem.isEmpty(), qPrintable(where + QStringLiteral(": ") + problem));
    }
    // The reverse: what the factory allows is described (where the factory lists it).
    XmlNode mediator = description.createElement();
    XmlNode *element = &mediator;
    for (const QString &name : route)
        element = &childNamed(*element, name);
    element->setAttribute(QStringLiteral("zzzUnknown"), QStringLiteral("1"));
    const std::optional<QSet<QString>> allowed = allowedAttributes(
        build(mediator), route.isEmpty() ? description.elementName : route.last());
    if (allowed) {
        const QSet<QString> described = namesOf(specs);
        QVERIFY2(
            *allowed == described,
            qPrintable(where + QStringLiteral(": factory allows ") +
                       QStringList(allowed->begin(), allowed->end()).join(QLatin1Char(',')) +
                       QStringLiteral("; described ") +
                       QStringList(described.begin(), described.end()).join(QLatin1Char(','))));
    }
}

void checkParts(const MediatorDescription &description, const QStringList &route,
                const QList<MediatorPartSpec> &parts)
{
    for (const MediatorPartSpec &part : parts) {
        const QStringList partRoute = route + QStringList{part.elementName};
        checkAttributes(description, partRoute, part.attributes);
        if (QTest::currentTestFailed())
            return;
        checkParts(description, partRoute, part.parts);
    }
}

} // namespace

class MediatorCatalogTest : public QObject {
    Q_OBJECT

private slots:
    void everyRegisteredMediatorIsDescribed()
    {
        const QStringList registered = MediatorRegistry::builtIn().elementNames();
        QVERIFY(!registered.isEmpty());
        for (const QString &name : registered)
            QVERIFY2(findMediatorDescription(name),
                     qPrintable(name + QStringLiteral(" has no "
                                                      "description")));
        for (const MediatorDescription &description : mediatorCatalog())
            QVERIFY2(registered.contains(description.elementName),
                     qPrintable(description.elementName));
        QCOMPARE(mediatorCatalog().size(), registered.size());
    }

    void description_data()
    {
        QTest::addColumn<QString>("element");
        for (const MediatorDescription &description : mediatorCatalog())
            QTest::newRow(qPrintable(description.elementName)) << description.elementName;
    }

    void description()
    {
        QFETCH(QString, element);
        const MediatorDescription *d = findMediatorDescription(element);
        QVERIFY(d);
        QVERIFY(!d->displayName.isEmpty());
        QVERIFY(!d->help.isEmpty());
        QVERIFY(d->iconName.startsWith(QLatin1String("mediator-")));
        QVERIFY(d->findAttribute(QStringLiteral("description")));
        for (const ParameterSpec &spec : d->attributes) {
            QVERIFY2(!spec.help.isEmpty(), qPrintable(spec.name));
            if (spec.kind == ParameterSpec::Kind::Choice) {
                QVERIFY(!spec.choices.isEmpty());
                for (const ParameterSpec::Choice &choice : spec.choices)
                    QVERIFY2(!choice.meaning.isEmpty(), qPrintable(spec.name));
                if (!spec.defaultValue.isEmpty())
                    QVERIFY(!checkAttributeValue(spec, spec.defaultValue));
            }
        }
    }

    void templateBuildsWithoutProblems_data() { description_data(); }
    void templateBuildsWithoutProblems()
    {
        QFETCH(QString, element);
        const MediatorDescription *d = findMediatorDescription(element);
        const XmlNode mediator = d->createElement();
        QCOMPARE(mediator.name, element);
        QCOMPARE(mediator.namespaceUri, kSynapseNamespace);
        // Inserted into a sequence, it writes no xmlns of its own.
        for (const XmlNamespaceDeclaration &declaration : mediator.namespaceDeclarations)
            QVERIFY(!declaration.prefix.isEmpty());
        const Diagnostics diagnostics = build(mediator);
        QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
        QVERIFY(studio::checkMediator(mediator).isEmpty());
        QVERIFY(!summarize(mediator).isEmpty());
    }

    void attributesAgreeWithTheFactory_data() { description_data(); }
    void attributesAgreeWithTheFactory()
    {
        QFETCH(QString, element);
        const MediatorDescription *d = findMediatorDescription(element);
        checkAttributes(*d, {}, d->attributes);
        if (QTest::currentTestFailed())
            return;
        checkParts(*d, {}, d->parts);
        if (QTest::currentTestFailed())
            return;
        for (const MediatorBranchSpec &branch : d->branches)
            checkAttributes(*d, {branch.elementName}, branch.attributes);
    }

    void groups()
    {
        QCOMPARE(mediatorGroups().size(), 4);
        int total = 0;
        for (MediatorGroup group : mediatorGroups()) {
            QVERIFY(!mediatorGroupName(group).isEmpty());
            QVERIFY(!mediatorsInGroup(group).isEmpty());
            total += int(mediatorsInGroup(group).size());
        }
        QCOMPARE(total, mediatorCatalog().size());
        auto groupOf = [](const char *name) {
            return findMediatorDescription(QLatin1String(name))->group;
        };
        QCOMPARE(groupOf("log"), MediatorGroup::Core);
        QCOMPARE(groupOf("property"), MediatorGroup::Core);
        QCOMPARE(groupOf("filter"), MediatorGroup::FlowControl);
        QCOMPARE(groupOf("switch"), MediatorGroup::FlowControl);
        QCOMPARE(groupOf("payloadFactory"), MediatorGroup::Transformation);
        QCOMPARE(groupOf("send"), MediatorGroup::Transport);
        QCOMPARE(groupOf("call"), MediatorGroup::Transport);
        // Palette order: grouped.
        int lastGroup = -1;
        for (const MediatorDescription &description : mediatorCatalog()) {
            QVERIFY(int(description.group) >= lastGroup);
            lastGroup = int(description.group);
        }
    }

    void iconsAreDistinct()
    {
        QSet<QString> icons;
        for (const MediatorDescription &description : mediatorCatalog())
            icons.insert(description.iconName);
        QCOMPARE(icons.size(), mediatorCatalog().size());
        QCOMPARE(mediatorIconName(parseMediator(QStringLiteral("<foo/>"))),
                 QStringLiteral("mediator-unknown"));
        QCOMPARE(mediatorIconName(parseMediator(QStringLiteral("<log/>"))),
                 QStringLiteral("mediator-log"));
    }

    void summary_data()
    {
        QTest::addColumn<QString>("xml");
        QTest::addColumn<QString>("summary");
        auto row = [](const char *name, const char *xml, const QString &summary) {
            QTest::newRow(name) << QString::fromUtf8(xml) << summary;
        };
        row("property", "<property name=\"OUT_ONLY\" value=\"true\"/>",
            QStringLiteral("property OUT_ONLY = true"));
        row("property scope", "<property name=\"X\" scope=\"axis2\" value=\"1\"/>",
            QStringLiteral("property X = 1 (axis2)"));
        row("property expression", "<property name=\"X\" expression=\"$ctx:a\"/>",
            QStringLiteral("property X = {$ctx:a}"));
        row("property remove", "<property name=\"X\" action=\"remove\"/>",
            QStringLiteral("property remove X"));
        row("log full", "<log level=\"full\"/>", QStringLiteral("log full"));
        row("log default", "<log/>", QStringLiteral("log simple"));
        row("log custom",
            "<log level=\"custom\" category=\"WARN\"><property name=\"a\" value=\"1\"/>"
            "<property name=\"b\" value=\"2\"/></log>",
            QStringLiteral("log custom: a, b (WARN)"));
        row("send address",
            "<send><endpoint><address uri=\"ws://localhost:8082/websocket\"/></endpoint></send>",
            QStringLiteral("send \u2192 ws://localhost:8082/websocket"));
        row("send key", "<send><endpoint key=\"wsBackend\"/></send>",
            QStringLiteral("send \u2192 wsBackend"));
        row("send nothing", "<send/>", QStringLiteral("send (to the To address)"));
        row("call http",
            "<call><endpoint><http method=\"post\" uri-template=\"http://h/x\"/></endpoint></call>",
            QStringLiteral("call \u2192 POST http://h/x"));
        row("filter regex", "<filter source=\"get-property('x')\" regex=\"a.*\"/>",
            QStringLiteral("filter get-property('x') ~ /a.*/"));
        row("filter xpath", "<filter xpath=\"//a\"/>", QStringLiteral("filter //a"));
        row("switch",
            "<switch source=\"$ctx:x\"><case regex=\"a\"/><case regex=\"b\"/><default/></switch>",
            QStringLiteral("switch $ctx:x (2 cases, default)"));
        row("sequence key", "<sequence key=\"next\"/>", QStringLiteral("sequence \u2192 next"));
        row("sequence inline", "<sequence><log/><drop/></sequence>",
            QStringLiteral("sequence (2 mediators)"));
        row("respond", "<respond/>", QStringLiteral("respond"));
        row("drop", "<drop/>", QStringLiteral("drop"));
        row("loopback", "<loopback/>", QStringLiteral("loopback"));
        row("payloadFactory",
            "<payloadFactory media-type=\"json\"><format>{\"a\": $1}</format>"
            "</payloadFactory>",
            QStringLiteral("payloadFactory json: {\"a\": $1}"));
        row("header", "<header name=\"X-A\" scope=\"transport\" value=\"1\"/>",
            QStringLiteral("header X-A = 1 (transport)"));
        row("enrich",
            "<enrich><source type=\"body\"/><target type=\"property\" property=\"B\"/></enrich>",
            QStringLiteral("enrich body \u2192 property B"));
        row("makefault", "<makefault version=\"pox\"><reason value=\"bad\"/></makefault>",
            QStringLiteral("makefault pox: bad"));
        row("unknown", "<foo/>", QStringLiteral("<foo> (not editable in design)"));
        row("unknown prefixed", "<x:clone xmlns:x=\"urn:x\"/>",
            QStringLiteral("<x:clone> (not editable in design)"));
        row("long",
            "<filter "
            "xpath=\"//"
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            "aa\"/>",
            QStringLiteral("filter //") + QString(kMaxSummaryLength - 10, QLatin1Char('a')) +
                QChar(0x2026));
    }

    void summary()
    {
        QFETCH(QString, xml);
        QFETCH(QString, summary);
        const XmlNode mediator = parseMediator(xml);
        QVERIFY(mediator.isElement());
        QCOMPARE(summarize(mediator), summary);
        QVERIFY(summarize(mediator).size() <= kMaxSummaryLength);
    }

    void branches()
    {
        const XmlNode filter =
            parseMediator(QStringLiteral("<filter xpath=\"1\"><then/><else/></filter>"));
        QList<MediatorBranch> found = mediatorBranches(filter);
        QCOMPARE(found.size(), 2);
        QCOMPARE(found.at(0).label, QStringLiteral("then"));
        QCOMPARE(found.at(0).elementIndex, 0);
        QCOMPARE(found.at(1).label, QStringLiteral("else"));
        QCOMPARE(found.at(1).elementIndex, 1);

        const XmlNode bare = parseMediator(QStringLiteral("<filter xpath=\"1\"><log/></filter>"));
        found = mediatorBranches(bare);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.at(0).elementIndex, -1);

        const XmlNode switchMediator = parseMediator(QStringLiteral(
            "<switch source=\"1\"><!-- c --><case regex=\"a\"/><case regex=\"b\"/><default/>"
            "</switch>"));
        found = mediatorBranches(switchMediator);
        QCOMPARE(found.size(), 3);
        QCOMPARE(found.at(0).label, QStringLiteral("case a"));
        QCOMPARE(found.at(1).label, QStringLiteral("case b"));
        QCOMPARE(found.at(1).elementIndex, 1);
        QCOMPARE(found.at(2).label, QStringLiteral("default"));

        QVERIFY(mediatorBranches(parseMediator(QStringLiteral("<sequence key=\"a\"/>"))).isEmpty());
        QCOMPARE(
            mediatorBranches(parseMediator(QStringLiteral("<sequence><log/></sequence>"))).size(),
            1);
        QVERIFY(mediatorBranches(parseMediator(QStringLiteral("<log/>"))).isEmpty());
        QVERIFY(mediatorBranches(parseMediator(QStringLiteral("<foo><log/></foo>"))).isEmpty());
    }

    void inboundParametersThroughTheSameApi()
    {
        const QList<ParameterSpec> &ws = inboundEndpointParameterSpecs(QStringLiteral("ws"));
        const QList<ParameterSpec> &wss = inboundEndpointParameterSpecs(QStringLiteral("wss"));
        QVERIFY(!ws.isEmpty());
        QVERIFY(wss.size() > ws.size());
        const ParameterSpec *broadcast = nullptr;
        for (const ParameterSpec &spec : ws) {
            if (spec.name == QLatin1String("ws.client.side.broadcast.level"))
                broadcast = &spec;
        }
        QVERIFY(broadcast);
        QCOMPARE(broadcast->kind, ParameterSpec::Kind::Choice);
        QCOMPARE(broadcast->choices.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(broadcast->choices.at(i).value, QString::number(i));
            QVERIFY(!broadcast->choices.at(i).meaning.isEmpty());
        }
        QCOMPARE(checkAttributeValue(*broadcast, QStringLiteral("3")).value_or(QString()),
                 QStringLiteral("'3' is not one of 0, 1, 2"));
        QVERIFY(!checkAttributeValue(*broadcast, QStringLiteral("2")));
    }

    void artifactAttributesAgreeWithTheReader()
    {
        const QList<QPair<ArtifactKind, QString>> minimal = {
            {ArtifactKind::Sequence, QStringLiteral("<sequence name=\"s\"/>")},
            {ArtifactKind::InboundEndpoint,
             QStringLiteral("<inboundEndpoint name=\"i\" protocol=\"ws\"><parameters/>"
                            "</inboundEndpoint>")},
            {ArtifactKind::Endpoint,
             QStringLiteral("<endpoint name=\"e\"><address uri=\"ws://h\"/></endpoint>")},
            {ArtifactKind::ProxyService, QStringLiteral("<proxy name=\"p\"><target/></proxy>")},
            {ArtifactKind::Api, QStringLiteral("<api name=\"a\" context=\"/a\"/>")},
            {ArtifactKind::LocalEntry, QStringLiteral("<localEntry key=\"l\">x</localEntry>")},
        };
        for (const auto &[kind, xml] : minimal) {
            for (const ParameterSpec &spec : artifactAttributeSpecs(kind)) {
                Diagnostics diagnostics;
                const QString wrapped = QStringLiteral("<definitions xmlns=\"%1\">%2</definitions>")
                                            .arg(kSynapseNamespace, xml);
                std::optional<XmlNode> definitions =
                    parseXml(wrapped.toUtf8(), QStringLiteral("a.xml"), diagnostics);
                QVERIFY(definitions && definitions->firstChildElement());
                XmlNode root = *definitions->firstChildElement();
                root.setAttribute(spec.name, sampleValue(spec));
                readArtifacts(root, diagnostics);
                QVERIFY2(unknownAttributeProblem(diagnostics, spec.name).isEmpty(),
                         qPrintable(xml + QLatin1Char(' ') + spec.name));
            }
        }
        QCOMPARE(proxyTargetAttributeSpecs().size(), 4);
    }

    void checkValues()
    {
        const MediatorDescription *property = findMediatorDescription(QStringLiteral("property"));
        QVERIFY(checkAttributeValue(*property->findAttribute(QStringLiteral("scope")),
                                    QStringLiteral("nowhere")));
        QVERIFY(!checkAttributeValue(*property->findAttribute(QStringLiteral("scope")),
                                     QStringLiteral("axis2")));
        QVERIFY(checkAttributeValue(*property->findAttribute(QStringLiteral("name")), QString()));
        QVERIFY(checkAttributeValue(*property->findAttribute(QStringLiteral("pattern")),
                                    QStringLiteral("(")));
        const ParameterSpec &expression = *property->findAttribute(QStringLiteral("expression"));
        QVERIFY(!checkAttributeValue(expression, QStringLiteral("get-property(")));
        QVERIFY(studio::checkFieldValue(expression, QStringLiteral("get-property(")));
        QVERIFY(!studio::checkFieldValue(expression, QStringLiteral("get-property('a')")));
        const ParameterSpec &group = *property->findAttribute(QStringLiteral("group"));
        QVERIFY(studio::checkFieldValue(group, QStringLiteral("-1")));
        QVERIFY(studio::checkFieldValue(group, QStringLiteral("x")));

        const XmlNode filter = parseMediator(QStringLiteral("<filter/>"));
        const Diagnostics problems = studio::checkMediator(filter);
        QCOMPARE(problems.errorCount(), 1);
        QVERIFY(problems.items().first().message.contains(QLatin1String("needs either 'xpath'")));
    }
};

QTEST_GUILESS_MAIN(MediatorCatalogTest)
#include "tst_mediator_catalog.moc"
