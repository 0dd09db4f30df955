// SPDX-License-Identifier: Apache-2.0
#include "properties_panel.h"

#include "artifacts/mediator_catalog.h"
#include "artifacts/project_kinds.h"
#include "field_editors.h"
#include "model/field_check.h"
#include "model/project_document.h"
#include "model/undo_commands.h"
#include "model/xml_tree.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QUndoStack>
#include <QVBoxLayout>
#include <memory>

namespace sluice::studio {

namespace {

using Kind = ParameterSpec::Kind;

const QString kProxyTarget = QStringLiteral("target");

bool isReference(Kind kind)
{
    return kind == Kind::SequenceReference || kind == Kind::EndpointReference;
}

int childElementIndex(const XmlNode &parent, const QString &name)
{
    int index = 0;
    for (const XmlNode &child : parent.children) {
        if (!child.isElement())
            continue;
        if (child.name == name)
            return index;
        ++index;
    }
    return -1;
}

const XmlNode *inboundParameter(const XmlNode &root, const QString &name)
{
    const XmlNode *parameters = root.firstChildElement(QStringLiteral("parameters"));
    if (!parameters)
        return nullptr;
    for (const XmlNode *parameter : parameters->childElements(QStringLiteral("parameter"))) {
        if (parameter->attribute(QStringLiteral("name")) == name)
            return parameter;
    }
    return nullptr;
}

QString inboundProtocol(const XmlNode &root)
{
    return root.attribute(QStringLiteral("protocol"), QStringLiteral("ws"));
}

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

// What the form of one element shows.
struct ElementForm {
    QString title;
    QString help;
    bool known = false;
    QList<ParameterSpec> attributes;
    QList<QStringList> exclusive;
    const MediatorDescription *mediator = nullptr; // for its parts
    const MediatorPartSpec *part = nullptr;        // for nested parts
};

const MediatorPartSpec *findSubPart(const MediatorPartSpec &part, const QString &name)
{
    for (const MediatorPartSpec &sub : part.parts) {
        if (sub.elementName == name)
            return &sub;
    }
    return nullptr;
}

// The part description of `element` when it is a part of its parent (or of a part of its
// grandparent, <args><arg>).
const MediatorPartSpec *partOf(const ProjectDocument *document, const ArtifactId &id,
                               const MediatorPath &path, const XmlNode &element)
{
    if (path.depth() < 2)
        return nullptr;
    const XmlNode *parent = document->element(id, path.parent());
    if (!parent)
        return nullptr;
    if (const MediatorDescription *description = findMediatorDescription(parent->name)) {
        if (const MediatorPartSpec *part = description->findPart(element.name))
            return part;
    }
    if (const MediatorPartSpec *parentPart = partOf(document, id, path.parent(), *parent))
        return findSubPart(*parentPart, element.name);
    return nullptr;
}

ElementForm describeElement(const ProjectDocument *document, const ArtifactId &id,
                            const MediatorPath &path, const XmlNode &element)
{
    ElementForm form;
    if (id.kind == ArtifactKind::ProxyService && path.depth() == 1 &&
        element.name == kProxyTarget) {
        form.title = PropertiesPanel::tr("Target");
        form.help = PropertiesPanel::tr("The sequences and endpoint of the proxy service.");
        form.attributes = proxyTargetAttributeSpecs();
        form.known = true;
        return form;
    }
    if (const MediatorPartSpec *part = partOf(document, id, path, element)) {
        form.title = part->displayName;
        form.help = part->help;
        form.attributes = part->attributes;
        form.exclusive = part->exclusiveAttributes;
        form.part = part;
        form.known = true;
        return form;
    }
    if (path.depth() >= 2) {
        if (const XmlNode *parent = document->element(id, path.parent())) {
            if (const MediatorDescription *description = findMediatorDescription(parent->name)) {
                for (const MediatorBranchSpec &branch : description->branches) {
                    if (branch.elementName != element.name)
                        continue;
                    form.title = branch.displayName;
                    form.help = branch.help;
                    form.attributes = branch.attributes;
                    form.known = true;
                    return form;
                }
            }
        }
    }
    if (const MediatorDescription *description = findMediatorDescription(element.name)) {
        form.title = description->displayName;
        form.help = description->help;
        form.attributes = description->attributes;
        form.exclusive = description->exclusiveAttributes;
        form.mediator = description;
        form.known = true;
        return form;
    }
    form.title = QStringLiteral("<%1>").arg(element.name);
    form.help = PropertiesPanel::tr("Sluice has no form for this element: edit it in the source "
                                    "view.");
    return form;
}

// Sets one attribute of a group where only one may be set and removes the others, as one undo
// step that merges like SetAttributeCommand: typing on in the field after the first key press
// stays in this step.
class SetExclusiveAttributeCommand : public ArtifactCommand {
public:
    static std::unique_ptr<SetExclusiveAttributeCommand>
    create(ProjectDocument *document, const ArtifactId &id, const MediatorPath &path,
           const QString &name, const QString &value, const QStringList &clear, QString *error)
    {
        const std::optional<ArtifactState> before = document->artifactState(id);
        if (!before || !before->tree) {
            *error = PropertiesPanel::tr("%1 cannot be edited").arg(id.toString());
            return nullptr;
        }
        ArtifactState after = *before;
        XmlNode *element = elementAt(*after.tree, path);
        if (!element) {
            *error = PropertiesPanel::tr("there is no element at %1").arg(path.toString());
            return nullptr;
        }
        const QString label = elementLabel(*element);
        for (const QString &other : clear)
            element->removeAttribute(other);
        element->setAttribute(name, value);
        auto command =
            std::unique_ptr<SetExclusiveAttributeCommand>(new SetExclusiveAttributeCommand(
                document, QStringLiteral("Set %1 %2").arg(label, name)));
        command->addEdit(*before, after);
        // The key SetAttributeCommand uses, so that the next key press merges into this step.
        const QString key = QStringLiteral("%1|%2|%3").arg(before->uid).arg(path.toString(), name);
        command->setMergeKey(SetAttributeId, key);
        return command;
    }

private:
    using ArtifactCommand::ArtifactCommand;
};

QLabel *noteLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

PropertiesPanel::PropertiesPanel(ProjectDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(m_scroll);

    connect(m_document, &ProjectDocument::artifactChanged, this, [this](const ArtifactId &id) {
        if (m_selected && id == m_artifact)
            refresh();
    });
    connect(m_document, &ProjectDocument::artifactRenamed, this,
            [this](const ArtifactId &oldId, const ArtifactId &newId) {
                if (m_selected && oldId == m_artifact) {
                    m_artifact = newId;
                    refresh();
                }
                updateReferenceNames();
            });
    connect(m_document, &ProjectDocument::artifactRemoved, this, [this](const ArtifactId &id) {
        if (m_selected && id == m_artifact)
            clearSelection();
        else
            updateReferenceNames();
    });
    connect(m_document, &ProjectDocument::artifactAdded, this,
            [this](const ArtifactId &) { updateReferenceNames(); });
    connect(m_document, &ProjectDocument::projectOpened, this, &PropertiesPanel::clearSelection);
    connect(m_document, &ProjectDocument::projectClosed, this, &PropertiesPanel::clearSelection);
    rebuild();
}

PropertiesPanel::~PropertiesPanel()
{
    // The fields go before the members they report to: closing the window may still make an
    // editable combo box emit.
    disconnectFields();
    delete m_container;
}

void PropertiesPanel::disconnectFields()
{
    for (const Field &entry : std::as_const(m_fields)) {
        if (entry.editor)
            disconnect(entry.editor, nullptr, this, nullptr);
    }
}

QString PropertiesPanel::title() const
{
    return m_title;
}

FieldEditor *PropertiesPanel::field(const QString &name) const
{
    for (const Field &entry : m_fields) {
        if (entry.editor && entry.editor->name() == name)
            return entry.editor;
    }
    return nullptr;
}

QList<FieldEditor *> PropertiesPanel::fields() const
{
    QList<FieldEditor *> list;
    for (const Field &entry : m_fields) {
        if (entry.editor)
            list.append(entry.editor);
    }
    return list;
}

QString PropertiesPanel::problemsText() const
{
    return m_problems ? m_problems->text() : QString();
}

QStringList PropertiesPanel::readOnlyParts() const
{
    return m_readOnlyParts;
}

void PropertiesPanel::setSelection(const ArtifactId &artifact, const MediatorPath &path)
{
    m_artifact = artifact;
    m_path = path;
    m_selected = artifact.isValid();
    rebuild();
}

void PropertiesPanel::clearSelection()
{
    m_artifact = ArtifactId();
    m_path = MediatorPath();
    m_selected = false;
    rebuild();
}

// What decides the form's layout: the element's name, and for an inbound endpoint its protocol.
// The form is built again when it changes, else only the values are updated.
QString PropertiesPanel::formKey() const
{
    if (!m_selected)
        return QString();
    const XmlNode *element = m_document->element(m_artifact, m_path);
    if (!element)
        return QStringLiteral("-");
    QString key = element->name;
    if (m_path.isRoot()) {
        if (m_artifact.kind == ArtifactKind::InboundEndpoint) {
            key += QLatin1Char('|') + inboundProtocol(*element);
            // Parameters the description does not know are listed by name.
            if (const XmlNode *parameters =
                    element->firstChildElement(QStringLiteral("parameters"))) {
                for (const XmlNode *parameter :
                     parameters->childElements(QStringLiteral("parameter")))
                    key += QLatin1Char('|') + parameter->attribute(QStringLiteral("name"));
            }
        }
        if (m_artifact.kind == ArtifactKind::ProxyService)
            key += QLatin1Char('|') + QString::number(childElementIndex(*element, kProxyTarget));
        return key;
    }
    // Parts are shown read-only, as they are: a change of the children rebuilds them.
    for (const XmlNode *child : element->childElements())
        key += QLatin1Char('|') + serializeXmlFragment(*child);
    return key;
}

void PropertiesPanel::rebuild()
{
    // Keep the focused field and its cursor across the rebuild.
    QString focusName;
    int cursor = -1;
    for (const Field &entry : m_fields) {
        if (entry.editor && entry.editor->input()->hasFocus()) {
            focusName = entry.editor->name();
            if (entry.editor->lineEdit())
                cursor = entry.editor->lineEdit()->cursorPosition();
        }
    }

    disconnectFields();
    m_fields.clear();
    m_readOnlyParts.clear();
    m_title.clear();
    m_checkMediator = false;
    m_formKey = formKey();
    // The old form may be in the middle of emitting a signal (a combo box whose choice changed
    // the protocol): it goes at the next turn of the event loop.
    if (m_container) {
        m_scroll->takeWidget();
        m_container->hide();
        m_container->deleteLater();
    }
    m_container = new QWidget;
    m_container->setObjectName(QStringLiteral("propertiesForm"));
    buildForm(m_container);
    m_scroll->setWidget(m_container);

    if (!focusName.isEmpty()) {
        if (FieldEditor *editor = field(focusName)) {
            editor->input()->setFocus();
            if (editor->lineEdit() && cursor >= 0)
                editor->lineEdit()->setCursorPosition(cursor);
        }
    }
}

void PropertiesPanel::buildForm(QWidget *container)
{
    auto *layout = new QVBoxLayout(container);
    const XmlNode *element = m_selected ? m_document->element(m_artifact, m_path) : nullptr;
    if (!element) {
        layout->addWidget(noteLabel(m_selected ? tr("The selected element no longer exists.")
                                               : tr("Select a mediator or an artifact to see "
                                                    "its properties."),
                                    container));
        layout->addStretch(1);
        return;
    }

    auto *titleLabel = new QLabel(container);
    titleLabel->setObjectName(QStringLiteral("propertiesTitle"));
    QFont bold = titleLabel->font();
    bold.setBold(true);
    titleLabel->setFont(bold);
    layout->addWidget(titleLabel);
    auto *helpLabel = noteLabel(QString(), container);
    layout->addWidget(helpLabel);

    m_problems = new QLabel(container);
    m_problems->setObjectName(QStringLiteral("propertiesProblems"));
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::PlainText);
    m_problems->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_problems->hide();
    layout->addWidget(m_problems);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addLayout(form);

