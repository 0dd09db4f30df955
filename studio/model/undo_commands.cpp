// SPDX-License-Identifier: Apache-2.0
#include "undo_commands.h"

#include "artifacts/mediator_catalog.h"
#include "xml_tree.h"

#include <QRegularExpression>

namespace sluice::studio {

// ----- ArtifactCommand

ArtifactCommand::ArtifactCommand(ProjectDocument *document, const QString &text)
    : QUndoCommand(text)
    , m_document(document)
{
}

void ArtifactCommand::redo()
{
    for (const Change &change : std::as_const(m_changes))
        m_document->restoreArtifact(change.uid, change.after, change.position);
}

void ArtifactCommand::undo()
{
    for (auto it = m_changes.crbegin(); it != m_changes.crend(); ++it)
        m_document->restoreArtifact(it->uid, it->before, it->position);
}

void ArtifactCommand::addEdit(const ArtifactState &before, const ArtifactState &after)
{
    m_changes.append({before.uid, before, after, m_document->artifactPosition(before.uid)});
}

void ArtifactCommand::setMergeKey(int mergeId, const QString &key)
{
    m_mergeId = mergeId;
    m_mergeKey = key;
}

bool ArtifactCommand::mergeWith(const QUndoCommand *other)
{
    if (other->id() != id() || m_mergeId < 0)
        return false;
    const auto *next = static_cast<const ArtifactCommand *>(other);
    if (next->m_mergeKey != m_mergeKey || next->m_document != m_document || m_changes.size() != 1 ||
        next->m_changes.size() != 1 || next->m_changes.first().uid != m_changes.first().uid)
        return false;
    Change &change = m_changes.first();
    change.after = next->m_changes.first().after;
    // Typing a value and then its old value back is no edit at all.
    if (change.before && change.after && change.before->tree && change.after->tree &&
        change.before->file == change.after->file && change.before->id == change.after->id &&
        canonicalXml(*change.before->tree) == canonicalXml(*change.after->tree))
        setObsolete(true);
    return true;
}

namespace {

QString describeKind(ArtifactKind kind)
{
    return artifactKindInfo(kind).description;
}

// The artifact's current state, which must have a tree to edit.
std::optional<ArtifactState> editableState(ProjectDocument *document, const ArtifactId &id,
                                           QString *error)
{
    std::optional<ArtifactState> state = document->artifactState(id);
    if (!state) {
        *error = QStringLiteral("there is no %1 '%2'").arg(describeKind(id.kind), id.name);
        return std::nullopt;
    }
    if (!state->tree) {
        *error = QStringLiteral("the XML of %1 does not parse; correct it in the source view")
                     .arg(id.toString());
        return std::nullopt;
    }
    return state;
}

// "log mediator" for a mediator of the catalog, else the element's label ("case ^a$").
QString itemName(const XmlNode &element)
{
    return isKnownMediator(element) ? elementLabel(element) + QStringLiteral(" mediator")
                                    : elementLabel(element);
}

bool isXmlName(const QString &name)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[A-Za-z_][A-Za-z0-9_.\\-]*(:[A-Za-z_][A-Za-z0-9_.\\-]*)?$"));
    return pattern.match(name).hasMatch();
}

// Refuses a command: the reason (empty: nothing to do) and no command.
std::nullptr_t refuse(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return nullptr;
}

} // namespace

// ----- mediators

std::unique_ptr<InsertMediatorCommand>
InsertMediatorCommand::create(ProjectDocument *document, const ArtifactId &id,
                              const MediatorPath &parent, int index, const XmlNode &mediator,
                              QString *error)
{
    QString reason;
    const std::optional<ArtifactState> before = editableState(document, id, &reason);
    if (!before)
        return refuse(error, reason);
    if (!mediator.isElement())
        return refuse(error, QStringLiteral("only an element can be inserted"));
    ArtifactState after = *before;
    XmlNode *container = elementAt(*after.tree, parent);
    if (!container)
        return refuse(error, QStringLiteral("there is no element at %1 in %2")
                                 .arg(parent.toString(), id.toString()));
    if (index < 0 || index > elementCount(*container))
        return refuse(error, QStringLiteral("position %1 is outside 0..%2")
                                 .arg(index)
                                 .arg(elementCount(*container)));
    XmlNode element = mediator;
    clearLocations(element);
    insertElement(*container, index, std::move(element));
    const QString what = document->isMediatorContainer(id, parent) && isKnownMediator(mediator)
                             ? mediator.name + QStringLiteral(" mediator")
                             : mediator.name;
    auto command = std::unique_ptr<InsertMediatorCommand>(
        new InsertMediatorCommand(document, QStringLiteral("Insert %1").arg(what)));
    command->addEdit(*before, after);
    return command;
}

