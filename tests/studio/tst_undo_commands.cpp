// SPDX-License-Identifier: Apache-2.0
// Every undo command: what it does, its name on the undo stack, and that undo gives back exactly
// the XML there was (what the source view shows included) and redo exactly the edited one.
#include "artifacts/mediator_catalog.h"
#include "model/project_document.h"
#include "model/undo_commands.h"
#include "model/xml_tree.h"
#include "studio_test_support.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <functional>

using namespace sluice;
using namespace sluice::studio;
using namespace sluice::studio::test;

namespace {

const ArtifactId kDispatch{ArtifactKind::Sequence, QStringLiteral("dispatchSeq")};
const ArtifactId kOutDispatch{ArtifactKind::Sequence, QStringLiteral("outDispatchSeq")};
const ArtifactId kInbound{ArtifactKind::InboundEndpoint, QStringLiteral("websocket")};
const ArtifactId kProxy{ArtifactKind::ProxyService, QStringLiteral("websocketProxy1")};
const ArtifactId kBackend{ArtifactKind::Endpoint, QStringLiteral("wsBackend")};
const ArtifactId kBackendUrl{ArtifactKind::LocalEntry, QStringLiteral("backendUrl")};

const QString kSequences = QStringLiteral("src/main/synapse-config/sequences/");

} // namespace

class UndoCommandsTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_temp;
    QString m_project;
    std::unique_ptr<ProjectDocument> m_document;
    ProjectDocument &doc() { return *m_document; }
    QUndoStack &stack() { return *m_document->undoStack(); }

    QString nameAt(const ArtifactId &id, const MediatorPath &path)
    {
        const XmlNode *node = doc().element(id, path);
        return node ? elementLabel(*node) : QString();
    }

    // Runs `edit`, which must push one command named `text`; undo must restore the state
    // before exactly, redo the state after. Leaves the edit done.
    void checkUndoRedo(const std::function<bool()> &edit, const QString &text)
    {
        const QMap<QString, QString> before = documentState(doc());
        const int count = stack().count();
        QVERIFY(edit());
        QCOMPARE(stack().count(), count + 1);
        QCOMPARE(stack().undoText(), text);
        const QMap<QString, QString> after = documentState(doc());
        QVERIFY(after != before);
        stack().undo();
        QCOMPARE(documentState(doc()), before);
        stack().redo();
        QCOMPARE(documentState(doc()), after);
    }

