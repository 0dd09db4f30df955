// SPDX-License-Identifier: Apache-2.0
// The properties panel, driven offscreen with key and mouse events against a document opened
// from a temporary copy of projects/websocket-to-websocket.

#include "app/field_editors.h"
#include "app/properties_panel.h"
#include "artifacts/mediator_catalog.h"
#include "model/project_document.h"

#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <memory>

using namespace sluice;
using namespace sluice::studio;

namespace {

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + QLatin1Char('/') + QDir(from).relativeFilePath(file);
        if (!QDir().mkpath(QFileInfo(target).absolutePath()) || !QFile::copy(file, target))
            return false;
    }
    return true;
}

const ArtifactId kDispatchSeq{ArtifactKind::Sequence, QStringLiteral("dispatchSeq")};
const ArtifactId kInbound{ArtifactKind::InboundEndpoint, QStringLiteral("websocket")};

// Selects all of a line edit and types `text` as a user would.
void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Backspace);
    else
        QTest::keyClicks(edit, text);
}

} // namespace

class TestPropertiesPanel : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void propertyFieldsShowAttributes();
    void typingUpdatesXmlAndUndoRestores();
    void invalidIntegerIsMarkedAndNotPushed();
    void exclusiveAttributeIsClearedInOneStep();
    void clearingAFieldRemovesTheAttribute();
    void inboundEndpointListsEveryParameter();
    void inboundParameterEdits();
    void referenceComboListsSequences();
    void partsAreReadOnly();
    void endpointReferenceAndUndo();
    void endpointAddressUri();
    void logPropertiesTable();
    void payloadFactoryFormatAndArgs();
    void followsRenameAndRemoval();
    void typingTheNameRenames();
    void mediatorProblemsAreShown();
    void fieldKinds();
    void protocolChangeRebuildsTheForm();

private:
    QString attribute(const MediatorPath &path, const QString &name) const
    {
        const XmlNode *element = m_document->element(kDispatchSeq, path);
        return element ? element->attribute(name, QStringLiteral("<none>"))
                       : QStringLiteral("<no element>");
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ProjectDocument> m_document;
    std::unique_ptr<PropertiesPanel> m_panel;
};

void TestPropertiesPanel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString project = QStringLiteral(SLUICE_SOURCE_DIR "/projects/websocket-to-websocket");
    QVERIFY(copyTree(project, m_dir->path()));
    m_document = std::make_unique<ProjectDocument>();
    m_document->setAutoValidate(false);
    Diagnostics diagnostics;
    QVERIFY2(m_document->open(m_dir->path(), &diagnostics), qPrintable(diagnostics.toString()));
    m_panel = std::make_unique<PropertiesPanel>(m_document.get());
    m_panel->resize(420, 700);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestPropertiesPanel::cleanup()
{
    m_panel.reset();
    m_document.reset();
    m_dir.reset();
}

void TestPropertiesPanel::propertyFieldsShowAttributes()
{
    // <property name="FORCE_SC_ACCEPTED" scope="axis2" type="STRING" value="true"/>
    m_panel->setSelection(kDispatchSeq, MediatorPath{1});
    QCOMPARE(m_panel->title(), QStringLiteral("Property"));
    const MediatorDescription *description = findMediatorDescription(QStringLiteral("property"));
    QVERIFY(description);
    for (const ParameterSpec &spec : description->attributes)
        QVERIFY2(m_panel->field(spec.name), qPrintable(spec.name));

    QCOMPARE(m_panel->field(QStringLiteral("name"))->value(), QStringLiteral("FORCE_SC_ACCEPTED"));
    QCOMPARE(m_panel->field(QStringLiteral("value"))->value(), QStringLiteral("true"));
    FieldEditor *scope = m_panel->field(QStringLiteral("scope"));
    QCOMPARE(scope->value(), QStringLiteral("axis2"));
    QVERIFY(scope->comboBox());
    QVERIFY(scope->comboBox()->currentText().startsWith(QStringLiteral("axis2 \u2014 ")));
    // Unset attributes show the default as placeholder (or in the "(unset)" item).
    QCOMPARE(m_panel->field(QStringLiteral("expression"))->value(), std::nullopt);
    QCOMPARE(m_panel->field(QStringLiteral("group"))->lineEdit()->placeholderText(),
             QStringLiteral("0"));
    QVERIFY(m_panel->field(QStringLiteral("name"))->input()->toolTip().size() > 0);
    QVERIFY(!m_panel->field(QStringLiteral("name"))->hasProblem());

    // The first property has no scope: "(unset)".
    m_panel->setSelection(kDispatchSeq, MediatorPath{0});
    QCOMPARE(m_panel->field(QStringLiteral("name"))->value(), QStringLiteral("OUT_ONLY"));
    QCOMPARE(m_panel->field(QStringLiteral("scope"))->value(), std::nullopt);
    QVERIFY(m_panel->field(QStringLiteral("scope"))
                ->comboBox()
                ->currentText()
                .contains(QStringLiteral("default")));
}

