// SPDX-License-Identifier: Apache-2.0
#include "properties_panel.h"

#include "artifacts/mediator_catalog.h"
#include "artifacts/project_kinds.h"
#include "field_editors.h"
#include "model/field_check.h"
#include "model/project_document.h"
#include "model/undo_commands.h"
#include "model/xml_tree.h"

#include <QApplication>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QUndoStack>
#include <QUrl>
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

// ----- editable parts

const QString kEndpoint = QStringLiteral("endpoint");
const QString kLogProperty = QStringLiteral("property");
const QString kFormat = QStringLiteral("format");
const QString kArgs = QStringLiteral("args");
const QString kArg = QStringLiteral("arg");
const QString kModeNone = QStringLiteral("none");
const QString kModeKey = QStringLiteral("key");
const QString kModeAddress = QStringLiteral("address");

bool sendsToEndpoint(const XmlNode &element)
{
    return element.name == QLatin1String("send") || element.name == QLatin1String("call");
}

// "none", "key", "address", or empty for an endpoint the form cannot edit (an inline <http>,
// <default>, several endpoints, ...).
QString endpointMode(const XmlNode &mediator)
{
    const QList<const XmlNode *> endpoints = mediator.childElements(kEndpoint);
    if (endpoints.isEmpty())
        return kModeNone;
    if (endpoints.size() > 1)
        return QString();
    const XmlNode &endpoint = *endpoints.first();
    const QList<const XmlNode *> children = endpoint.childElements();
    if (endpoint.hasAttribute(kModeKey)) {
        return children.isEmpty() && endpoint.attributes.size() == 1 ? kModeKey : QString();
    }
    if (children.size() == 1 && children.first()->name == kModeAddress &&
        !children.first()->hasElementChildren())
        return kModeAddress;
    return QString();
}

QString endpointSnapshot(const XmlNode &mediator)
{
    const XmlNode *endpoint = mediator.firstChildElement(kEndpoint);
    return endpoint ? serializeXmlFragment(*endpoint) : QString();
}

std::optional<QString> checkEndpointUri(const QString &text)
{
    if (text.trimmed().isEmpty())
        return PropertiesPanel::tr("Type the URI of the address (ws://host:port/path).");
    const QUrl url(text, QUrl::StrictMode);
    static const QStringList schemes{QStringLiteral("ws"), QStringLiteral("wss"),
                                     QStringLiteral("http"), QStringLiteral("https")};
    if (!url.isValid() || !schemes.contains(url.scheme().toLower()) || url.host().isEmpty())
        return PropertiesPanel::tr("'%1' is not a ws, wss, http or https URI.").arg(text);
    return std::nullopt;
}

// The element indices (among all child elements) of the children named `name`.
QList<int> childIndices(const XmlNode &parent, const QString &name)
{
    QList<int> indices;
    int index = 0;
    for (const XmlNode &child : parent.children) {
        if (!child.isElement())
            continue;
        if (child.name == name)
            indices.append(index);
        ++index;
    }
    return indices;
}

bool isXmlPayload(const XmlNode &payloadFactory)
{
    return payloadFactory.attribute(QStringLiteral("media-type"), QStringLiteral("xml")) ==
           QLatin1String("xml");
}

QString withoutSynapseNamespace(QString xml)
{
    return xml.remove(QStringLiteral(" xmlns=\"%1\"").arg(kSynapseNamespace));
}

// What the format editor shows: for an XML payload the inner XML, else the text.
QString formatText(const XmlNode &payloadFactory)
{
    const XmlNode *format = payloadFactory.firstChildElement(kFormat);
    if (!format)
        return QString();
    if (isXmlPayload(payloadFactory) && format->hasElementChildren()) {
        QString text;
        for (const XmlNode *child : format->childElements())
            text += withoutSynapseNamespace(serializeXmlFragment(*child));
        return text;
    }
    return format->textContent();
}