private slots:
    void init()
    {
        QVERIFY(m_temp.isValid());
        m_project = m_temp.filePath(QStringLiteral("mi-websocket"));
        QDir(m_project).removeRecursively();
        QVERIFY(copyTree(testData() + QStringLiteral("/projects/mi-websocket"), m_project));
        m_document = std::make_unique<ProjectDocument>();
        m_document->setAutoValidate(false);
        Diagnostics diagnostics;
        QVERIFY2(m_document->open(m_project, &diagnostics), qPrintable(diagnostics.toString()));
        QVERIFY(!m_document->isDirty());
    }

    void cleanup() { m_document.reset(); }

    void insertMediator()
    {
        checkUndoRedo([&] { return doc().insertMediator(kDispatch, {}, 0, QStringLiteral("log")); },
                      QStringLiteral("Insert log mediator"));
        QCOMPARE(nameAt(kDispatch, {0}), QStringLiteral("log"));
        QCOMPARE(nameAt(kDispatch, {1}), QStringLiteral("property OUT_ONLY"));
        // At the end.
        checkUndoRedo(
            [&] { return doc().insertMediator(kDispatch, {}, 5, QStringLiteral("drop")); },
            QStringLiteral("Insert drop mediator"));
        QCOMPARE(nameAt(kDispatch, {5}), QStringLiteral("drop"));
        // Into the branches of a filter.
        checkUndoRedo(
            [&] { return doc().insertMediator(kDispatch, {}, 0, QStringLiteral("filter")); },
            QStringLiteral("Insert filter mediator"));
        QVERIFY(doc().isMediatorContainer(kDispatch, {0, 0}));
        QVERIFY(doc().isMediatorContainer(kDispatch, {0, 1}));
        QVERIFY(!doc().isMediatorContainer(kDispatch, {0}));
        checkUndoRedo(
            [&] {
                return doc().insertMediator(kDispatch, {0, 0}, 0, QStringLiteral("respond"));
            },
            QStringLiteral("Insert respond mediator"));
        checkUndoRedo(
            [&] {
                return doc().insertMediator(kDispatch, {0, 1}, 0, QStringLiteral("drop"));
            },
            QStringLiteral("Insert drop mediator"));
        QCOMPARE(nameAt(kDispatch, {0, 0, 0}), QStringLiteral("respond"));
        QCOMPARE(nameAt(kDispatch, {0, 1, 0}), QStringLiteral("drop"));
        // Into an inline sequence of an API resource.
        const ArtifactId api{ArtifactKind::Api, QStringLiteral("HealthAPI")};
        QVERIFY(doc().isMediatorContainer(api, {0, 0}));
        checkUndoRedo(
            [&] {
                return doc().insertMediator(api, {0, 0}, 0, QStringLiteral("log"));
            },
            QStringLiteral("Insert log mediator"));

        // Refused: no such place, out of range, unknown template.
        const int count = stack().count();
        QString error;
        QVERIFY(!doc().insertMediator(kDispatch, {9}, 0, QStringLiteral("log"), &error));
        QVERIFY(error.contains(QLatin1String("no element")));
        QVERIFY(!doc().insertMediator(kDispatch, {}, 99, QStringLiteral("log"), &error));
        QVERIFY(error.contains(QLatin1String("outside")));
        QVERIFY(!doc().insertMediator(kDispatch, {}, 0, QStringLiteral("nope"), &error));
        QCOMPARE(stack().count(), count);
    }

    void insertedXmlIsWrittenInTheSynapseNamespace()
    {
        QVERIFY(doc().insertMediator(kOutDispatch, {}, 1, QStringLiteral("property")));
        const QString source = doc().artifactSource(kOutDispatch);
        QVERIFY2(source.contains(QLatin1String("    <property name=\"name\" value=\"value\"/>\n")),
                 qPrintable(source));
        QCOMPARE(source.count(QLatin1String("xmlns=")), 1);
    }

    void removeMediator()
    {
        checkUndoRedo([&] { return doc().removeMediator(kDispatch, {0}); },
                      QStringLiteral("Remove property OUT_ONLY mediator"));
        QCOMPARE(nameAt(kDispatch, {0}), QStringLiteral("property FORCE_SC_ACCEPTED"));
        checkUndoRedo([&] { return doc().removeMediator(kDispatch, {2}); },
                      QStringLiteral("Remove send mediator"));
        QString error;
        QVERIFY(!doc().removeMediator(kDispatch, {}, &error));
        QVERIFY(!doc().removeMediator(kDispatch, {7}, &error));
    }

    void moveMediator()
    {
        // Up and down within one list (toIndex as before the move).
        checkUndoRedo([&] { return doc().moveMediator(kDispatch, {3}, {}, 0); },
                      QStringLiteral("Move send mediator"));
        QCOMPARE(nameAt(kDispatch, {0}), QStringLiteral("send"));
        checkUndoRedo([&] { return doc().moveMediator(kDispatch, {0}, {}, 2); },
                      QStringLiteral("Move send mediator"));
        QCOMPARE(nameAt(kDispatch, {1}), QStringLiteral("send"));
        QCOMPARE(nameAt(kDispatch, {0}), QStringLiteral("property OUT_ONLY"));
        // No move at all is no command.
        const int count = stack().count();
        QVERIFY(doc().moveMediator(kDispatch, {1}, {}, 1));
        QVERIFY(doc().moveMediator(kDispatch, {1}, {}, 2));
        QCOMPARE(stack().count(), count);

        // Into a branch of a filter that comes after it, and between branches.
        QVERIFY(doc().insertMediator(kDispatch, {}, 4, QStringLiteral("filter")));
        checkUndoRedo(
            [&] {
                return doc().moveMediator(kDispatch, {2}, {4, 0}, 0);
            },
            QStringLiteral("Move property FORCE_SC_ACCEPTED mediator"));
        QCOMPARE(nameAt(kDispatch, {3, 0, 0}), QStringLiteral("property FORCE_SC_ACCEPTED"));
        checkUndoRedo(
            [&] {
                return doc().moveMediator(kDispatch, {3, 0, 0}, {3, 1}, 0);
            },
            QStringLiteral("Move property FORCE_SC_ACCEPTED mediator"));
        QCOMPARE(nameAt(kDispatch, {3, 1, 0}), QStringLiteral("property FORCE_SC_ACCEPTED"));
        QCOMPARE(doc().element(kDispatch, {3, 0})->children.size(), size_t(0));
        // Out of a branch to the top.
        checkUndoRedo(
            [&] {
                return doc().moveMediator(kDispatch, {3, 1, 0}, {}, 0);
            },
            QStringLiteral("Move property FORCE_SC_ACCEPTED mediator"));
        QCOMPARE(nameAt(kDispatch, {0}), QStringLiteral("property FORCE_SC_ACCEPTED"));

        QString error;
        QVERIFY(!doc().moveMediator(kDispatch, {4}, {4, 0}, 0, &error));
        QVERIFY(error.contains(QLatin1String("into itself")));
        QVERIFY(!doc().moveMediator(kDispatch, {}, {}, 0, &error));
    }

    void setAttributeMerges()
    {
        checkUndoRedo(
            [&] {
                return doc().setAttribute(kDispatch, {0}, QStringLiteral("value"),
                                          QStringLiteral("false"));
            },
            QStringLiteral("Set property OUT_ONLY value"));
        stack().undo();
        // Typing: one step for every keystroke in the same field.
        const int count = stack().index();
        QVERIFY(doc().setAttribute(kDispatch, {0}, QStringLiteral("value"), QStringLiteral("f")));
        QVERIFY(doc().setAttribute(kDispatch, {0}, QStringLiteral("value"), QStringLiteral("fa")));
        QVERIFY(doc().setAttribute(kDispatch, {0}, QStringLiteral("value"), QStringLiteral("fal")));
        QCOMPARE(stack().index(), count + 1);
        QCOMPARE(doc().element(kDispatch, {0})->attribute(QStringLiteral("value")),
                 QStringLiteral("fal"));
        // Another field is another step.
        QVERIFY(
            doc().setAttribute(kDispatch, {0}, QStringLiteral("scope"), QStringLiteral("axis2")));
        QCOMPARE(stack().index(), count + 2);
        stack().undo();
        stack().undo();
        QCOMPARE(doc().element(kDispatch, {0})->attribute(QStringLiteral("value")),
                 QStringLiteral("true"));
        QVERIFY(stack().isClean());
        QCOMPARE(doc().artifactSource(kDispatch),
                 QString::fromUtf8(readAll(m_project + QLatin1Char('/') + kSequences +
                                           QStringLiteral("dispatchSeq.xml"))));

        // Typing the old value back leaves no step at all.
        QVERIFY(doc().setAttribute(kDispatch, {0}, QStringLiteral("value"), QStringLiteral("x")));
        QVERIFY(
            doc().setAttribute(kDispatch, {0}, QStringLiteral("value"), QStringLiteral("true")));
        QCOMPARE(stack().index(), count);
        QVERIFY(!doc().isDirty());

        // A new attribute, on the root and on a nested element.
        checkUndoRedo(
            [&] {
                return doc().setAttribute(kDispatch, {}, QStringLiteral("onError"),
                                          QStringLiteral("outDispatchSeq"));
            },
            QStringLiteral("Set sequence dispatchSeq onError"));
        checkUndoRedo(
            [&] {
                return doc().setAttribute(kDispatch, {3, 0}, QStringLiteral("key"),
                                          QStringLiteral("other"));
            },
            QStringLiteral("Set endpoint wsBackend key"));
        QString error;
        QVERIFY(!doc().setAttribute(kDispatch, {0}, QStringLiteral("bad name"), {}, &error));
        QVERIFY(!doc().setAttribute(kDispatch, {9}, QStringLiteral("a"), {}, &error));
        QVERIFY(!SetAttributeCommand::create(&doc(), kDispatch, {}, QStringLiteral("name"),
                                             QStringLiteral("x"), &error));
    }

    void removeAttribute()
    {
        checkUndoRedo(
            [&] { return doc().removeAttribute(kDispatch, {1}, QStringLiteral("scope")); },
            QStringLiteral("Remove property FORCE_SC_ACCEPTED scope"));
        QVERIFY(!doc().element(kDispatch, {1})->hasAttribute(QStringLiteral("scope")));
        const int count = stack().count();
        QVERIFY(doc().removeAttribute(kDispatch, {1}, QStringLiteral("scope"))); // already gone
        QCOMPARE(stack().count(), count);
        QString error;
        QVERIFY(!doc().removeAttribute(kDispatch, {}, QStringLiteral("name"), &error));
    }

    void setText()
    {
        checkUndoRedo(
            [&] {
                return doc().setText(kBackendUrl, {}, QStringLiteral("ws://localhost:9000/ws"));
            },
            QStringLiteral("Edit localEntry backendUrl text"));
        QCOMPARE(doc().artifactXml(kBackendUrl)->textContent(),
                 QStringLiteral("ws://localhost:9000/ws"));
        const int count = stack().count();
        QVERIFY(doc().setText(kBackendUrl, {}, QStringLiteral("ws://localhost:9000/w")));
        QCOMPARE(stack().count(), count); // merged
    }

    void replaceChildElement()
    {
        // <send><endpoint key="wsBackend"/></send> -> an inline address, one step.
        XmlNode endpoint = XmlNode::element(QStringLiteral("endpoint"));
        XmlNode address = XmlNode::element(QStringLiteral("address"));
        address.setAttribute(QStringLiteral("uri"), QStringLiteral("ws://localhost:9000/ws"));
        endpoint.appendChild(address);
        checkUndoRedo(
            [&] {
                return doc().replaceChildElement(kDispatch, {3}, QStringLiteral("endpoint"),
                                                 endpoint);
            },
            QStringLiteral("Edit send endpoint"));
        const XmlNode *send = doc().element(kDispatch, {3});
        QVERIFY(send);
        QCOMPARE(send->childElements().size(), 1);
        const XmlNode *written = send->firstChildElement(QStringLiteral("endpoint"));
        QVERIFY(written && !written->hasAttribute(QStringLiteral("key")));
        QCOMPARE(
            written->firstChildElement(QStringLiteral("address"))->attribute(QStringLiteral("uri")),
            QStringLiteral("ws://localhost:9000/ws"));
        QVERIFY(!doc().artifactSource(kDispatch).contains(QStringLiteral("xmlns=\"\"")));
        QVERIFY(doc().artifactSource(kDispatch).contains(
            QStringLiteral("<address uri=\"ws://localhost:9000/ws\"/>")));

        // The same element again is no edit; removing it is one step.
        const int count = stack().count();
        QVERIFY(doc().replaceChildElement(kDispatch, {3}, QStringLiteral("endpoint"), endpoint));
        QCOMPARE(stack().count(), count);
        checkUndoRedo(
            [&] {
                return doc().replaceChildElement(kDispatch, {3}, QStringLiteral("endpoint"),
                                                 std::nullopt);
            },
            QStringLiteral("Remove send endpoint"));
        QVERIFY(doc().element(kDispatch, {3})->childElements().isEmpty());
        // Missing: appended.
        checkUndoRedo(
            [&] {
                return doc().replaceChildElement(kDispatch, {3}, QStringLiteral("endpoint"),
                                                 endpoint);
            },
            QStringLiteral("Edit send endpoint"));

        // Merging replacements (typing) are one step.
        address.setAttribute(QStringLiteral("uri"), QStringLiteral("ws://a:1/x"));
        XmlNode typed = XmlNode::element(QStringLiteral("endpoint"));
        typed.appendChild(address);
        const int merged = stack().count();
        QVERIFY(doc().replaceChildElement(kDispatch, {3}, QStringLiteral("endpoint"), typed, true));
        address.setAttribute(QStringLiteral("uri"), QStringLiteral("ws://a:1/xy"));
        XmlNode typedMore = XmlNode::element(QStringLiteral("endpoint"));
        typedMore.appendChild(address);
        QVERIFY(
            doc().replaceChildElement(kDispatch, {3}, QStringLiteral("endpoint"), typedMore, true));
        QCOMPARE(stack().count(), merged + 1);

        // Refused: a wrong element, no element at the path.
        QString error;
        QVERIFY(!doc().replaceChildElement(kDispatch, {3}, QStringLiteral("endpoint"),
                                           XmlNode::element(QStringLiteral("format")), false,
                                           &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!doc().replaceChildElement(kDispatch, {9}, QStringLiteral("endpoint"), endpoint,
                                           false, &error));
    }

    void inboundParameters()
    {
        checkUndoRedo(
            [&] {
                return doc().setInboundParameter(kInbound,
                                                 QStringLiteral("ws.client.side.broadcast.level"),
                                                 QStringLiteral("2"));
            },
            QStringLiteral("Set websocket ws.client.side.broadcast.level"));
        checkUndoRedo(
            [&] {
                return doc().setInboundParameter(kInbound, QStringLiteral("ws.use.port.offset"),
                                                 QStringLiteral("true"));
            },
            QStringLiteral("Set websocket ws.use.port.offset"));
        const XmlNode *parameters = doc().element(kInbound, {0});
        QCOMPARE(elementCount(*parameters), 5);
        QCOMPARE(doc().element(kInbound, {0, 4})->textContent(), QStringLiteral("true"));
        checkUndoRedo(
            [&] {
                return doc().removeInboundParameter(kInbound,
                                                    QStringLiteral("ws.outflow.dispatch.sequence"));
            },
            QStringLiteral("Remove websocket ws.outflow.dispatch.sequence"));
        QCOMPARE(elementCount(*doc().element(kInbound, {0})), 4);
        QString error;
        QVERIFY(!doc().setInboundParameter(kDispatch, QStringLiteral("a"), QStringLiteral("b"),
                                           &error));
    }

    void replaceSource()
    {
        const QString file = doc().artifactFile(kOutDispatch);
        const QString edited =
            QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<sequence xmlns=\"%1\" name=\"outDispatchSeq\">\n"
                           "    <!-- answer the client -->\n"
                           "    <log level=\"simple\"/>\n"
                           "    <ext:audit xmlns:ext=\"urn:example:audit\" level=\"3\"/>\n"
                           "    <respond/>\n"
                           "</sequence>\n")
                .arg(kSynapseNamespace);
        checkUndoRedo([&] { return doc().replaceArtifactSource(kOutDispatch, edited); },
                      QStringLiteral("Edit outDispatchSeq source"));
        const XmlNode *root = doc().artifactXml(kOutDispatch);
        QCOMPARE(root->children.front().kind, XmlNode::Kind::Comment);
        QCOMPARE(nameAt(kOutDispatch, {1}), QStringLiteral("audit"));
        QCOMPARE(summarize(*doc().element(kOutDispatch, {1})),
                 QStringLiteral("<ext:audit> (not editable in design)"));
        QCOMPARE(doc().artifactSource(kOutDispatch), edited); // the writer's form is the same

        // Unchanged text is no edit.
        const int count = stack().count();
        QVERIFY(doc().replaceArtifactSource(kOutDispatch, doc().artifactSource(kOutDispatch)));
        QCOMPARE(stack().count(), count);

        // Invalid XML: refused with file, line and column; nothing changes.
        const QMap<QString, QString> before = documentState(doc());
        Diagnostics diagnostics;
        QVERIFY(!doc().replaceArtifactSource(
            kOutDispatch,
            QStringLiteral(
                "<sequence name=\"outDispatchSeq\" xmlns=\"%1\">\n  <log>\n</sequence>\n")
                .arg(kSynapseNamespace),
            &diagnostics));
        QCOMPARE(diagnostics.errorCount(), 1);
        const Diagnostic problem = diagnostics.items().first();
        QCOMPARE(problem.location.file, file);
        QCOMPARE(problem.location.line, 3);
        QVERIFY(problem.location.column > 0);
        QVERIFY(problem.message.startsWith(QLatin1String("XML is not well-formed")));
        QCOMPARE(stack().count(), count);
        QCOMPARE(documentState(doc()), before);

        // Another kind of artifact, or a name that is taken: refused.
        diagnostics = Diagnostics();
        QVERIFY(!doc().replaceArtifactSource(
            kOutDispatch,
            QStringLiteral("<endpoint name=\"x\" xmlns=\"%1\"/>").arg(kSynapseNamespace),
            &diagnostics));
        QVERIFY(diagnostics.toString().contains(QLatin1String("must stay <sequence>")));
        diagnostics = Diagnostics();
        QVERIFY(!doc().replaceArtifactSource(
            kOutDispatch,
            QStringLiteral("<sequence name=\"dispatchSeq\" xmlns=\"%1\"/>").arg(kSynapseNamespace),
            &diagnostics));
        QVERIFY(diagnostics.toString().contains(QLatin1String("already exists")));
        QCOMPARE(documentState(doc()), before);

        // A new name in the source renames the artifact (references stay as written).
        QSignalSpy renamed(&doc(), &ProjectDocument::artifactRenamed);
        QVERIFY(doc().replaceArtifactSource(
            kOutDispatch,
            QStringLiteral("<sequence name=\"reply\" xmlns=\"%1\"><respond/></sequence>")
                .arg(kSynapseNamespace)));
        QCOMPARE(renamed.count(), 1);
        QCOMPARE(renamed.first().at(1).value<ArtifactId>(),
                 (ArtifactId{ArtifactKind::Sequence, QStringLiteral("reply")}));
        stack().undo();
        QCOMPARE(renamed.count(), 2);
        QVERIFY(doc().contains(kOutDispatch));
    }

    void addDuplicateDelete()
    {
        QSignalSpy added(&doc(), &ProjectDocument::artifactAdded);
        QSignalSpy removed(&doc(), &ProjectDocument::artifactRemoved);
        const ArtifactId orders{ArtifactKind::Sequence, QStringLiteral("orders")};
        checkUndoRedo(
            [&] {
                return doc()
                    .addArtifact(ArtifactKind::Sequence, QStringLiteral("orders"))
                    .has_value();
            },
            QStringLiteral("Add sequence orders"));
        QVERIFY(doc().contains(orders));
        QCOMPARE(doc().artifactFile(orders), kSequences + QStringLiteral("orders.xml"));
        QCOMPARE(added.count(), 2);
        QCOMPARE(removed.count(), 1);

        const ArtifactId copy{ArtifactKind::Sequence, QStringLiteral("dispatchSeq2")};
        checkUndoRedo([&] { return doc().duplicateArtifact(kDispatch, copy.name).has_value(); },
                      QStringLiteral("Duplicate sequence dispatchSeq as dispatchSeq2"));
        QList<ArtifactId> ids = doc().artifactIds();
        QCOMPARE(ids.indexOf(copy), ids.indexOf(kDispatch) + 1);
        QCOMPARE(doc().artifactFile(copy), kSequences + QStringLiteral("dispatchSeq2.xml"));
        QCOMPARE(doc().artifactXml(copy)->attribute(QStringLiteral("name")), copy.name);
        QCOMPARE(elementCount(*doc().artifactXml(copy)),
                 elementCount(*doc().artifactXml(kDispatch)));

        // Every kind from its template.
        for (const ArtifactKindInfo &info : artifactKinds()) {
            const QString name = QStringLiteral("new") + QString::number(int(info.kind));
            checkUndoRedo([&] { return doc().addArtifact(info.kind, name).has_value(); },
                          QStringLiteral("Add %1 %2").arg(info.description, name));
        }

        // Delete: what still refers to it is reported.
        ids = doc().artifactIds();
        QList<ArtifactReference> dangling;
        checkUndoRedo([&] { return doc().deleteArtifact(kOutDispatch, &dangling); },
                      QStringLiteral("Delete sequence outDispatchSeq"));
        QCOMPARE(dangling.size(), 4); // inbound onError, two inbound parameters, proxy fault
        QSet<QString> holders;
        for (const ArtifactReference &reference : dangling)
            holders.insert(reference.from.toString() + QLatin1Char(' ') + reference.attribute);
        QVERIFY(holders.contains(QStringLiteral("inbound endpoint websocket onError")));
        QVERIFY(holders.contains(QStringLiteral("inbound endpoint websocket ")));
        QVERIFY(holders.contains(QStringLiteral("proxy service websocketProxy1 faultSequence")));
        QVERIFY(!doc().contains(kOutDispatch));
        stack().undo();
        QCOMPARE(doc().artifactIds(), ids); // back in its place

        QString error;
        QVERIFY(!doc().addArtifact(ArtifactKind::Sequence, QStringLiteral("dispatchSeq"), &error));
        QVERIFY(error.contains(QLatin1String("already exists")));
        QVERIFY(!doc().addArtifact(ArtifactKind::Sequence, QStringLiteral("a/b"), &error));
        QVERIFY(!doc().duplicateArtifact(kDispatch, QString(), &error));
        QVERIFY(!doc().deleteArtifact({ArtifactKind::Sequence, QStringLiteral("none")}, nullptr,
                                      &error));
    }

    void renameUpdatesReferences()
    {
        QSignalSpy renamed(&doc(), &ProjectDocument::artifactRenamed);
        QSignalSpy changed(&doc(), &ProjectDocument::artifactChanged);
        const ArtifactId reply{ArtifactKind::Sequence, QStringLiteral("replySeq")};
        QCOMPARE(doc().referencesTo(kOutDispatch).size(), 4);
        checkUndoRedo([&] { return doc().renameArtifact(kOutDispatch, reply.name); },
                      QStringLiteral("Rename sequence outDispatchSeq to replySeq"));
        QCOMPARE(renamed.count(), 3); // do, undo, redo
        QVERIFY(changed.count() >= 3 * 3);
        QVERIFY(!doc().contains(kOutDispatch));
        QCOMPARE(doc().artifactFile(reply), kSequences + QStringLiteral("replySeq.xml"));
        QCOMPARE(doc().referencesTo(kOutDispatch).size(), 0);
        QCOMPARE(doc().referencesTo(reply).size(), 4);
        const XmlNode *inbound = doc().artifactXml(kInbound);
        QCOMPARE(inbound->attribute(QStringLiteral("onError")), reply.name);
        QCOMPARE(inbound->attribute(QStringLiteral("sequence")), kDispatch.name);
        QCOMPARE(doc().element(kInbound, {0, 2})->textContent(), reply.name);
        QCOMPARE(doc().element(kInbound, {0, 3})->textContent(), reply.name);
        QCOMPARE(doc().element(kProxy, {0})->attribute(QStringLiteral("faultSequence")),
                 reply.name);

        // Saved: the file moves with the name, the referring files are rewritten.
        Diagnostics diagnostics;
        QVERIFY2(doc().save(&diagnostics), qPrintable(diagnostics.toString()));
        QVERIFY(!QFile::exists(m_project + QLatin1Char('/') + kSequences +
                               QStringLiteral("outDispatchSeq.xml")));
        QVERIFY(QFile::exists(m_project + QLatin1Char('/') + kSequences +
                              QStringLiteral("replySeq.xml")));
        Diagnostics loaded;
        const Project project = loadProject(m_project, loaded);
        QVERIFY2(!loaded.hasErrors(), qPrintable(loaded.toString()));
        QCOMPARE(project.artifacts.inboundEndpoints.front().onError, reply.name);

        // Undone and saved again: the original files, equal after canonicalisation.
        stack().undo();
        QVERIFY(doc().save());
        QVERIFY(QFile::exists(m_project + QLatin1Char('/') + kSequences +
                              QStringLiteral("outDispatchSeq.xml")));
        QVERIFY(!QFile::exists(m_project + QLatin1Char('/') + kSequences +
                               QStringLiteral("replySeq.xml")));
        const QMap<QString, QByteArray> now = snapshot(m_project);
        const QMap<QString, QByteArray> original =
            snapshot(testData() + QStringLiteral("/projects/mi-websocket"));
        QCOMPARE(now.keys(), original.keys());
        for (auto it = original.constBegin(); it != original.constEnd(); ++it) {
            if (!it.key().endsWith(QLatin1String(".xml"))) {
                QCOMPARE(now.value(it.key()), it.value());
                continue;
            }
            Diagnostics d;
            const auto a = parseXml(it.value(), it.key(), d);
            const auto b = parseXml(now.value(it.key()), it.key(), d);
            QVERIFY(a && b);
            QVERIFY2(a->sameAs(*b), qPrintable(it.key()));
        }
    }

    void renameEndpointAndLocalEntry()
    {
        checkUndoRedo([&] { return doc().renameArtifact(kBackend, QStringLiteral("backend")); },
                      QStringLiteral("Rename endpoint wsBackend to backend"));
        QCOMPARE(doc().element(kDispatch, {3, 0})->attribute(QStringLiteral("key")),
                 QStringLiteral("backend"));
        // Setting the root's name from a form is the same rename.
        checkUndoRedo(
            [&] {
                return doc().setAttribute(kBackendUrl, {}, QStringLiteral("key"),
                                          QStringLiteral("url"));
            },
            QStringLiteral("Rename local entry backendUrl to url"));
        QVERIFY(doc().contains({ArtifactKind::LocalEntry, QStringLiteral("url")}));

        QString error;
        QVERIFY(!doc().renameArtifact(kDispatch, kOutDispatch.name, &error));
        QVERIFY(error.contains(QLatin1String("already exists")));
        QVERIFY(!doc().renameArtifact(kDispatch, QStringLiteral("two words"), &error));
        const int count = stack().count();
        QVERIFY(doc().renameArtifact(kDispatch, kDispatch.name)); // same name: nothing to do
        QCOMPARE(stack().count(), count);
    }

    void dirtyFollowsTheUndoStack()
    {
        QSignalSpy dirty(&doc(), &ProjectDocument::dirtyChanged);
        QVERIFY(doc().insertMediator(kDispatch, {}, 0, QStringLiteral("drop")));
        QCOMPARE(dirty.count(), 1);
        QCOMPARE(dirty.last().at(0).toBool(), true);
        QVERIFY(doc().isDirty());
        stack().undo();
        QCOMPARE(dirty.count(), 2);
        QCOMPARE(dirty.last().at(0).toBool(), false);
        QVERIFY(!doc().isDirty());
        stack().redo();
        QVERIFY(doc().save());
        QVERIFY(!doc().isDirty());
        QVERIFY(!doc().isArtifactModified(kDispatch));
        stack().undo();
        QVERIFY(doc().isDirty());
        QVERIFY(doc().isArtifactModified(kDispatch));
    }

    void commandsAreUsableDirectly()
    {
        // The widgets may build commands and group them into a macro.
        stack().beginMacro(QStringLiteral("Add logging"));
        QString error;
        auto insert = InsertMediatorCommand::create(
            &doc(), kDispatch, {}, 0,
            findMediatorDescription(QStringLiteral("log"))->createElement(), &error);
        QVERIFY(insert);
        stack().push(insert.release());
        auto set = SetAttributeCommand::create(&doc(), kDispatch, {0}, QStringLiteral("level"),
                                               QStringLiteral("custom"), &error);
        QVERIFY(set);
        stack().push(set.release());
        stack().endMacro();
        QCOMPARE(stack().undoText(), QStringLiteral("Add logging"));
        QCOMPARE(doc().element(kDispatch, {0})->attribute(QStringLiteral("level")),
                 QStringLiteral("custom"));
        stack().undo();
        QVERIFY(!doc().isDirty());
        QCOMPARE(nameAt(kDispatch, {0}), QStringLiteral("property OUT_ONLY"));
    }
};

QTEST_GUILESS_MAIN(UndoCommandsTest)
#include "tst_undo_commands.moc"