    const ElementForm *description = nullptr;
    ElementForm elementForm;
    if (m_path.isRoot()) {
        m_title = capitalized(artifactKindInfo(m_artifact.kind).description) + QLatin1Char(' ') +
                  m_artifact.name;
        addFields(form, artifactAttributeSpecs(m_artifact.kind), {}, Target::Attribute, m_path);

        if (m_artifact.kind == ArtifactKind::ProxyService) {
            auto *box = new QGroupBox(tr("Target"), container);
            auto *boxForm = new QFormLayout(box);
            const int target = childElementIndex(*element, kProxyTarget);
            if (target >= 0) {
                addFields(boxForm, proxyTargetAttributeSpecs(), {}, Target::Attribute,
                          m_path.child(target));
            } else {
                boxForm->addRow(noteLabel(tr("The proxy has no <target>: add it in the source "
                                             "view."),
                                          box));
            }
            layout->addWidget(box);
        }
        if (m_artifact.kind == ArtifactKind::InboundEndpoint) {
            const QString protocol = inboundProtocol(*element);
            auto *box = new QGroupBox(tr("Parameters (%1)").arg(protocol), container);
            box->setObjectName(QStringLiteral("inboundParameters"));
            auto *boxForm = new QFormLayout(box);
            boxForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
            boxForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
            const QList<ParameterSpec> &specs = inboundEndpointParameterSpecs(protocol);
            if (specs.isEmpty()) {
                boxForm->addRow(noteLabel(tr("Sluice knows no parameters of protocol '%1': "
                                             "edit them in the source view.")
                                              .arg(protocol),
                                          box));
            }
            addFields(boxForm, specs, {}, Target::InboundParameter, m_path);
            // Parameters the description does not know are kept and shown as they are.
            if (const XmlNode *parameters =
                    element->firstChildElement(QStringLiteral("parameters"))) {
                for (const XmlNode *parameter :
                     parameters->childElements(QStringLiteral("parameter"))) {
                    const QString name = parameter->attribute(QStringLiteral("name"));
                    bool known = false;
                    for (const ParameterSpec &spec : specs)
                        known = known || spec.name == name;
                    if (known)
                        continue;
                    auto *value = new QLabel(parameter->textContent(), box);
                    value->setTextFormat(Qt::PlainText);
                    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
                    value->setToolTip(tr("Not a known parameter: edit it in the source view."));
                    boxForm->addRow(name + QLatin1Char(':'), value);
                }
            }
            layout->addWidget(box);
        }
    } else {
        elementForm = describeElement(m_document, m_artifact, m_path, *element);
        description = &elementForm;
        m_checkMediator = elementForm.mediator != nullptr;
        m_title = elementForm.title;
        helpLabel->setText(elementForm.help);
        addFields(form, elementForm.attributes, elementForm.exclusive, Target::Attribute, m_path);
    }
    titleLabel->setText(m_title);
    helpLabel->setVisible(!helpLabel->text().isEmpty());