std::unique_ptr<RemoveMediatorCommand> RemoveMediatorCommand::create(ProjectDocument *document,
                                                                     const ArtifactId &id,
                                                                     const MediatorPath &path,
                                                                     QString *error)
{
    QString reason;
    const std::optional<ArtifactState> before = editableState(document, id, &reason);
    if (!before)
        return refuse(error, reason);
    if (path.isRoot())
        return refuse(error, QStringLiteral("the root element cannot be removed; delete the "
                                            "artifact instead"));
    ArtifactState after = *before;
    XmlNode *parent = elementAt(*after.tree, path.parent());
    const XmlNode *element = elementAt(*before->tree, path);
    if (!parent || !element)
        return refuse(
            error,
            QStringLiteral("there is no element at %1 in %2").arg(path.toString(), id.toString()));
    const QString text = QStringLiteral("Remove %1").arg(itemName(*element));
    takeElement(*parent, path.last());
    auto command =
        std::unique_ptr<RemoveMediatorCommand>(new RemoveMediatorCommand(document, text));
    command->addEdit(*before, after);
    return command;
}

std::unique_ptr<MoveMediatorCommand> MoveMediatorCommand::create(ProjectDocument *document,
                                                                 const ArtifactId &id,
                                                                 const MediatorPath &from,
                                                                 const MediatorPath &toParent,
                                                                 int toIndex, QString *error)
{
    QString reason;
    const std::optional<ArtifactState> before = editableState(document, id, &reason);
    if (!before)
        return refuse(error, reason);
    const XmlNode *moved = from.isRoot() ? nullptr : elementAt(*before->tree, from);
    const XmlNode *destination = elementAt(*before->tree, toParent);
    if (!moved || !destination)
        return refuse(error,
                      QStringLiteral("there is no element at %1 in %2")
                          .arg(moved ? toParent.toString() : from.toString(), id.toString()));
    if (toParent.startsWith(from))
        return refuse(error, QStringLiteral("a mediator cannot be moved into itself"));
    if (toIndex < 0 || toIndex > elementCount(*destination))
        return refuse(error, QStringLiteral("position %1 is outside 0..%2")
                                 .arg(toIndex)
                                 .arg(elementCount(*destination)));
    const MediatorPath fromParent = from.parent();
    const int fromIndex = from.last();
    // Paths and indices after the mediator has been taken out.
    MediatorPath parentAfter = toParent;
    if (toParent.depth() > fromParent.depth() && toParent.startsWith(fromParent) &&
        toParent.indices.at(fromParent.depth()) > fromIndex)
        --parentAfter.indices[fromParent.depth()];
    int indexAfter = toIndex;
    if (toParent == fromParent && toIndex > fromIndex)
        --indexAfter;
    if (toParent == fromParent && indexAfter == fromIndex)
        return refuse(error, QString()); // already there
    ArtifactState after = *before;
    const QString text = QStringLiteral("Move %1").arg(itemName(*moved));
    XmlNode element = takeElement(*elementAt(*after.tree, fromParent), fromIndex);
    insertElement(*elementAt(*after.tree, parentAfter), indexAfter, std::move(element));
    auto command = std::unique_ptr<MoveMediatorCommand>(new MoveMediatorCommand(document, text));
    command->addEdit(*before, after);
    return command;
}

// ----- attributes and text