// `base` (the current <format>) with the inner XML `text`; unprefixed elements are in the
// Synapse namespace, as they are when written inside <format>.
std::optional<XmlNode> parseXmlFormat(const XmlNode &base, const QString &text, QString *error)
{
    const QByteArray wrapped = QByteArrayLiteral("<format xmlns=\"") + kSynapseNamespace.toUtf8() +
                               QByteArrayLiteral("\">") + text.toUtf8() +
                               QByteArrayLiteral("</format>");
    Diagnostics diagnostics;
    std::optional<XmlNode> parsed = parseXml(wrapped, kFormat, diagnostics);
    if (!parsed) {
        const QList<Diagnostic> &items = diagnostics.items();
        *error = items.isEmpty() ? PropertiesPanel::tr("The format is not well-formed XML.")
                                 : PropertiesPanel::tr("The format is not well-formed XML: %1")
                                       .arg(items.first().message);
        return std::nullopt;
    }
    std::erase_if(parsed->children, [](const XmlNode &child) {
        return child.kind == XmlNode::Kind::Text && child.text.trimmed().isEmpty();
    });
    int elements = 0;
    bool hasText = false;
    for (const XmlNode &child : parsed->children) {
        if (child.isElement())
            ++elements;
        else if (child.kind == XmlNode::Kind::Text || child.kind == XmlNode::Kind::CData)
            hasText = true;
    }
    if (elements != 1 || hasText) {
        *error = PropertiesPanel::tr("The format of an XML payload must be one element.");
        return std::nullopt;
    }
    XmlNode format = base;
    format.children = std::move(parsed->children);
    return format;
}

void markCell(QTableWidgetItem *item, const QString &reason)
{
    if (!item)
        return;
    item->setToolTip(reason);
    item->setBackground(reason.isEmpty() ? QBrush() : QBrush(QColor(0xff, 0xcd, 0xd2)));
}

// Fills a table in place (items kept, signals blocked).
void fillTable(QTableWidget *table, const QList<QStringList> &rows)
{
    const QSignalBlocker blocker(table);
    table->setRowCount(int(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        for (int column = 0; column < rows[row].size(); ++column) {
            QTableWidgetItem *item = table->item(row, column);
            if (!item) {
                item = new QTableWidgetItem;
                table->setItem(row, column, item);
            }
            if (item->text() != rows[row][column]) {
                item->setText(rows[row][column]);
                markCell(item, QString());
            }
        }
    }
}

void showProblem(QLabel *label, const QString &reason, bool warning = false)
{
    if (!label)
        return;
    label->setText(reason);
    label->setStyleSheet(warning ? QStringLiteral("color: #ef6c00;")
                                 : QStringLiteral("color: #d32f2f;"));
    label->setVisible(!reason.isEmpty());
}

QLabel *problemLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->hide();
    return label;
}

QTableWidget *partTable(const QString &objectName, const QStringList &headers, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels(headers);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->verticalHeader()->hide();
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setMinimumHeight(110);
    return table;
}