    // Parts held in child elements, and an inline XML value: read-only here.
    if (description && (description->mediator || description->part)) {
        QGroupBox *box = nullptr;
        QFormLayout *boxForm = nullptr;
        for (const XmlNode *child : element->childElements()) {
            const bool isPart =
                (description->mediator && description->mediator->findPart(child->name)) ||
                (description->part && findSubPart(*description->part, child->name));
            const bool isInline = description->mediator && description->mediator->inlineXml;
            if (!isPart && !isInline)
                continue;
            if (!box) {
                box = new QGroupBox(tr("Parts (read-only)"), container);
                box->setObjectName(QStringLiteral("readOnlyParts"));
                boxForm = new QFormLayout(box);
                boxForm->addRow(noteLabel(tr("Edit these in the source view."), box));
            }
            // The Synapse namespace is the artifact's: left out for reading.
            const QString xml = serializeXmlFragment(*child).remove(
                QStringLiteral(" xmlns=\"%1\"").arg(kSynapseNamespace));
            auto *text = new QLabel(xml, box);
            text->setTextFormat(Qt::PlainText);
            text->setWordWrap(true);
            text->setTextInteractionFlags(Qt::TextSelectableByMouse);
            QFont mono = text->font();
            mono.setFamily(QStringLiteral("monospace"));
            mono.setStyleHint(QFont::Monospace);
            text->setFont(mono);
            boxForm->addRow(QStringLiteral("<%1>").arg(child->name), text);
            m_readOnlyParts.append(child->name);
        }
        if (box)
            layout->addWidget(box);
    }
    layout->addStretch(1);