std::unique_ptr<SetAttributeCommand>
SetAttributeCommand::create(ProjectDocument *document, const ArtifactId &id,
                            const MediatorPath &path, const QString &name, const QString &value,
                            QString *error)
{
    QString reason;
    const std::optional<ArtifactState> before = editableState(document, id, &reason);
    if (!before)
        return refuse(error, reason);
    const XmlNode *element = elementAt(*before->tree, path);
    if (!element)
        return refuse(
            error,
            QStringLiteral("there is no element at %1 in %2").arg(path.toString(), id.toString()));
    if (!isXmlName(name))
        return refuse(error, QStringLiteral("'%1' is not an attribute name").arg(name));
    if (path.isRoot() && name == artifactNameAttribute(id.kind))
        return refuse(error, QStringLiteral("the name of an artifact is changed by renaming it"));
    if (element->hasAttribute(name) && element->attribute(name) == value)
        return refuse(error, QString());
    ArtifactState after = *before;
    elementAt(*after.tree, path)->setAttribute(name, value);
    auto command = std::unique_ptr<SetAttributeCommand>(new SetAttributeCommand(
        document, QStringLiteral("Set %1 %2").arg(elementLabel(*element), name)));
    command->addEdit(*before, after);
    command->setMergeKey(SetAttributeId,
                         QStringLiteral("%1|%2|%3").arg(before->uid).arg(path.toString(), name));
    return command;
}

std::unique_ptr<RemoveAttributeCommand>
RemoveAttributeCommand::create(ProjectDocument *document, const ArtifactId &id,
                               const MediatorPath &path, const QString &name, QString *error)
{
    QString reason;
    const std::optional<ArtifactState> before = editableState(document, id, &reason);
    if (!before)
        return refuse(error, reason);
    const XmlNode *element = elementAt(*before->tree, path);
    if (!element)
        return refuse(
            error,
            QStringLiteral("there is no element at %1 in %2").arg(path.toString(), id.toString()));
    if (path.isRoot() && name == artifactNameAttribute(id.kind))
        return refuse(error, QStringLiteral("an artifact cannot lose its name"));
    if (!element->hasAttribute(name))
        return refuse(error, QString());
    ArtifactState after = *before;
    elementAt(*after.tree, path)->removeAttribute(name);
    auto command = std::unique_ptr<RemoveAttributeCommand>(new RemoveAttributeCommand(
        document, QStringLiteral("Remove %1 %2").arg(elementLabel(*element), name)));
    command->addEdit(*before, after);
    return command;
}

std::unique_ptr<SetTextCommand> SetTextCommand::create(ProjectDocument *document,
                                                       const ArtifactId &id,
                                                       const MediatorPath &path,
                                                       const QString &text, QString *error)
{
    QString reason;
    const std::optional<ArtifactState> before = editableState(document, id, &reason);
    if (!before)
        return refuse(error, reason);
    const XmlNode *element = elementAt(*before->tree, path);
    if (!element)
        return refuse(
            error,
            QStringLiteral("there is no element at %1 in %2").arg(path.toString(), id.toString()));
    if (element->textContent() == text)
        return refuse(error, QString());
    ArtifactState after = *before;
    setTextContent(*elementAt(*after.tree, path), text);
    auto command = std::unique_ptr<SetTextCommand>(
        new SetTextCommand(document, QStringLiteral("Edit %1 text").arg(elementLabel(*element))));
    command->addEdit(*before, after);
    command->setMergeKey(SetTextId, QStringLiteral("%1|%2").arg(before->uid).arg(path.toString()));
    return command;
}