// The value or an expression of a part's attribute, checked against its description.
QString checkPartValue(const ParameterSpec *spec, const QString &value, const XmlNode &element)
{
    if (!spec)
        return QString();
    if (value.isEmpty())
        return spec->required ? PropertiesPanel::tr("'%1' is required").arg(spec->name) : QString();
    return checkFieldValue(*spec, value, element.namespacesInScope).value_or(QString());
}

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
    const QList<QObject *> parts{m_endpointMode,  m_endpointKey, m_endpointUri,
                                 m_logProperties, m_format,      m_args};
    for (QObject *part : parts) {
        if (part)
            disconnect(part, nullptr, this, nullptr);
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
    // Parts shown read-only are shown as they are: a change of the children rebuilds them. The
    // editors of editable parts follow the document themselves (updateParts).
    const QStringList editable = editablePartsOf(*element);
    for (const XmlNode *child : element->childElements()) {
        key += QLatin1Char('|') +
               (editable.contains(child->name) ? child->name : serializeXmlFragment(*child));
    }
    if (!editable.isEmpty())
        key += QLatin1Char('|') + editable.join(QLatin1Char(','));
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

    // A focused part editor (by object name) gets the focus back too.
    QString focusPart;
    if (QWidget *focused = QApplication::focusWidget();
        focused && m_container && m_container->isAncestorOf(focused) && focusName.isEmpty()) {
        for (QWidget *widget = focused; widget && widget != m_container;
             widget = widget->parentWidget()) {
            if (!widget->objectName().isEmpty()) {
                focusPart = widget->objectName();
                break;
            }
        }
    }

    disconnectFields();
    m_fields.clear();
    m_readOnlyParts.clear();
    m_editableParts.clear();
    m_endpointForm = nullptr;
    m_endpointDocument.reset();
    m_endpointMode = nullptr;
    m_endpointKey = nullptr;
    m_endpointUri = nullptr;
    m_endpointProblem = nullptr;
    m_logProperties = nullptr;
    m_logProblem = nullptr;
    m_format = nullptr;
    m_formatProblem = nullptr;
    m_formatDocument.reset();
    m_args = nullptr;
    m_argsProblem = nullptr;
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
    if (!focusPart.isEmpty()) {
        if (auto *widget = m_container->findChild<QWidget *>(focusPart))
            widget->setFocus();
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

    // The editable parts, then the other parts held in child elements and an inline XML value:
    // read-only here.
    if (description && description->mediator) {
        m_editableParts = editablePartsOf(*element);
        if (m_editableParts.contains(kEndpoint))
            buildEndpointPart(layout, container);
        if (m_editableParts.contains(kLogProperty))
            buildLogProperties(layout, container);
        if (m_editableParts.contains(kFormat) || m_editableParts.contains(kArgs))
            buildPayloadParts(layout, container);
    }
    if (description && (description->mediator || description->part)) {
        QGroupBox *box = nullptr;
        QFormLayout *boxForm = nullptr;
        for (const XmlNode *child : element->childElements()) {
            const bool isPart =
                (description->mediator && description->mediator->findPart(child->name)) ||
                (description->part && findSubPart(*description->part, child->name));
            const bool isInline = description->mediator && description->mediator->inlineXml;
            if ((!isPart && !isInline) || m_editableParts.contains(child->name))
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
    updateParts(true);
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
    updateParts();
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
    if (m_endpointKey) {
        const QSignalBlocker blocker(m_endpointKey);
        const QString text = m_endpointKey->currentText();
        m_endpointKey->clear();
        m_endpointKey->addItems(endpoints);
        m_endpointKey->setEditText(text);
    }
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

// ----- editable parts

QStringList PropertiesPanel::editablePartsOf(const XmlNode &element) const
{
    if (sendsToEndpoint(element))
        return endpointMode(element).isEmpty() ? QStringList() : QStringList{kEndpoint};
    if (element.name == QLatin1String("log"))
        return {kLogProperty};
    if (element.name == QLatin1String("payloadFactory")) {
        QStringList parts;
        const QList<const XmlNode *> formats = element.childElements(kFormat);
        if (formats.size() <= 1 && (formats.isEmpty() || !formats.first()->hasAttribute(kModeKey)))
            parts.append(kFormat);
        if (element.childElements(kArgs).size() <= 1)
            parts.append(kArgs);
        return parts;
    }
    return {};
}

void PropertiesPanel::buildEndpointPart(QVBoxLayout *layout, QWidget *owner)
{
    auto *box = new QGroupBox(tr("Endpoint"), owner);
    box->setObjectName(QStringLiteral("endpointPart"));
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_endpointForm = form;
    m_endpointMode = new QComboBox(box);
    m_endpointMode->setObjectName(QStringLiteral("endpointMode"));
    m_endpointMode->addItem(tr("none \u2014 the message's To address"), kModeNone);
    m_endpointMode->addItem(tr("reference \u2014 an endpoint of the project"), kModeKey);
    m_endpointMode->addItem(tr("address \u2014 an inline URI"), kModeAddress);
    m_endpointMode->setToolTip(tr("Where the message goes."));
    form->addRow(tr("Kind"), m_endpointMode);
    m_endpointKey = new QComboBox(box);
    m_endpointKey->setObjectName(QStringLiteral("endpointKey"));
    m_endpointKey->setEditable(true);
    m_endpointKey->setInsertPolicy(QComboBox::NoInsert);
    m_endpointKey->setToolTip(tr("An endpoint of the project."));
    form->addRow(tr("Endpoint"), m_endpointKey);
    m_endpointUri = new QLineEdit(box);
    m_endpointUri->setObjectName(QStringLiteral("endpointUri"));
    m_endpointUri->setPlaceholderText(QStringLiteral("ws://localhost:8082/websocket"));
    m_endpointUri->setToolTip(tr("A ws, wss, http or https URI."));
    form->addRow(tr("URI"), m_endpointUri);
    m_endpointProblem = problemLabel(QStringLiteral("endpointProblem"), box);
    form->addRow(m_endpointProblem);
    layout->addWidget(box);

    connect(m_endpointMode, &QComboBox::currentIndexChanged, this,
            [this] { endpointEdited(true); });
    connect(m_endpointKey, &QComboBox::currentTextChanged, this, [this] { endpointEdited(false); });
    connect(m_endpointUri, &QLineEdit::textChanged, this, [this] { endpointEdited(false); });
}

void PropertiesPanel::buildLogProperties(QVBoxLayout *layout, QWidget *owner)
{
    auto *box = new QGroupBox(tr("Properties"), owner);
    box->setObjectName(QStringLiteral("logPropertiesPart"));
    auto *boxLayout = new QVBoxLayout(box);
    m_logProperties = partTable(QStringLiteral("logProperties"),
                                {tr("Name"), tr("Value"), tr("Expression")}, box);
    m_logProperties->setToolTip(tr("The fields to log: a fixed value or an expression."));
    boxLayout->addWidget(m_logProperties);
    m_logProblem = problemLabel(QStringLiteral("logPropertiesProblem"), box);
    boxLayout->addWidget(m_logProblem);
    addRowButtons(box, boxLayout, QStringLiteral("LogProperty"), &PropertiesPanel::addLogProperty,
                  &PropertiesPanel::removeLogProperty);
    layout->addWidget(box);
    connect(m_logProperties, &QTableWidget::cellChanged, this, &PropertiesPanel::logPropertyEdited);
}

void PropertiesPanel::addRowButtons(QWidget *box, QVBoxLayout *boxLayout, const QString &name,
                                    void (PropertiesPanel::*onAdd)(),
                                    void (PropertiesPanel::*onRemove)())
{
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"), box);
    add->setObjectName(QStringLiteral("add") + name);
    auto *remove = new QPushButton(tr("Remove"), box);
    remove->setObjectName(QStringLiteral("remove") + name);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    boxLayout->addLayout(buttons);
    add->setEnabled(!m_document->isReadOnly());
    remove->setEnabled(!m_document->isReadOnly());
    connect(add, &QPushButton::clicked, this, onAdd);
    connect(remove, &QPushButton::clicked, this, onRemove);
}

void PropertiesPanel::buildPayloadParts(QVBoxLayout *layout, QWidget *owner)
{
    if (m_editableParts.contains(kFormat)) {
        auto *box = new QGroupBox(tr("Format"), owner);
        box->setObjectName(QStringLiteral("formatPart"));
        auto *boxLayout = new QVBoxLayout(box);
        m_format = new QPlainTextEdit(box);
        m_format->setObjectName(QStringLiteral("formatText"));
        m_format->setToolTip(tr("The template with $1, $2, ... placeholders; for media-type xml "
                                "one XML element."));
        QFont mono = m_format->font();
        mono.setFamily(QStringLiteral("monospace"));
        mono.setStyleHint(QFont::Monospace);
        m_format->setFont(mono);
        m_format->setMinimumHeight(90);
        boxLayout->addWidget(m_format);
        m_formatProblem = problemLabel(QStringLiteral("formatProblem"), box);
        boxLayout->addWidget(m_formatProblem);
        layout->addWidget(box);
        connect(m_format, &QPlainTextEdit::textChanged, this, &PropertiesPanel::formatEdited);
    }
    if (m_editableParts.contains(kArgs)) {
        auto *box = new QGroupBox(tr("Arguments"), owner);
        box->setObjectName(QStringLiteral("argsPart"));
        auto *boxLayout = new QVBoxLayout(box);
        m_args = partTable(QStringLiteral("payloadArgs"),
                           {tr("Value"), tr("Expression"), tr("Evaluator")}, box);
        m_args->setToolTip(tr("The arguments, $1 first: a fixed value or an expression; the "
                              "evaluator (xml or json) says how the expression is read."));
        boxLayout->addWidget(m_args);
        m_argsProblem = problemLabel(QStringLiteral("argsProblem"), box);
        boxLayout->addWidget(m_argsProblem);
        addRowButtons(box, boxLayout, QStringLiteral("Arg"), &PropertiesPanel::addArg,
                      &PropertiesPanel::removeArg);
        layout->addWidget(box);
        connect(m_args, &QTableWidget::cellChanged, this, &PropertiesPanel::argEdited);
    }
}

// Shows what the document holds in the part editors. An editor keeps what it shows (an invalid
// text being typed) while its part is unchanged in the document, and while it pushes its own
// change.
void PropertiesPanel::updateParts(bool force)
{
    const XmlNode *element = m_selected ? m_document->element(m_artifact, m_path) : nullptr;
    if (!element)
        return;
    const bool readOnly = m_document->isReadOnly();
    if (m_endpointMode && m_endpointKey && m_endpointUri) {
        const QString snapshot = endpointSnapshot(*element);
        if (force || (!m_partEdit && snapshot != m_endpointDocument)) {
            m_endpointDocument = snapshot;
            const QSignalBlocker blockMode(m_endpointMode);
            const QSignalBlocker blockKey(m_endpointKey);
            const QSignalBlocker blockUri(m_endpointUri);
            const QString mode = endpointMode(*element);
            m_endpointMode->setCurrentIndex(m_endpointMode->findData(mode));
            const XmlNode *endpoint = element->firstChildElement(kEndpoint);
            if (mode == kModeKey) {
                m_endpointKey->setEditText(endpoint->attribute(kModeKey));
            } else if (force) {
                m_endpointKey->setCurrentIndex(-1);
                m_endpointKey->setEditText(QString());
            }
            if (mode == kModeAddress) {
                const QString uri =
                    endpoint->firstChildElement(kModeAddress)->attribute(QStringLiteral("uri"));
                if (m_endpointUri->text() != uri)
                    m_endpointUri->setText(uri);
            }
            showProblem(m_endpointProblem, QString());
        }
        const QString mode = m_endpointMode->currentData().toString();
        m_endpointForm->setRowVisible(m_endpointKey, mode == kModeKey);
        m_endpointForm->setRowVisible(m_endpointUri, mode == kModeAddress);
        m_endpointMode->setEnabled(!readOnly);
        m_endpointKey->setEnabled(!readOnly);
        m_endpointUri->setReadOnly(readOnly);
    }
    if (m_logProperties) {
        QList<QStringList> rows;
        for (const XmlNode *property : element->childElements(kLogProperty)) {
            rows.append({property->attribute(QStringLiteral("name")),
                         property->attribute(QStringLiteral("value")),
                         property->attribute(QStringLiteral("expression"))});
        }
        fillTable(m_logProperties, rows);
        m_logProperties->setEditTriggers(readOnly ? QAbstractItemView::NoEditTriggers
                                                  : QAbstractItemView::AllEditTriggers);
    }
    if (m_format) {
        const QString text = formatText(*element);
        if (force || (!m_partEdit && text != m_formatDocument)) {
            m_formatDocument = text;
            if (m_format->toPlainText() != text) {
                const QSignalBlocker blocker(m_format);
                m_format->setPlainText(text);
            }
            showProblem(m_formatProblem, QString());
        }
        m_format->setReadOnly(readOnly);
    }
    if (m_args) {
        QList<QStringList> rows;
        if (const XmlNode *args = element->firstChildElement(kArgs)) {
            for (const XmlNode *arg : args->childElements(kArg)) {
                rows.append({arg->attribute(QStringLiteral("value")),
                             arg->attribute(QStringLiteral("expression")),
                             arg->attribute(QStringLiteral("evaluator"))});
            }
        }
        fillTable(m_args, rows);
        m_args->setEditTriggers(readOnly ? QAbstractItemView::NoEditTriggers
                                         : QAbstractItemView::AllEditTriggers);
    }
}

void PropertiesPanel::endpointEdited(bool modeChanged)
{
    if (!m_endpointMode || !m_endpointKey || !m_endpointUri)
        return;
    const XmlNode *element = m_document->element(m_artifact, m_path);
    if (!element)
        return;
    const QString mode = m_endpointMode->currentData().toString();
    m_endpointForm->setRowVisible(m_endpointKey, mode == kModeKey);
    m_endpointForm->setRowVisible(m_endpointUri, mode == kModeAddress);
    if (modeChanged && mode == kModeKey && m_endpointKey->currentText().trimmed().isEmpty() &&
        m_endpointKey->count() > 0) {
        const QSignalBlocker blocker(m_endpointKey);
        m_endpointKey->setCurrentIndex(0);
    }

    std::optional<XmlNode> endpoint;
    QString problem;
    bool warning = false;
    if (mode == kModeKey) {
        const QString key = m_endpointKey->currentText().trimmed();
        if (key.isEmpty()) {
            problem = tr("Choose or type the name of an endpoint of the project.");
        } else {
            endpoint = XmlNode::element(kEndpoint);
            endpoint->setAttribute(kModeKey, key);
            if (!m_document->artifactNames(ArtifactKind::Endpoint).contains(key)) {
                problem = tr("The project has no endpoint '%1'.").arg(key);
                warning = true;
            }
        }
    } else if (mode == kModeAddress) {
        const QString uri = m_endpointUri->text().trimmed();
        if (const auto reason = checkEndpointUri(uri)) {
            problem = *reason;
        } else {
            // An inline address keeps its other settings (format, name, ...).
            const XmlNode *current = element->firstChildElement(kEndpoint);
            if (current && endpointMode(*element) == kModeAddress) {
                endpoint = *current;
                elementAt(*endpoint, MediatorPath{0})->setAttribute(QStringLiteral("uri"), uri);
            } else {
                endpoint = XmlNode::element(kEndpoint);
                XmlNode address = XmlNode::element(kModeAddress);
                address.setAttribute(QStringLiteral("uri"), uri);
                endpoint->appendChild(std::move(address));
            }
        }
    }
    showProblem(m_endpointProblem, problem, warning);
    if (!problem.isEmpty() && !warning)
        return; // kept in the editor with its reason, not pushed

    // Copies: the push may rebuild the form.
    const ArtifactId artifact = m_artifact;
    const MediatorPath path = m_path;
    QString error;
    m_partEdit = true;
    const bool ok =
        m_document->replaceChildElement(artifact, path, kEndpoint, endpoint, !modeChanged, &error);
    m_partEdit = false;
    if (const XmlNode *now = m_document->element(m_artifact, m_path))
        m_endpointDocument = endpointSnapshot(*now);
    if (!ok)
        showProblem(m_endpointProblem,
                    error.isEmpty() ? tr("The document refused the change.") : error);
}

void PropertiesPanel::logPropertyEdited(int row, int column)
{
    if (!m_logProperties)
        return;
    const XmlNode *element = m_document->element(m_artifact, m_path);
    QTableWidgetItem *item = m_logProperties->item(row, column);
    if (!element || !item || column < 0 || column > 2)
        return;
    const QList<int> indices = childIndices(*element, kLogProperty);
    if (row < 0 || row >= indices.size())
        return;
    static const QStringList names{QStringLiteral("name"), QStringLiteral("value"),
                                   QStringLiteral("expression")};
    const QString name = names[column];
    const QString value = item->text();
    const MediatorPath path = m_path.child(indices[row]);
    const XmlNode *property = elementAt(*element, MediatorPath{indices[row]});
    const MediatorDescription *log = findMediatorDescription(QStringLiteral("log"));
    const MediatorPartSpec *part = log ? log->findPart(kLogProperty) : nullptr;
    const QString problem =
        checkPartValue(part ? part->findAttribute(name) : nullptr, value, *property);
    markCell(item, problem);
    showProblem(m_logProblem, problem);
    if (!problem.isEmpty())
        return; // kept in the cell with its reason, not pushed

    QString error;
    bool ok = true;
    if (value.isEmpty()) {
        ok = m_document->removeAttribute(m_artifact, path, name, &error);
    } else {
        QStringList clear;
        if (column > 0) {
            const QString other = names[column == 1 ? 2 : 1];
            if (property->hasAttribute(other))
                clear.append(other);
        }
        if (clear.isEmpty()) {
            ok = m_document->setAttribute(m_artifact, path, name, value, &error);
        } else {
            auto command = SetExclusiveAttributeCommand::create(m_document, m_artifact, path, name,
                                                                value, clear, &error);
            ok = command != nullptr;
            if (command)
                m_document->undoStack()->push(command.release());
        }
    }
    if (!ok)
        showProblem(m_logProblem, error.isEmpty() ? tr("The document refused the change.") : error);
}

void PropertiesPanel::addLogProperty()
{
    const XmlNode *element = m_document->element(m_artifact, m_path);
    if (!element)
        return;
    XmlNode property = XmlNode::element(kLogProperty);
    property.setAttribute(
        QStringLiteral("name"),
        QStringLiteral("property%1").arg(element->childElements(kLogProperty).size() + 1));
    property.setAttribute(QStringLiteral("value"), QStringLiteral("value"));
    QString error;
    if (!m_document->insertMediator(m_artifact, m_path, elementCount(*element), property, &error))
        showProblem(m_logProblem, error);
}

void PropertiesPanel::removeLogProperty()
{
    const XmlNode *element = m_document->element(m_artifact, m_path);
    if (!element || !m_logProperties)
        return;
    const QList<int> indices = childIndices(*element, kLogProperty);
    if (indices.isEmpty())
        return;
    int row = m_logProperties->currentRow();
    if (row < 0 || row >= indices.size())
        row = int(indices.size()) - 1;
    QString error;
    if (!m_document->removeMediator(m_artifact, m_path.child(indices[row]), &error))
        showProblem(m_logProblem, error);
}

void PropertiesPanel::formatEdited()
{
    if (!m_format)
        return;
    const XmlNode *element = m_document->element(m_artifact, m_path);
    if (!element)
        return;
    const QString text = m_format->toPlainText();
    const XmlNode *current = element->firstChildElement(kFormat);
    const XmlNode base = current ? *current : XmlNode::element(kFormat);
    QString error;
    std::optional<XmlNode> format;
    if (isXmlPayload(*element)) {
        format = parseXmlFormat(base, text, &error);
    } else {
        format = base;
        setTextContent(*format, text);
    }
    showProblem(m_formatProblem, error);
    if (!format)
        return; // kept in the editor with its reason, not pushed

    const ArtifactId artifact = m_artifact;
    const MediatorPath path = m_path;
    m_partEdit = true;
    const bool ok = m_document->replaceChildElement(artifact, path, kFormat, format, true, &error);
    m_partEdit = false;
    if (const XmlNode *now = m_document->element(m_artifact, m_path))
        m_formatDocument = formatText(*now);
    if (!ok)
        showProblem(m_formatProblem,
                    error.isEmpty() ? tr("The document refused the change.") : error);
}

bool PropertiesPanel::replaceArgs(const std::optional<XmlNode> &args)
{
    QString error;
    const bool ok = m_document->replaceChildElement(m_artifact, m_path, kArgs, args, false, &error);
    if (!ok)
        showProblem(m_argsProblem,
                    error.isEmpty() ? tr("The document refused the change.") : error);
    return ok;
}

void PropertiesPanel::argEdited(int row, int column)
{
    if (!m_args)
        return;
    const XmlNode *element = m_document->element(m_artifact, m_path);
    QTableWidgetItem *item = m_args->item(row, column);
    const XmlNode *current = element ? element->firstChildElement(kArgs) : nullptr;
    if (!current || !item || column < 0 || column > 2)
        return;
    const QList<int> indices = childIndices(*current, kArg);
    if (row < 0 || row >= indices.size())
        return;
    static const QStringList names{QStringLiteral("value"), QStringLiteral("expression"),
                                   QStringLiteral("evaluator")};
    const QString name = names[column];
    const QString value = item->text();
    const MediatorDescription *payloadFactory = findMediatorDescription(element->name);
    const MediatorPartSpec *argsPart = payloadFactory ? payloadFactory->findPart(kArgs) : nullptr;
    const MediatorPartSpec *argPart = argsPart ? findSubPart(*argsPart, kArg) : nullptr;
    XmlNode args = *current;
    XmlNode *arg = elementAt(args, MediatorPath{indices[row]});
    const QString problem =
        checkPartValue(argPart ? argPart->findAttribute(name) : nullptr, value, *arg);
    markCell(item, problem);
    showProblem(m_argsProblem, problem);
    if (!problem.isEmpty())
        return; // kept in the cell with its reason, not pushed

    if (value.isEmpty()) {
        arg->removeAttribute(name);
    } else {
        arg->setAttribute(name, value);
        if (column < 2)
            arg->removeAttribute(names[column == 0 ? 1 : 0]);
    }
    replaceArgs(args);
}

void PropertiesPanel::addArg()
{
    const XmlNode *element = m_document->element(m_artifact, m_path);
    if (!element)
        return;
    XmlNode args;
    if (const XmlNode *current = element->firstChildElement(kArgs)) {
        args = *current;
    } else {
        args = XmlNode::element(kArgs);
        args.namespacesInScope = element->namespacesInScope;
    }
    XmlNode arg = XmlNode::element(kArg);
    arg.setAttribute(QStringLiteral("value"), QStringLiteral("value"));
    insertElement(args, elementCount(args), std::move(arg));
    replaceArgs(args);
}

void PropertiesPanel::removeArg()
{
    const XmlNode *element = m_document->element(m_artifact, m_path);
    const XmlNode *current = element ? element->firstChildElement(kArgs) : nullptr;
    if (!current || !m_args)
        return;
    const QList<int> indices = childIndices(*current, kArg);
    if (indices.isEmpty())
        return;
    int row = m_args->currentRow();
    if (row < 0 || row >= indices.size())
        row = int(indices.size()) - 1;
    XmlNode args = *current;
    takeElement(args, indices[row]);
    replaceArgs(args);
}

} // namespace sluice::studio