    const bool readOnly = m_document->isReadOnly();
    for (Field &entry : m_fields) {
        entry.documentValue = readValue(entry);
        entry.editor->setValue(entry.documentValue);
        entry.editor->setReadOnly(readOnly);
        validate(entry);
    }
    updateReferenceNames();
    updateProblems();
}

void PropertiesPanel::addFields(QFormLayout *layout, const QList<ParameterSpec> &specs,
                                const QList<QStringList> &exclusive, Target target,
                                const MediatorPath &path)
{
    QWidget *owner = layout->parentWidget();
    for (const ParameterSpec &spec : specs) {
        auto *editor = new FieldEditor(spec, owner);
        Field entry;
        entry.editor = editor;
        entry.target = target;
        entry.path = path;
        for (const QStringList &group : exclusive) {
            if (!group.contains(spec.name))
                continue;
            for (const QString &other : group) {
                if (other != spec.name)
                    entry.exclusiveWith.append(other);
            }
        }
        auto *label =
            new QLabel(spec.required ? spec.name + QStringLiteral(" *") : spec.name, owner);
        label->setToolTip(spec.help);
        label->setBuddy(editor->input());
        layout->addRow(label, editor);
        const int index = int(m_fields.size());
        m_fields.append(entry);
        connect(editor, &FieldEditor::edited, this, [this, index] { edited(index); });
    }
}

std::optional<QString> PropertiesPanel::readValue(const Field &entry) const
{
    const XmlNode *element = m_document->element(m_artifact, entry.path);
    if (!element || !entry.editor)
        return std::nullopt;
    const QString name = entry.editor->name();
    if (entry.target == Target::InboundParameter) {
        if (const XmlNode *parameter = inboundParameter(*element, name))
            return parameter->textContent();
        return std::nullopt;
    }
    if (const XmlAttribute *attribute = element->findAttribute(name))
        return attribute->value;
    return std::nullopt;
}

void PropertiesPanel::refresh()
{
    if (formKey() != m_formKey) {
        rebuild();
        return;
    }
    for (Field &entry : m_fields) {
        if (!entry.editor)
            continue;
        const std::optional<QString> value = readValue(entry);
        // An unchanged attribute keeps what the field shows (an invalid text being typed).
        if (value == entry.documentValue)
            continue;
        entry.documentValue = value;
        entry.editor->setValue(value);
        validate(entry);
    }
    updateProblems();
}

void PropertiesPanel::validate(Field &entry)
{
    FieldEditor *editor = entry.editor;
    const std::optional<QString> value = editor->value();
    const ParameterSpec &spec = editor->spec();
    if (!value) {
        editor->setProblem(spec.required ? tr("'%1' is required").arg(spec.name) : QString());
        return;
    }
    const XmlNode *element = m_document->element(m_artifact, entry.path);
    const QHash<QString, QString> namespaces =
        element ? element->namespacesInScope : QHash<QString, QString>();
    if (const auto problem = checkFieldValue(spec, *value, namespaces)) {
        editor->setProblem(*problem);
        return;
    }
    // A reference to an artifact the project does not have (yet) is a warning, not a refusal.
    if (isReference(spec.kind)) {
        if (const auto problem = checkFieldValue(spec, *value, namespaces, m_document)) {
            editor->setProblem(*problem, true);
            return;
        }
    }
    editor->setProblem(QString());
}

void PropertiesPanel::edited(int index)
{
    if (index < 0 || index >= m_fields.size() || !m_fields[index].editor)
        return;
    FieldEditor *editor = m_fields[index].editor;
    validate(m_fields[index]);
    if (editor->hasProblem() && !editor->isWarning())
        return; // kept in the field with its reason, not pushed

    // Copies: the document's signals may rebuild the form while the edit is pushed.
    const Field entry = m_fields[index];
    const std::optional<QString> value = editor->value();
    if (value == entry.documentValue)
        return;
    const QString name = editor->name();
    const ArtifactId artifact = m_artifact;
    const MediatorPath path = entry.path;
    m_fields[index].documentValue = value;

    QString error;
    bool ok = true;
    if (entry.target == Target::InboundParameter) {
        ok = value ? m_document->setInboundParameter(artifact, name, *value, &error)
                   : m_document->removeInboundParameter(artifact, name, &error);
    } else if (!value) {
        ok = m_document->removeAttribute(artifact, path, name, &error);
    } else {
        // Setting one attribute of a group where only one may be set clears the others, in the
        // same undo step.
        QStringList clear;
        if (const XmlNode *element = m_document->element(artifact, path)) {
            for (const QString &other : entry.exclusiveWith) {
                if (element->hasAttribute(other))
                    clear.append(other);
            }
        }
        if (clear.isEmpty()) {
            ok = m_document->setAttribute(artifact, path, name, *value, &error);
        } else {
            auto command = SetExclusiveAttributeCommand::create(m_document, artifact, path, name,
                                                                *value, clear, &error);
            ok = command != nullptr;
            if (command)
                m_document->undoStack()->push(command.release());
        }
    }
    if (ok || index >= m_fields.size() || m_fields[index].editor != editor)
        return;
    m_fields[index].documentValue = entry.documentValue;
    editor->setProblem(error.isEmpty() ? tr("The document refused the change.") : error);
}

void PropertiesPanel::updateReferenceNames()
{
    if (!m_document->isOpen())
        return;
    const QStringList sequences = m_document->artifactNames(ArtifactKind::Sequence);
    const QStringList endpoints = m_document->artifactNames(ArtifactKind::Endpoint);
    for (Field &entry : m_fields) {
        if (!entry.editor)
            continue;
        const Kind kind = entry.editor->spec().kind;
        if (kind == Kind::SequenceReference)
            entry.editor->setReferenceNames(sequences);
        else if (kind == Kind::EndpointReference)
            entry.editor->setReferenceNames(endpoints);
        else
            continue;
        validate(entry);
    }
}

void PropertiesPanel::updateProblems()
{
    if (!m_problems)
        return;
    QStringList lines;
    const XmlNode *element =
        m_selected && !m_path.isRoot() ? m_document->element(m_artifact, m_path) : nullptr;
    if (element && m_checkMediator) {
        const Diagnostics diagnostics = checkMediator(*element);
        for (const Diagnostic &diagnostic : diagnostics.items())
            lines.append(diagnostic.message);
    }
    m_problems->setText(lines.join(QLatin1Char('\n')));
    m_problems->setVisible(!lines.isEmpty());
}

} // namespace sluice::studio