std::unique_ptr<ReplaceChildElementCommand> ReplaceChildElementCommand::create(
    ProjectDocument *document, const ArtifactId &id, const MediatorPath &path,
    const QString &elementName, const std::optional<XmlNode> &element, bool merge, QString *error)
{
    QString reason;
    const std::optional<ArtifactState> before = editableState(document, id, &reason);
    if (!before)
        return refuse(error, reason);
    const XmlNode *parent = elementAt(*before->tree, path);
    if (!parent)
        return refuse(
            error,
            QStringLiteral("there is no element at %1 in %2").arg(path.toString(), id.toString()));
    if (element && (!element->isElement() || element->name != elementName))
        return refuse(error, QStringLiteral("the new element is not a <%1>").arg(elementName));
    int index = -1;
    int count = 0;
    for (const XmlNode &child : parent->children) {
        if (!child.isElement())
            continue;
        if (index < 0 && child.name == elementName)
            index = count;
        ++count;
    }
    if (index < 0 && !element)
        return refuse(error, QString()); // nothing to remove
    ArtifactState after = *before;
    XmlNode *target = elementAt(*after.tree, path);
    if (index >= 0)
        takeElement(*target, index);
    if (element) {
        XmlNode copy = *element;
        clearLocations(copy);
        insertElement(*target, index >= 0 ? index : count, std::move(copy));
    }
    if (canonicalXml(*before->tree) == canonicalXml(*after.tree))
        return refuse(error, QString());
    const QString text = element ? QStringLiteral("Edit %1 %2").arg(parent->name, elementName)
                                 : QStringLiteral("Remove %1 %2").arg(parent->name, elementName);
    auto command =
        std::unique_ptr<ReplaceChildElementCommand>(new ReplaceChildElementCommand(document, text));
    command->addEdit(*before, after);
    if (merge)
        command->setMergeKey(
            ReplaceChildId,
            QStringLiteral("%1|%2|%3").arg(before->uid).arg(path.toString(), elementName));
    return command;
}

std::unique_ptr<SetInboundParameterCommand>
SetInboundParameterCommand::create(ProjectDocument *document, const ArtifactId &id,
                                   const QString &name, const std::optional<QString> &value,
                                   QString *error)
{
    QString reason;
    const std::optional<ArtifactState> before = editableState(document, id, &reason);
    if (!before)
        return refuse(error, reason);
    if (id.kind != ArtifactKind::InboundEndpoint)
        return refuse(error, QStringLiteral("%1 is not an inbound endpoint").arg(id.toString()));
    if (name.trimmed().isEmpty())
        return refuse(error, QStringLiteral("a parameter needs a name"));
    ArtifactState after = *before;
    XmlNode &root = *after.tree;
    int parametersIndex = -1;
    int index = 0;
    for (const XmlNode &child : root.children) {
        if (!child.isElement())
            continue;
        if (child.name == QLatin1String("parameters") && child.namespaceUri == kSynapseNamespace)
            parametersIndex = index;
        ++index;
    }
    if (parametersIndex < 0) {
        if (!value)
            return refuse(error, QString());
        parametersIndex = elementCount(root);
        insertElement(root, parametersIndex, XmlNode::element(QStringLiteral("parameters")));
    }
    XmlNode &parameters = *elementAt(root, MediatorPath{parametersIndex});
    int parameterIndex = -1;
    index = 0;
    for (const XmlNode &child : parameters.children) {
        if (!child.isElement())
            continue;
        if (child.name == QLatin1String("parameter") &&
            child.attribute(QStringLiteral("name")) == name)
            parameterIndex = index;
        ++index;
    }
    QString text;
    if (!value) {
        if (parameterIndex < 0)
            return refuse(error, QString());
        takeElement(parameters, parameterIndex);
        text = QStringLiteral("Remove %1 %2").arg(id.name, name);
    } else {
        if (parameterIndex < 0) {
            XmlNode parameter = XmlNode::element(QStringLiteral("parameter"));
            parameter.setAttribute(QStringLiteral("name"), name);
            parameter.appendChild(XmlNode::textNode(*value));
            insertElement(parameters, elementCount(parameters), std::move(parameter));
        } else {
            XmlNode &parameter = *elementAt(parameters, MediatorPath{parameterIndex});
            if (parameter.textContent() == *value)
                return refuse(error, QString());
            setTextContent(parameter, *value);
        }
        text = QStringLiteral("Set %1 %2").arg(id.name, name);
    }
    auto command =
        std::unique_ptr<SetInboundParameterCommand>(new SetInboundParameterCommand(document, text));
    command->addEdit(*before, after);
    if (value)
        command->setMergeKey(SetParameterId, QStringLiteral("%1|%2").arg(before->uid).arg(name));
    return command;
}

// ----- source

