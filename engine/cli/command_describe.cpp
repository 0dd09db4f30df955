// SPDX-License-Identifier: Apache-2.0
// sluice describe: the descriptions the studio's forms are built from (mediator catalog,
// artifact attributes, inbound endpoint parameters) as JSON. scripts/generate-reference turns it
// into docs/user-guide/reference.md, and a test checks that the two still agree.
#include "artifacts/mediator_catalog.h"
#include "cli_common.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>

namespace sluice::cli {

namespace {

QString kindName(ParameterSpec::Kind kind)
{
    using Kind = ParameterSpec::Kind;
    switch (kind) {
    case Kind::Integer:
        return QStringLiteral("integer");
    case Kind::Boolean:
        return QStringLiteral("boolean");
    case Kind::Choice:
        return QStringLiteral("choice");
    case Kind::SequenceReference:
        return QStringLiteral("sequence-reference");
    case Kind::Text:
        return QStringLiteral("text");
    case Kind::FilePath:
        return QStringLiteral("file-path");
    case Kind::Secret:
        return QStringLiteral("secret");
    case Kind::Expression:
        return QStringLiteral("expression");
    case Kind::Regex:
        return QStringLiteral("regex");
    case Kind::EndpointReference:
        return QStringLiteral("endpoint-reference");
    }
    return QStringLiteral("text");
}

QJsonArray specsJson(const QList<ParameterSpec> &specs)
{
    QJsonArray array;
    for (const ParameterSpec &spec : specs) {
        QJsonObject object{
            {QStringLiteral("name"), spec.name},
            {QStringLiteral("kind"), kindName(spec.kind)},
            {QStringLiteral("default"), spec.defaultValue},
            {QStringLiteral("required"), spec.required},
            {QStringLiteral("help"), spec.help},
        };
        if (spec.kind == ParameterSpec::Kind::Integer) {
            object.insert(QStringLiteral("minimum"), spec.minimum);
            if (spec.maximum != 0)
                object.insert(QStringLiteral("maximum"), spec.maximum);
        }
        if (!spec.choices.isEmpty()) {
            QJsonArray choices;
            for (const ParameterSpec::Choice &choice : spec.choices)
                choices.append(QJsonObject{{QStringLiteral("value"), choice.value},
                                           {QStringLiteral("meaning"), choice.meaning}});
            object.insert(QStringLiteral("choices"), choices);
        }
        array.append(object);
    }
    return array;
}

QJsonArray exclusiveJson(const QList<QStringList> &groups)
{
    QJsonArray array;
    for (const QStringList &group : groups)
        array.append(QJsonArray::fromStringList(group));
    return array;
}

QString contentName(MediatorPartSpec::Content content)
{
    switch (content) {
    case MediatorPartSpec::Content::None:
        return QStringLiteral("none");
    case MediatorPartSpec::Content::Text:
        return QStringLiteral("text");
    case MediatorPartSpec::Content::Xml:
        return QStringLiteral("xml");
    case MediatorPartSpec::Content::Parts:
        return QStringLiteral("parts");
    }
    return QStringLiteral("none");
}

QJsonArray partsJson(const QList<MediatorPartSpec> &parts)
{
    QJsonArray array;
    for (const MediatorPartSpec &part : parts) {
        array.append(QJsonObject{
            {QStringLiteral("element"), part.elementName},
            {QStringLiteral("displayName"), part.displayName},
            {QStringLiteral("help"), part.help},
            {QStringLiteral("required"), part.required},
            {QStringLiteral("repeated"), part.repeated},
            {QStringLiteral("content"), contentName(part.content)},
            {QStringLiteral("attributes"), specsJson(part.attributes)},
            {QStringLiteral("exclusiveAttributes"), exclusiveJson(part.exclusiveAttributes)},
            {QStringLiteral("parts"), partsJson(part.parts)},
        });
    }
    return array;
}

QJsonArray mediatorsJson()
{
    QJsonArray array;
    for (const MediatorDescription &mediator : mediatorCatalog()) {
        QJsonArray branches;
        for (const MediatorBranchSpec &branch : mediator.branches)
            branches.append(QJsonObject{
                {QStringLiteral("element"), branch.elementName},
                {QStringLiteral("displayName"), branch.displayName},
                {QStringLiteral("help"), branch.help},
                {QStringLiteral("repeated"), branch.repeated},
                {QStringLiteral("attributes"), specsJson(branch.attributes)},
            });
        array.append(QJsonObject{
            {QStringLiteral("element"), mediator.elementName},
            {QStringLiteral("displayName"), mediator.displayName},
            {QStringLiteral("group"), mediatorGroupName(mediator.group)},
            {QStringLiteral("help"), mediator.help},
            {QStringLiteral("attributes"), specsJson(mediator.attributes)},
            {QStringLiteral("exclusiveAttributes"), exclusiveJson(mediator.exclusiveAttributes)},
            {QStringLiteral("parts"), partsJson(mediator.parts)},
            {QStringLiteral("branches"), branches},
            {QStringLiteral("holdsMediators"), mediator.holdsMediators},
            {QStringLiteral("inlineXml"), mediator.inlineXml},
            {QStringLiteral("template"), mediator.templateXml},
        });
    }
    return array;
}

QJsonArray artifactsJson()
{
    QJsonArray array;
    for (const ArtifactKindInfo &info : artifactKinds()) {
        QJsonObject object{
            {QStringLiteral("kind"), info.description},
            {QStringLiteral("folder"), info.folder},
            {QStringLiteral("attributes"), specsJson(artifactAttributeSpecs(info.kind))},
        };
        if (info.kind == ArtifactKind::ProxyService)
            object.insert(QStringLiteral("target"), specsJson(proxyTargetAttributeSpecs()));
        array.append(object);
    }
    return array;
}

QJsonArray inboundJson()
{
    QJsonArray array;
    for (const QString &protocol : {QStringLiteral("ws"), QStringLiteral("wss")})
        array.append(QJsonObject{
            {QStringLiteral("protocol"), protocol},
            {QStringLiteral("parameters"), specsJson(inboundEndpointParameterSpecs(protocol))},
        });
    return array;
}

} // namespace

int runDescribe(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Prints, as JSON, every built-in mediator, artifact attribute and inbound "
                       "endpoint parameter with its kind, default and help: the descriptions the "
                       "studio's forms and the reference documentation are made from."));
    parser.addHelpOption();
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (!parser.positionalArguments().isEmpty())
        return usageError(parser, arguments, QStringLiteral("no arguments expected"));
    printJson(
        QJsonObject{
            {QStringLiteral("version"), QStringLiteral(SLUICE_VERSION)},
            {QStringLiteral("mediatorGroups"),
             [] {
                 QJsonArray groups;
                 for (MediatorGroup group : mediatorGroups())
                     groups.append(mediatorGroupName(group));
                 return groups;
             }()},
            {QStringLiteral("mediators"), mediatorsJson()},
            {QStringLiteral("artifacts"), artifactsJson()},
            {QStringLiteral("inboundEndpoints"), inboundJson()},
        },
        true);
    return kExitOk;
}

} // namespace sluice::cli