void TestPropertiesPanel::typingUpdatesXmlAndUndoRestores()
{
    m_panel->setSelection(kDispatchSeq, MediatorPath{1});
    QLineEdit *value = m_panel->field(QStringLiteral("value"))->lineEdit();
    QVERIFY(value);
    QUndoStack *stack = m_document->undoStack();
    const int before = stack->count();

    retype(value, QStringLiteral("false"));
    QCOMPARE(attribute({1}, QStringLiteral("value")), QStringLiteral("false"));
    QCOMPARE(stack->count(), before + 1); // typing merged into one step
    QCOMPARE(value->text(), QStringLiteral("false"));

    // Choosing a scope pushes it.
    QComboBox *scope = m_panel->field(QStringLiteral("scope"))->comboBox();
    scope->setFocus();
    QTest::keyClick(scope, Qt::Key_Down);
    QCOMPARE(attribute({1}, QStringLiteral("scope")), QStringLiteral("transport"));
    stack->undo();
    QCOMPARE(attribute({1}, QStringLiteral("scope")), QStringLiteral("axis2"));
    QCOMPARE(m_panel->field(QStringLiteral("scope"))->value(), QStringLiteral("axis2"));

    // One undo restores the value, and the field follows.
    stack->undo();
    QCOMPARE(stack->index(), before);
    QCOMPARE(attribute({1}, QStringLiteral("value")), QStringLiteral("true"));
    QLineEdit *after = m_panel->field(QStringLiteral("value"))->lineEdit();
    QCOMPARE(after->text(), QStringLiteral("true"));
    stack->redo();
    QCOMPARE(after->text(), QStringLiteral("false"));
}

void TestPropertiesPanel::invalidIntegerIsMarkedAndNotPushed()
{
    m_panel->setSelection(kDispatchSeq, MediatorPath{1});
    FieldEditor *group = m_panel->field(QStringLiteral("group"));
    QCOMPARE(group->spec().kind, ParameterSpec::Kind::Integer);
    QUndoStack *stack = m_document->undoStack();
    const int before = stack->count();

    retype(group->lineEdit(), QStringLiteral("x1"));
    QVERIFY(group->hasProblem());
    QVERIFY(!group->isWarning());
    QVERIFY(group->problemLabel()->isVisible());
    QCOMPARE(group->problemLabel()->text(), group->problem());
    QVERIFY(!group->lineEdit()->styleSheet().isEmpty()); // red frame
    QCOMPARE(attribute({1}, QStringLiteral("group")), QStringLiteral("<none>"));
    QCOMPARE(stack->count(), before);
    QCOMPARE(group->lineEdit()->text(), QStringLiteral("x1")); // kept in the field

    // Another edit of the document keeps the invalid text in its field.
    QVERIFY(m_document->setAttribute(kDispatchSeq, {1}, QStringLiteral("value"),
                                     QStringLiteral("yes")));
    QCOMPARE(m_panel->field(QStringLiteral("group"))->lineEdit()->text(), QStringLiteral("x1"));
    QCOMPARE(m_panel->field(QStringLiteral("value"))->value(), QStringLiteral("yes"));

    // Fixed: the mark goes, the value is pushed.
    group = m_panel->field(QStringLiteral("group"));
    retype(group->lineEdit(), QStringLiteral("2"));
    QVERIFY(!group->hasProblem());
    QVERIFY(!group->problemLabel()->isVisible());
    QCOMPARE(attribute({1}, QStringLiteral("group")), QStringLiteral("2"));
}

void TestPropertiesPanel::exclusiveAttributeIsClearedInOneStep()
{
    m_panel->setSelection(kDispatchSeq, MediatorPath{0}); // value="true"
    QUndoStack *stack = m_document->undoStack();
    const int before = stack->count();
    FieldEditor *expression = m_panel->field(QStringLiteral("expression"));

    // An expression that does not compile is refused: the field keeps it with the reason, the
    // XML has the last valid text typed (all of it one undo step).
    retype(expression->lineEdit(), QStringLiteral("get-property("));
    QVERIFY(expression->hasProblem());
    QVERIFY(expression->problem().contains(QStringLiteral("expression")));
    QVERIFY(attribute({0}, QStringLiteral("expression")) != QStringLiteral("get-property("));
    QVERIFY(stack->count() <= before + 1);

    retype(expression->lineEdit(), QStringLiteral("$ctx:x"));
    QVERIFY2(!expression->hasProblem(), qPrintable(expression->problem()));
    QCOMPARE(attribute({0}, QStringLiteral("expression")), QStringLiteral("$ctx:x"));
    QCOMPARE(attribute({0}, QStringLiteral("value")), QStringLiteral("<none>"));
    QCOMPARE(m_panel->field(QStringLiteral("value"))->value(), std::nullopt);
    stack->undo();
    QCOMPARE(attribute({0}, QStringLiteral("value")), QStringLiteral("true"));
    QCOMPARE(attribute({0}, QStringLiteral("expression")), QStringLiteral("<none>"));
}