std::unique_ptr<ReplaceSourceCommand> ReplaceSourceCommand::create(ProjectDocument *document,
                                                                   const ArtifactId &id,
                                                                   const QString &xml,
                                                                   Diagnostics *diagnostics)
{
    Diagnostics problems;
    auto fail = [&](const SourceLocation &where, const QString &message) {
        problems.error(where, message);
        if (diagnostics)
            diagnostics->append(problems);
        return nullptr;
    };
    const std::optional<ArtifactState> before = document->artifactState(id);
    if (!before)
        return fail({}, QStringLiteral("there is no %1 '%2'").arg(describeKind(id.kind), id.name));
    std::optional<XmlNode> parsed = parseXml(xml.toUtf8(), before->file, problems);
    if (!parsed) {
        if (diagnostics)
            diagnostics->append(problems);
        return nullptr;
    }
    const std::optional<ArtifactKind> kind = parsed->namespaceUri == kSynapseNamespace
                                                 ? artifactKindOfElement(parsed->name)
                                                 : std::nullopt;
    ArtifactId newId = id;
    if (kind) {
        if (*kind != id.kind && before->tree)
            return fail(parsed->location,
                        QStringLiteral("the root element must stay <%1>: this is a %2")
                            .arg(artifactElementName(id.kind), describeKind(id.kind)));
        const QString name = parsed->attribute(artifactNameAttribute(*kind));
        if (name.isEmpty())
            return fail(parsed->location, QStringLiteral("<%1> needs the attribute '%2'")
                                              .arg(parsed->name, artifactNameAttribute(*kind)));
        const QString oldName =
            before->tree ? before->tree->attribute(artifactNameAttribute(id.kind)) : QString();
        if (name != oldName || *kind != id.kind) {
            newId = {*kind, name};
            if (const auto problem = document->checkNewName(*kind, name, before->uid))
                return fail(parsed->attributeLocation(artifactNameAttribute(*kind)), *problem);
        }
    } else if (!before->tree || before->tree->name != parsed->name ||
               before->tree->namespaceUri != parsed->namespaceUri) {
        return fail(parsed->location,
                    QStringLiteral("the root element must be <%1> in the Synapse namespace")
                        .arg(artifactElementName(id.kind)));
    }
    ArtifactState after = *before;
    document->fitToFile(*parsed, before->file);
    after.tree = std::move(*parsed);
    after.id = newId;
    after.brokenText.clear();
    after.prolog =
        document->isDefinitionsFile(before->file) ? QString() : prologOf(xml, *after.tree);
    after.parseDiagnostics = Diagnostics();
    if (before->tree && canonicalXml(*before->tree) == canonicalXml(*after.tree) &&
        before->prolog == after.prolog)
        return nullptr; // the text says what the design says: nothing to do
    auto command = std::unique_ptr<ReplaceSourceCommand>(
        new ReplaceSourceCommand(document, QStringLiteral("Edit %1 source").arg(id.name)));
    command->addEdit(*before, after);
    return command;
}

// ----- artifacts

std::unique_ptr<AddArtifactCommand> AddArtifactCommand::create(ProjectDocument *document,
                                                               const XmlNode &root, QString *error)
{
    const std::optional<ArtifactKind> kind =
        root.isElement() && root.namespaceUri == kSynapseNamespace
            ? artifactKindOfElement(root.name)
            : std::nullopt;
    if (!kind)
        return refuse(error, QStringLiteral("<%1> is not an artifact (expected <sequence>, "
                                            "<inboundEndpoint>, <endpoint>, <proxy>, <api> or "
                                            "<localEntry> in the Synapse namespace)")
                                 .arg(root.name));
    const QString name = root.attribute(artifactNameAttribute(*kind));
    if (const auto problem = document->checkNewName(*kind, name))
        return refuse(error, *problem);
    ArtifactState state;
    state.uid = document->newUid();
    state.id = {*kind, name};
    state.file = document->fileForArtifact(state.id, state.uid);
    state.tree = root;
    clearLocations(*state.tree);
    document->fitToFile(*state.tree, state.file);
    auto command = std::unique_ptr<AddArtifactCommand>(new AddArtifactCommand(
        document, QStringLiteral("Add %1 %2").arg(describeKind(*kind), name)));
    command->addChange({state.uid, std::nullopt, state, int(document->artifactIds().size())});
    command->m_added = state.id;
    return command;
}