void TestPropertiesPanel::clearingAFieldRemovesTheAttribute()
{
    m_panel->setSelection(kDispatchSeq, MediatorPath{1});
    retype(m_panel->field(QStringLiteral("value"))->lineEdit(), QString());
    QCOMPARE(attribute({1}, QStringLiteral("value")), QStringLiteral("<none>"));

    // "(unset)" removes a choice.
    QComboBox *scope = m_panel->field(QStringLiteral("scope"))->comboBox();
    scope->setFocus();
    QTest::keyClick(scope, Qt::Key_Home);
    QCOMPARE(attribute({1}, QStringLiteral("scope")), QStringLiteral("<none>"));

    // A required field cannot be cleared.
    FieldEditor *name = m_panel->field(QStringLiteral("name"));
    retype(name->lineEdit(), QString());
    QVERIFY(name->hasProblem());
    QCOMPARE(attribute({1}, QStringLiteral("name")), QStringLiteral("FORCE_SC_ACCEPTED"));
}

void TestPropertiesPanel::inboundEndpointListsEveryParameter()
{
    m_panel->setSelection(kInbound, {});
    const QList<ParameterSpec> &specs = inboundEndpointParameterSpecs(QStringLiteral("ws"));
    QVERIFY(specs.size() > 5);
    for (const ParameterSpec &spec : specs)
        QVERIFY2(m_panel->field(spec.name), qPrintable(spec.name));
    for (const ParameterSpec &spec : artifactAttributeSpecs(ArtifactKind::InboundEndpoint))
        QVERIFY2(m_panel->field(spec.name), qPrintable(spec.name));
    QCOMPARE(m_panel->field(QStringLiteral("inbound.ws.port"))->value(), QStringLiteral("9092"));
    QCOMPARE(m_panel->field(QStringLiteral("sequence"))->value(), QStringLiteral("dispatchSeq"));

    FieldEditor *broadcast = m_panel->field(QStringLiteral("ws.client.side.broadcast.level"));
    QVERIFY(broadcast);
    QComboBox *combo = broadcast->comboBox();
    QVERIFY(combo && !combo->isEditable());
    QStringList values;
    for (int i = 0; i < combo->count(); ++i) {
        if (!combo->itemData(i).isValid())
            continue; // "(unset)"
        values.append(combo->itemData(i).toString());
        QVERIFY2(combo->itemText(i).size() > 5, qPrintable(combo->itemText(i))); // has meaning
    }
    QCOMPARE(values, (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2")}));
    QVERIFY(
        combo->itemText(combo->findData(QStringLiteral("1"))).contains(QStringLiteral("every")));
    QCOMPARE(broadcast->value(), QStringLiteral("0"));
}

void TestPropertiesPanel::inboundParameterEdits()
{
    m_panel->setSelection(kInbound, {});
    QUndoStack *stack = m_document->undoStack();
    const int before = stack->count();
    FieldEditor *port = m_panel->field(QStringLiteral("inbound.ws.port"));
    // 9, 99, 999 and 9999 are ports; 99999 is not: marked, kept in the field, not pushed.
    retype(port->lineEdit(), QStringLiteral("99999"));
    QVERIFY(port->hasProblem());
    QCOMPARE(port->lineEdit()->text(), QStringLiteral("99999"));
    QCOMPARE(stack->count(), before + 1);

    retype(port->lineEdit(), QStringLiteral("9093"));
    QVERIFY(!port->hasProblem());
    const auto parameter = [this](const QString &name) {
        const XmlNode *root = m_document->artifactXml(kInbound);
        for (const XmlNode *p : root->firstChildElement(QStringLiteral("parameters"))
                                    ->childElements(QStringLiteral("parameter"))) {
            if (p->attribute(QStringLiteral("name")) == name)
                return p->textContent();
        }
        return QStringLiteral("<none>");
    };
    QCOMPARE(parameter(QStringLiteral("inbound.ws.port")), QStringLiteral("9093"));
    QCOMPARE(stack->count(), before + 1); // all typing in one field merged
    // The focus stays in the field while typing.
    QVERIFY(m_panel->field(QStringLiteral("inbound.ws.port"))->lineEdit()->hasFocus());

    QComboBox *broadcast =
        m_panel->field(QStringLiteral("ws.client.side.broadcast.level"))->comboBox();
    broadcast->setFocus();
    QTest::keyClick(broadcast, Qt::Key_End);
    QCOMPARE(parameter(QStringLiteral("ws.client.side.broadcast.level")), QStringLiteral("2"));

    stack->undo();
    stack->undo();
    QCOMPARE(parameter(QStringLiteral("inbound.ws.port")), QStringLiteral("9092"));
    QCOMPARE(m_panel->field(QStringLiteral("inbound.ws.port"))->value(), QStringLiteral("9092"));
    QCOMPARE(m_panel->field(QStringLiteral("ws.client.side.broadcast.level"))->value(),
             QStringLiteral("0"));
}

void TestPropertiesPanel::referenceComboListsSequences()
{
    m_panel->setSelection(kInbound, {});
    const QStringList sequences = m_document->artifactNames(ArtifactKind::Sequence);
    QVERIFY(sequences.contains(QStringLiteral("dispatchSeq")));
    QVERIFY(sequences.contains(QStringLiteral("outDispatchSeq")));
    for (const QString &name :
         {QStringLiteral("sequence"), QStringLiteral("ws.outflow.dispatch.sequence")}) {
        QComboBox *combo = m_panel->field(name)->comboBox();
        QVERIFY(combo && combo->isEditable());
        QStringList items;
        for (int i = 0; i < combo->count(); ++i)
            items.append(combo->itemText(i));
        QCOMPARE(items, sequences);
    }
    QCOMPARE(m_panel->field(QStringLiteral("ws.outflow.dispatch.sequence"))->value(),
             QStringLiteral("outDispatchSeq"));

    // A name the project does not have is a warning, and is still used.
    FieldEditor *onError = m_panel->field(QStringLiteral("onError"));
    retype(onError->lineEdit(), QStringLiteral("missingSeq"));
    QVERIFY(onError->hasProblem());
    QVERIFY(onError->isWarning());
    QCOMPARE(m_document->artifactXml(kInbound)->attribute(QStringLiteral("onError")),
             QStringLiteral("missingSeq"));

    // Choosing from the list pushes the name.
    QComboBox *sequence = m_panel->field(QStringLiteral("sequence"))->comboBox();
    sequence->setFocus();
    QTest::keyClick(sequence, Qt::Key_Down);
    QCOMPARE(m_document->artifactXml(kInbound)->attribute(QStringLiteral("sequence")),
             QStringLiteral("outDispatchSeq"));

    // A new sequence shows up in the lists.
    QVERIFY(m_document->addArtifact(ArtifactKind::Sequence, QStringLiteral("newSeq")));
    QVERIFY(m_panel->field(QStringLiteral("sequence"))
                ->comboBox()
                ->findText(QStringLiteral("newSeq")) >= 0);
}

void TestPropertiesPanel::partsAreReadOnly()
{
    // An inline address is edited in the form; an inline <http> endpoint is not.
    m_panel->setSelection(kDispatchSeq, MediatorPath{3}); // <send><endpoint><address>
    QCOMPARE(m_panel->title(), QStringLiteral("Send"));
    QCOMPARE(m_panel->editableParts(), QStringList{QStringLiteral("endpoint")});
    QVERIFY(m_panel->readOnlyParts().isEmpty());

    XmlNode endpoint = XmlNode::element(QStringLiteral("endpoint"));
    XmlNode http = XmlNode::element(QStringLiteral("http"));
    http.setAttribute(QStringLiteral("uri-template"), QStringLiteral("http://localhost/{id}"));
    endpoint.appendChild(http);
    QVERIFY(
        m_document->replaceChildElement(kDispatchSeq, {3}, QStringLiteral("endpoint"), endpoint));
    QCOMPARE(m_panel->readOnlyParts(), QStringList{QStringLiteral("endpoint")});
    QVERIFY(m_panel->editableParts().isEmpty());
    QVERIFY(m_panel->findChild<QWidget *>(QStringLiteral("readOnlyParts")));
    QVERIFY(!m_panel->findChild<QComboBox *>(QStringLiteral("endpointMode")));
}

void TestPropertiesPanel::endpointReferenceAndUndo()
{
    QVERIFY(m_document->addArtifact(ArtifactKind::Endpoint, QStringLiteral("backend")));
    m_panel->setSelection(kDispatchSeq, MediatorPath{3});
    auto *mode = m_panel->findChild<QComboBox *>(QStringLiteral("endpointMode"));
    auto *key = m_panel->findChild<QComboBox *>(QStringLiteral("endpointKey"));
    auto *uri = m_panel->findChild<QLineEdit *>(QStringLiteral("endpointUri"));
    QVERIFY(mode && key && uri);
    QCOMPARE(mode->currentData().toString(), QStringLiteral("address"));
    QCOMPARE(uri->text(), QStringLiteral("ws://localhost:8082/websocket"));
    QVERIFY(key->findText(QStringLiteral("backend")) >= 0);

    QUndoStack *stack = m_document->undoStack();
    const int before = stack->count();
    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_Up); // address -> reference
    const auto endpoint = [this] {
        return m_document->element(kDispatchSeq, {3})
            ->firstChildElement(QStringLiteral("endpoint"));
    };
    QCOMPARE(stack->count(), before + 1);
    QCOMPARE(endpoint()->attribute(QStringLiteral("key")), QStringLiteral("backend"));
    QVERIFY(endpoint()->childElements().isEmpty());
    QVERIFY(m_document->artifactSource(kDispatchSeq)
                .contains(QStringLiteral("<endpoint key=\"backend\"/>")));

    // One undo restores the inline address, and the form follows.
    stack->undo();
    QVERIFY(!endpoint()->hasAttribute(QStringLiteral("key")));
    QCOMPARE(
        endpoint()->firstChildElement(QStringLiteral("address"))->attribute(QStringLiteral("uri")),
        QStringLiteral("ws://localhost:8082/websocket"));
    mode = m_panel->findChild<QComboBox *>(QStringLiteral("endpointMode"));
    QCOMPARE(mode->currentData().toString(), QStringLiteral("address"));

    // "none" removes the element, in one step.
    mode->setCurrentIndex(mode->findData(QStringLiteral("none")));
    QVERIFY(!endpoint());
    stack->undo();
    QVERIFY(endpoint());
}

void TestPropertiesPanel::endpointAddressUri()
{
    m_panel->setSelection(kDispatchSeq, MediatorPath{3});
    auto *uri = m_panel->findChild<QLineEdit *>(QStringLiteral("endpointUri"));
    auto *problem = m_panel->findChild<QLabel *>(QStringLiteral("endpointProblem"));
    QVERIFY(uri && problem);
    QUndoStack *stack = m_document->undoStack();
    const int before = stack->count();
    const auto address = [this] {
        return m_document->element(kDispatchSeq, {3})
            ->firstChildElement(QStringLiteral("endpoint"))
            ->firstChildElement(QStringLiteral("address"))
            ->attribute(QStringLiteral("uri"));
    };

    retype(uri, QStringLiteral("wss://example.com:8443/ws"));
    QCOMPARE(address(), QStringLiteral("wss://example.com:8443/ws"));
    QCOMPARE(stack->count(), before + 1); // typing merged
    QVERIFY(problem->isHidden());
    QVERIFY(uri->hasFocus());

    // Not a ws/wss/http/https URI: marked with the reason, not pushed.
    const int valid = stack->count();
    retype(uri, QStringLiteral("ftp://example.com/x"));
    QVERIFY(!problem->isHidden());
    QVERIFY(problem->text().contains(QStringLiteral("ftp://example.com/x")));
    QCOMPARE(address(), QStringLiteral("wss://example.com:8443/ws"));
    QCOMPARE(stack->count(), valid);
    QCOMPARE(uri->text(), QStringLiteral("ftp://example.com/x"));

    stack->undo();
    QCOMPARE(address(), QStringLiteral("ws://localhost:8082/websocket"));
    QCOMPARE(m_panel->findChild<QLineEdit *>(QStringLiteral("endpointUri"))->text(),
             QStringLiteral("ws://localhost:8082/websocket"));
}

void TestPropertiesPanel::logPropertiesTable()
{
    const ArtifactId seq{ArtifactKind::Sequence, QStringLiteral("outDispatchSeq")};
    m_panel->setSelection(seq, MediatorPath{0}); // <log level="full"/>
    QCOMPARE(m_panel->editableParts(), QStringList{QStringLiteral("property")});
    auto *table = m_panel->findChild<QTableWidget *>(QStringLiteral("logProperties"));
    auto *add = m_panel->findChild<QPushButton *>(QStringLiteral("addLogProperty"));
    auto *remove = m_panel->findChild<QPushButton *>(QStringLiteral("removeLogProperty"));
    auto *problem = m_panel->findChild<QLabel *>(QStringLiteral("logPropertiesProblem"));
    QVERIFY(table && add && remove && problem);
    QCOMPARE(table->rowCount(), 0);
    QUndoStack *stack = m_document->undoStack();
    const int before = stack->count();
    const auto properties = [this, &seq] {
        return m_document->element(seq, {0})->childElements(QStringLiteral("property"));
    };

    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(properties().size(), 1);
    QCOMPARE(stack->count(), before + 1);
    table = m_panel->findChild<QTableWidget *>(QStringLiteral("logProperties"));
    QCOMPARE(table->rowCount(), 1);

    table->item(0, 0)->setText(QStringLiteral("id"));
    QCOMPARE(properties().first()->attribute(QStringLiteral("name")), QStringLiteral("id"));
    // An expression replaces the value in the same step.
    table->item(0, 2)->setText(QStringLiteral("$ctx:id"));
    QCOMPARE(properties().first()->attribute(QStringLiteral("expression")),
             QStringLiteral("$ctx:id"));
    QVERIFY(!properties().first()->hasAttribute(QStringLiteral("value")));
    QCOMPARE(table->item(0, 1)->text(), QString());
    const int edited = stack->count();
    QCOMPARE(edited, before + 3);

    // An expression that does not compile is marked and not pushed.
    problem = m_panel->findChild<QLabel *>(QStringLiteral("logPropertiesProblem"));
    table->item(0, 2)->setText(QStringLiteral("get-property("));
    QVERIFY(!problem->isHidden());
    QVERIFY(!table->item(0, 2)->toolTip().isEmpty());
    QCOMPARE(stack->count(), edited);
    QCOMPARE(properties().first()->attribute(QStringLiteral("expression")),
             QStringLiteral("$ctx:id"));
    // A name is required.
    table->item(0, 0)->setText(QString());
    QCOMPARE(properties().first()->attribute(QStringLiteral("name")), QStringLiteral("id"));

    stack->undo();
    QCOMPARE(properties().first()->attribute(QStringLiteral("value")), QStringLiteral("value"));
    QCOMPARE(table->item(0, 1)->text(), QStringLiteral("value"));
    stack->redo();

    remove = m_panel->findChild<QPushButton *>(QStringLiteral("removeLogProperty"));
    QTest::mouseClick(remove, Qt::LeftButton);
    QVERIFY(properties().isEmpty());
    QCOMPARE(stack->count(), edited + 1);
    stack->undo();
    QCOMPARE(properties().size(), 1);
}

void TestPropertiesPanel::payloadFactoryFormatAndArgs()
{
    // <payloadFactory media-type="json"><format>{"message": "$1"}</format>
    // <args><arg evaluator="json" expression="$.message"/></args></payloadFactory>
    QVERIFY(m_document->insertMediator(kDispatchSeq, {}, 3, QStringLiteral("payloadFactory")));
    m_panel->setSelection(kDispatchSeq, MediatorPath{3});
    QCOMPARE(m_panel->editableParts(),
             (QStringList{QStringLiteral("format"), QStringLiteral("args")}));
    QVERIFY(m_panel->readOnlyParts().isEmpty());
    auto *format = m_panel->findChild<QPlainTextEdit *>(QStringLiteral("formatText"));
    auto *formatProblem = m_panel->findChild<QLabel *>(QStringLiteral("formatProblem"));
    auto *args = m_panel->findChild<QTableWidget *>(QStringLiteral("payloadArgs"));
    QVERIFY(format && formatProblem && args);
    QCOMPARE(format->toPlainText(), QStringLiteral("{\"message\": \"$1\"}"));
    QCOMPARE(args->rowCount(), 1);
    QCOMPARE(args->item(0, 1)->text(), QStringLiteral("$.message"));
    QCOMPARE(args->item(0, 2)->text(), QStringLiteral("json"));
    const auto factory = [this] { return m_document->element(kDispatchSeq, {3}); };
    const auto argAt = [&factory](int index) {
        return factory()
            ->firstChildElement(QStringLiteral("args"))
            ->childElements(QStringLiteral("arg"))
            .value(index);
    };
    QUndoStack *stack = m_document->undoStack();

    // An argument's expression.
    int before = stack->count();
    args->item(0, 1)->setText(QStringLiteral("$.id"));
    QCOMPARE(argAt(0)->attribute(QStringLiteral("expression")), QStringLiteral("$.id"));
    QCOMPARE(stack->count(), before + 1);
    // An evaluator the description does not know is refused.
    args->item(0, 2)->setText(QStringLiteral("yaml"));
    QCOMPARE(argAt(0)->attribute(QStringLiteral("evaluator")), QStringLiteral("json"));
    QVERIFY(!m_panel->findChild<QLabel *>(QStringLiteral("argsProblem"))->isHidden());
    QCOMPARE(stack->count(), before + 1);

    // Add and remove arguments.
    QTest::mouseClick(m_panel->findChild<QPushButton *>(QStringLiteral("addArg")), Qt::LeftButton);
    QCOMPARE(factory()->firstChildElement(QStringLiteral("args"))->childElements().size(), 2);
    args = m_panel->findChild<QTableWidget *>(QStringLiteral("payloadArgs"));
    QCOMPARE(args->rowCount(), 2);
    args->item(1, 0)->setText(QStringLiteral("fixed"));
    QCOMPARE(argAt(1)->attribute(QStringLiteral("value")), QStringLiteral("fixed"));
    QTest::mouseClick(m_panel->findChild<QPushButton *>(QStringLiteral("removeArg")),
                      Qt::LeftButton);
    QCOMPARE(factory()->firstChildElement(QStringLiteral("args"))->childElements().size(), 1);
    stack->undo();
    QCOMPARE(argAt(1)->attribute(QStringLiteral("value")), QStringLiteral("fixed"));
    QCOMPARE(m_panel->findChild<QTableWidget *>(QStringLiteral("payloadArgs"))->rowCount(), 2);
    stack->redo();

    // The format text: typing is one step.
    before = stack->count();
    format = m_panel->findChild<QPlainTextEdit *>(QStringLiteral("formatText"));
    format->setFocus();
    format->selectAll();
    QTest::keyClicks(format, QStringLiteral("{\"id\": $1}"));
    QCOMPARE(factory()->firstChildElement(QStringLiteral("format"))->textContent(),
             QStringLiteral("{\"id\": $1}"));
    QCOMPARE(stack->count(), before + 1);
    QVERIFY(format->hasFocus());

    // media-type xml: the inner XML, which must parse.
    QVERIFY(m_document->setAttribute(kDispatchSeq, {3}, QStringLiteral("media-type"),
                                     QStringLiteral("xml")));
    format = m_panel->findChild<QPlainTextEdit *>(QStringLiteral("formatText"));
    formatProblem = m_panel->findChild<QLabel *>(QStringLiteral("formatProblem"));
    before = stack->count();
    format->setPlainText(QStringLiteral("<msg><id>$1</id>"));
    QVERIFY(!formatProblem->isHidden());
    QVERIFY(formatProblem->text().contains(QStringLiteral("XML")));
    QCOMPARE(stack->count(), before);
    QCOMPARE(format->toPlainText(), QStringLiteral("<msg><id>$1</id>"));

    format->setPlainText(QStringLiteral("<msg><id>$1</id></msg>"));
    QVERIFY(formatProblem->isHidden());
    QCOMPARE(stack->count(), before + 1);
    const XmlNode *written = factory()->firstChildElement(QStringLiteral("format"));
    QVERIFY(written->firstChildElement(QStringLiteral("msg")));
    QCOMPARE(written->firstChildElement(QStringLiteral("msg"))->namespaceUri, kSynapseNamespace);
    QVERIFY(m_document->artifactSource(kDispatchSeq).contains(QStringLiteral("<msg>")));
    QCOMPARE(format->toPlainText(), QStringLiteral("<msg><id>$1</id></msg>"));

    stack->undo();
    QCOMPARE(factory()->firstChildElement(QStringLiteral("format"))->textContent(),
             QStringLiteral("{\"id\": $1}"));
    QCOMPARE(m_panel->findChild<QPlainTextEdit *>(QStringLiteral("formatText"))->toPlainText(),
             QStringLiteral("{\"id\": $1}"));
}

void TestPropertiesPanel::followsRenameAndRemoval()
{
    m_panel->setSelection(kDispatchSeq, {});
    QVERIFY(m_panel->title().contains(QStringLiteral("dispatchSeq")));
    QVERIFY(m_document->renameArtifact(kDispatchSeq, QStringLiteral("mainSeq")));
    QCOMPARE(m_panel->artifact().name, QStringLiteral("mainSeq"));
    QCOMPARE(m_panel->field(QStringLiteral("name"))->value(), QStringLiteral("mainSeq"));

    // The selected mediator goes away (undo of an insert): the form says so.
    const ArtifactId seq{ArtifactKind::Sequence, QStringLiteral("outDispatchSeq")};
    QVERIFY(m_document->insertMediator(seq, {}, 2, QStringLiteral("drop")));
    m_panel->setSelection(seq, MediatorPath{2});
    QCOMPARE(m_panel->title(), QStringLiteral("Drop"));
    m_document->undoStack()->undo();
    QVERIFY(m_panel->fields().isEmpty());
}

void TestPropertiesPanel::typingTheNameRenames()
{
    m_panel->setSelection(kDispatchSeq, {});
    QLineEdit *name = m_panel->field(QStringLiteral("name"))->lineEdit();
    name->setFocus();
    name->end(false);
    QTest::keyClicks(name, QStringLiteral("2"));
    QCOMPARE(m_panel->artifact().name, QStringLiteral("dispatchSeq2"));
    QVERIFY(m_document->contains({ArtifactKind::Sequence, QStringLiteral("dispatchSeq2")}));
    QVERIFY(m_panel->field(QStringLiteral("name"))->lineEdit()->hasFocus());
    // A name that is taken is refused with the document's reason.
    FieldEditor *field = m_panel->field(QStringLiteral("name"));
    retype(field->lineEdit(), QStringLiteral("outDispatchSeq"));
    QVERIFY(field->hasProblem());
    QVERIFY(!field->isWarning());
    QVERIFY(m_document->contains(kDispatchSeq) ||
            m_document->contains({ArtifactKind::Sequence, QStringLiteral("outDispatchSe")}));
}

void TestPropertiesPanel::mediatorProblemsAreShown()
{
    m_panel->setSelection(kDispatchSeq, MediatorPath{0});
    QVERIFY(m_panel->problemsText().isEmpty());
    // Both value and expression, set behind the panel's back: the form says what is wrong.
    QVERIFY(m_document->setAttribute(kDispatchSeq, {0}, QStringLiteral("expression"),
                                     QStringLiteral("$ctx:a")));
    QVERIFY(!m_panel->problemsText().isEmpty());
    QCOMPARE(m_panel->field(QStringLiteral("expression"))->value(), QStringLiteral("$ctx:a"));
    m_document->undoStack()->undo();
    QVERIFY(m_panel->problemsText().isEmpty());
}

void TestPropertiesPanel::fieldKinds()
{
    ParameterSpec secret;
    secret.name = QStringLiteral("password");
    secret.kind = ParameterSpec::Kind::Secret;
    FieldEditor secretField(secret);
    QCOMPARE(secretField.lineEdit()->echoMode(), QLineEdit::Password);

    ParameterSpec flag;
    flag.name = QStringLiteral("suspend");
    flag.kind = ParameterSpec::Kind::Boolean;
    flag.defaultValue = QStringLiteral("false");
    flag.help = QStringLiteral("Deploy without starting.");
    FieldEditor flagField(flag);
    QCOMPARE(flagField.comboBox()->count(), 3); // unset, true, false
    QVERIFY(flagField.comboBox()->itemText(0).contains(QStringLiteral("false")));
    QCOMPARE(flagField.input()->toolTip(), flag.help);
    QCOMPARE(flagField.value(), std::nullopt);
    flagField.setValue(QStringLiteral("true"));
    QCOMPARE(flagField.value(), QStringLiteral("true"));
    // A value the description does not list is kept and shown.
    flagField.setValue(QStringLiteral("{$ctx:x}"));
    QCOMPARE(flagField.value(), QStringLiteral("{$ctx:x}"));
}

void TestPropertiesPanel::protocolChangeRebuildsTheForm()
{
    m_panel->setSelection(kInbound, {});
    QComboBox *protocol = m_panel->field(QStringLiteral("protocol"))->comboBox();
    protocol->setFocus();
    QTest::keyClick(protocol, Qt::Key_End); // wss
    QCOMPARE(m_document->artifactXml(kInbound)->attribute(QStringLiteral("protocol")),
             QStringLiteral("wss"));
    const QList<ParameterSpec> &specs = inboundEndpointParameterSpecs(QStringLiteral("wss"));
    QVERIFY(specs.size() > inboundEndpointParameterSpecs(QStringLiteral("ws")).size());
    for (const ParameterSpec &spec : specs)
        QVERIFY2(m_panel->field(spec.name), qPrintable(spec.name));
    QVERIFY(m_panel->field(QStringLiteral("protocol"))->comboBox()->hasFocus());
    QTest::qWait(10); // the old form is deleted from the event loop
    m_document->undoStack()->undo();
    QCOMPARE(m_panel->field(QStringLiteral("protocol"))->value(), QStringLiteral("ws"));
    QCOMPARE(m_panel->fields().size(),
             artifactAttributeSpecs(ArtifactKind::InboundEndpoint).size() +
                 inboundEndpointParameterSpecs(QStringLiteral("ws")).size());
}

QTEST_MAIN(TestPropertiesPanel)
#include "tst_properties_panel.moc"