std::unique_ptr<DuplicateArtifactCommand>
DuplicateArtifactCommand::create(ProjectDocument *document, const ArtifactId &id,
                                 const QString &newName, QString *error)
{
    QString reason;
    const std::optional<ArtifactState> original = editableState(document, id, &reason);
    if (!original)
        return refuse(error, reason);
    if (const auto problem = document->checkNewName(id.kind, newName))
        return refuse(error, *problem);
    ArtifactState state;
    state.uid = document->newUid();
    state.id = {id.kind, newName};
    state.file = document->fileForArtifact(state.id, state.uid);
    state.tree = *original->tree;
    state.tree->setAttribute(artifactNameAttribute(id.kind), newName);
    clearLocations(*state.tree);
    if (document->isDefinitionsFile(original->file) && !document->isDefinitionsFile(state.file))
        state.tree->namespaceDeclarations.prepend({QString(), kSynapseNamespace});
    document->fitToFile(*state.tree, state.file);
    auto command = std::unique_ptr<DuplicateArtifactCommand>(new DuplicateArtifactCommand(
        document,
        QStringLiteral("Duplicate %1 %2 as %3").arg(describeKind(id.kind), id.name, newName)));
    command->addChange(
        {state.uid, std::nullopt, state, document->artifactPosition(original->uid) + 1});
    command->m_added = state.id;
    return command;
}

std::unique_ptr<DeleteArtifactCommand>
DeleteArtifactCommand::create(ProjectDocument *document, const ArtifactId &id, QString *error)
{
    const std::optional<ArtifactState> state = document->artifactState(id);
    if (!state)
        return refuse(error,
                      QStringLiteral("there is no %1 '%2'").arg(describeKind(id.kind), id.name));
    auto command = std::unique_ptr<DeleteArtifactCommand>(new DeleteArtifactCommand(
        document, QStringLiteral("Delete %1 %2").arg(describeKind(id.kind), id.name)));
    command->addChange({state->uid, state, std::nullopt, document->artifactPosition(state->uid)});
    for (const ArtifactReference &reference : document->referencesTo(id)) {
        if (reference.from != id)
            command->m_dangling.append(reference);
    }
    return command;
}

std::unique_ptr<RenameArtifactCommand> RenameArtifactCommand::create(ProjectDocument *document,
                                                                     const ArtifactId &id,
                                                                     const QString &newName,
                                                                     QString *error)
{
    QString reason;
    const std::optional<ArtifactState> before = editableState(document, id, &reason);
    if (!before)
        return refuse(error, reason);
    const QString nameAttribute = artifactNameAttribute(id.kind);
    const QString oldName = before->tree->attribute(nameAttribute, id.name);
    if (newName == oldName && newName == id.name)
        return refuse(error, QString());
    if (const auto problem = document->checkNewName(id.kind, newName, before->uid))
        return refuse(error, *problem);
    const ArtifactId oldTarget{id.kind, oldName};
    auto command = std::unique_ptr<RenameArtifactCommand>(new RenameArtifactCommand(
        document,
        QStringLiteral("Rename %1 %2 to %3").arg(describeKind(id.kind), oldName, newName)));
    command->m_newId = {id.kind, newName};

    ArtifactState renamed = *before;
    renamed.tree->setAttribute(nameAttribute, newName);
    command->m_updated += renameReferences(id, *renamed.tree, oldTarget, newName);
    renamed.id = command->m_newId;
    renamed.file = document->renamedFile(*before, newName);
    command->addEdit(*before, renamed);

    for (const ArtifactId &otherId : document->artifactIds()) {
        if (otherId == id)
            continue;
        const std::optional<ArtifactState> other = document->artifactState(otherId);
        if (!other || !other->tree)
            continue;
        ArtifactState updated = *other;
        const int count = renameReferences(otherId, *updated.tree, oldTarget, newName);
        if (count == 0)
            continue;
        command->m_updated += count;
        command->addEdit(*other, updated);
    }
    return command;
}

} // namespace sluice::studio
