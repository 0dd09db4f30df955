// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifact_id.h"
#include "artifacts/diagnostics.h"
#include "artifacts/project.h"
#include "artifacts/xml_node.h"
#include "references.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

class QTimer;
class QUndoStack;

namespace sluice::studio {

// What an undo command saves and restores of one artifact: everything the document knows about
// it except what is on disk.
struct ArtifactState {
    int uid = 0; // stable for the artifact's life in the document (survives renames)
    ArtifactId id;
    QString file; // relative to ProjectDocument::projectDirectory()
    // The artifact's root element as parseXml read it (comments, unknown mediators and all);
    // nullopt when the file does not parse: brokenText then holds it, parseDiagnostics why.
    std::optional<XmlNode> tree;
    QByteArray brokenText;
    Diagnostics parseDiagnostics;
    // Comments before the root element of the artifact's own file (parseXml keeps only what is
    // inside the root), written back after the XML declaration.
    QString prolog;
};

// A list of mediators of an artifact, for the design view: inline (path names the element
// whose children are the mediators) or another artifact (reference names the sequence).
struct MediatorListRef {
    QString
        label; // "sequence", "inSequence", "GET /{id} inSequence", "ws.outflow.dispatch.sequence"
    MediatorPath path;
    std::optional<ArtifactId> reference;
};

// Where a problem of validate() lies in the model.
struct ProblemLocation {
    ArtifactId id;
    MediatorPath path; // the innermost element at or before the problem's line and column
};

// The studio's single source of truth: the artifacts of one project as XmlNode trees, their
// files, the undo stack and the problems. Every edit is an undo command (undo_commands.h);
// the design view, the forms and the source view are views of this document and update from
// its signals. Works without any window.
class ProjectDocument : public QObject {
    Q_OBJECT

public:
    explicit ProjectDocument(QObject *parent = nullptr);
    ~ProjectDocument() override;

    // ----- the project on disk

    // Opens a project as `sluice validate` reads it (MI layout, Integration Studio, a
    // synapse.xml / <definitions> file or folder, a .car file read-only). Returns false, and
    // keeps the current project, when nothing could be read; reader problems of single files
    // do not stop opening (a file that does not parse is kept as text, see ArtifactState).
    // *diagnostics receives what loading reported.
    bool open(const QString &path, Diagnostics *diagnostics = nullptr);
    // Creates an empty WSO2 MI project in `directory` (which must not exist or be empty):
    // deployment.toml and src/main/synapse-config/<kind>/ folders, then opens it.
    bool createNew(const QString &directory, Diagnostics *diagnostics = nullptr);
    // Writes every changed artifact with writeArtifact to its file (creating folders), deletes
    // the files of deleted (and moved) artifacts, and leaves unchanged files untouched, byte
    // for byte. Refused for a read-only project (.car). Marks the undo stack clean.
    bool save(Diagnostics *diagnostics = nullptr);
    void close();

    bool isOpen() const { return m_open; }
    QString rootPath() const { return m_rootPath; }          // the directory, .car or .xml opened
    QString projectDirectory() const { return m_directory; } // where file names are relative to
    QString projectName() const;
    ProjectLayout layout() const { return m_layout; }
    bool isReadOnly() const { return m_readOnly; }
    const ProjectConfig &config() const { return m_config; }
    const Diagnostics &loadDiagnostics() const { return m_loadDiagnostics; }

    bool isDirty() const;
    QUndoStack *undoStack() const { return m_undoStack; }

    // ----- artifacts

    QList<ArtifactId> artifactIds() const;                  // in reading order
    QList<ArtifactId> artifactIds(ArtifactKind kind) const; // sorted by name
    QStringList artifactNames(ArtifactKind kind) const;     // for reference choosers
    bool contains(const ArtifactId &id) const;
    const ArtifactState *artifact(const ArtifactId &id) const;
    // The root element, or nullptr (unknown id, or a file that does not parse).
    const XmlNode *artifactXml(const ArtifactId &id) const;
    const XmlNode *element(const ArtifactId &id, const MediatorPath &path) const;
    QString artifactFile(const ArtifactId &id) const;
    // What the source view shows: the file as it is on disk while the artifact is unchanged
    // (formatting and comments as written), else the XML save would write.
    QString artifactSource(const ArtifactId &id) const;
    // Whether save would write this artifact (changed, added, renamed or moved since loaded or
    // last saved).
    bool isArtifactModified(const ArtifactId &id) const;

    // The mediator lists the design view draws for an artifact: a sequence's own mediators;
    // the inSequence / outSequence / faultSequence of a proxy and of each API resource (inline,
    // or the sequence they name); the sequences an inbound endpoint dispatches to (sequence,
    // onError and every sequence parameter such as ws.outflow.dispatch.sequence).
    QList<MediatorListRef> mediatorLists(const ArtifactId &id) const;
    // Whether the element at `path` holds mediators (a sequence, inSequence, then, else, case,
    // default, an inline <sequence>, a <filter> without then/else).
    bool isMediatorContainer(const ArtifactId &id, const MediatorPath &path) const;

    // Every reference between artifacts, and those that name `target`.
    QList<ArtifactReference> references() const;
    QList<ArtifactReference> referencesTo(const ArtifactId &target) const;

    // ----- validation: the same checks as `sluice validate`

    // Reads every artifact of the current state as the loader would (readArtifacts) and runs
    // compileProject; changed artifacts are read from the text save would write, so that line
    // and column match the source view. Stores the result (problems()) and emits
    // problemsChanged.
    Diagnostics validate();
    const Diagnostics &problems() const { return m_problems; }
    std::optional<ProblemLocation> locateProblem(const SourceLocation &location) const;
    // Validate automatically (coalesced, from the event loop) after every change. On by default.
    void setAutoValidate(bool enabled);
    bool autoValidate() const { return m_autoValidate; }

    // ----- edits: each pushes one undo command (undo_commands.h). false and *error (or
    // diagnostics) when the edit is refused; the document is then unchanged.

    // Inserts `mediator` as child element number `index` (0 .. element count) of the element at
    // `parent`: a mediator container (isMediatorContainer), or a mediator for the elements of
    // its own (a <case> into a <switch>, a <property> into a <log>).
    bool insertMediator(const ArtifactId &id, const MediatorPath &parent, int index,
                        const XmlNode &mediator, QString *error = nullptr);
    // Inserts the catalog's template of a built-in mediator ("log", "filter", ...).
    bool insertMediator(const ArtifactId &id, const MediatorPath &parent, int index,
                        const QString &elementName, QString *error = nullptr);
    bool removeMediator(const ArtifactId &id, const MediatorPath &path, QString *error = nullptr);
    // Moves the element at `from` into `toParent` (within one branch or between branches of the
    // artifact). toParent and toIndex are as before the move, as a drop indicator shows them:
    // the mediator lands before the element now at toIndex (at the end for the element count).
    // A move to where the mediator already is pushes nothing and returns true.
    bool moveMediator(const ArtifactId &id, const MediatorPath &from, const MediatorPath &toParent,
                      int toIndex, QString *error = nullptr);
    // Setting the name (key) of an artifact's root renames the artifact (renameArtifact).
    bool setAttribute(const ArtifactId &id, const MediatorPath &path, const QString &name,
                      const QString &value, QString *error = nullptr);
    bool removeAttribute(const ArtifactId &id, const MediatorPath &path, const QString &name,
                         QString *error = nullptr);
    bool setText(const ArtifactId &id, const MediatorPath &path, const QString &text,
                 QString *error = nullptr);
    // Replaces the first child element named `elementName` of the element at `path` (a send's
    // <endpoint>, a payloadFactory's <format>) by `element`: appended when there is none, removed
    // when element is nullopt. One undo step; with `merge`, the next replacement of the same
    // child merges into it.
    bool replaceChildElement(const ArtifactId &id, const MediatorPath &path,
                             const QString &elementName, const std::optional<XmlNode> &element,
                             bool merge = false, QString *error = nullptr);
    // <parameters><parameter name>value</parameter> of an inbound endpoint: set (added when
    // missing) or removed.
    bool setInboundParameter(const ArtifactId &id, const QString &name, const QString &value,
                             QString *error = nullptr);
    bool removeInboundParameter(const ArtifactId &id, const QString &name,
                                QString *error = nullptr);
    // Replaces an artifact by the XML of the source view. Refused (with file:line:col in
    // *diagnostics) when the text does not parse, when its root is another kind of artifact or
    // when its name is taken. Unchanged text is no edit (true, nothing pushed).
    bool replaceArtifactSource(const ArtifactId &id, const QString &xml,
                               Diagnostics *diagnostics = nullptr);

    // A new artifact from a template (an empty sequence, a ws inbound endpoint, ...), or from a
    // given root element; its file is <kind folder>/<name>.xml (or the project's <definitions>
    // file for a Synapse configuration in one file).
    std::optional<ArtifactId> addArtifact(ArtifactKind kind, const QString &name,
                                          QString *error = nullptr);
    std::optional<ArtifactId> addArtifact(const XmlNode &root, QString *error = nullptr);
    std::optional<ArtifactId> duplicateArtifact(const ArtifactId &id, const QString &newName,
                                                QString *error = nullptr);
    // Deletes the artifact; *stillReferring receives the references to it that are left
    // dangling (the caller warns, or asks first with referencesTo()).
    bool deleteArtifact(const ArtifactId &id, QList<ArtifactReference> *stillReferring = nullptr,
                        QString *error = nullptr);
    // Renames the artifact and every reference to it (see references.h); an MI artifact file
    // named after the artifact is renamed with it.
    bool renameArtifact(const ArtifactId &id, const QString &newName, QString *error = nullptr);

    // ----- export and import

    // The project in WSO2 MI layout: deployment.toml (or the axis2.xml it was configured by),
    // the trust store it names, and src/main/synapse-config/<kind>/<name>.xml for every
    // artifact; files of unchanged MI artifacts byte for byte. The directory must not exist or
    // be empty.
    bool exportToFolder(const QString &directory, Diagnostics *diagnostics = nullptr) const;
    // The same files in one zip archive, with sluice-manifest.json (format, version, and each
    // file's path, size, SHA-256 and artifact) at the top.
    bool exportToArchive(const QString &archivePath, Diagnostics *diagnostics = nullptr) const;
    // Unpacks an archive written by exportToArchive into `directory` (must not exist or be
    // empty), after checking its manifest and every file's checksum; then open it.
    static bool importArchive(const QString &archivePath, const QString &directory,
                              Diagnostics &diagnostics);
    bool openArchive(const QString &archivePath, const QString &directory,
                     Diagnostics *diagnostics = nullptr);
    // The files an export writes (path -> bytes), manifest not included.
    QMap<QString, QByteArray> exportFiles(Diagnostics *diagnostics = nullptr) const;

    // ----- used by the undo commands

    std::optional<ArtifactState> artifactState(const ArtifactId &id) const;
    std::optional<ArtifactState> artifactStateByUid(int uid) const;
    int artifactPosition(int uid) const; // index in reading order, -1 if absent
    // Puts `state` in place of the artifact `uid` (adds it at `position` when absent; removes
    // the artifact when state is nullopt) and emits the matching signals.
    void restoreArtifact(int uid, const std::optional<ArtifactState> &state, int position);
    int newUid() { return m_nextUid++; }
    // The file a new (or renamed) artifact goes to; `uid` is the artifact itself (its current
    // file does not count as taken).
    QString fileForArtifact(const ArtifactId &id, int uid = 0) const;
    // The file of an artifact renamed to `newName`: an MI file named after the artifact is
    // renamed with it (a.xml -> b.xml); other files keep their name.
    QString renamedFile(const ArtifactState &state, const QString &newName) const;
    // Whether another artifact than `uid` uses the file, or it exists on disk and the document
    // does not own it.
    bool isFileTaken(const QString &file, int uid) const;
    // Whether the file holds several artifacts (a <definitions> file).
    bool isDefinitionsFile(const QString &file) const { return m_definitions.contains(file); }
    // Checks a new name for an artifact of `kind`; the reason when it cannot be used.
    std::optional<QString> checkNewName(ArtifactKind kind, const QString &name,
                                        int ignoreUid = 0) const;
    // Removes namespace declarations that the artifact's file already makes (a <definitions>
    // root declares the Synapse namespace for every artifact in it).
    void fitToFile(XmlNode &root, const QString &file) const;

signals:
    void projectOpened(); // after open() and createNew(): everything changed
    void projectClosed();
    void artifactAdded(const sluice::studio::ArtifactId &id);
    void artifactRemoved(const sluice::studio::ArtifactId &id);
    void artifactChanged(const sluice::studio::ArtifactId &id);
    void artifactRenamed(const sluice::studio::ArtifactId &oldId,
                         const sluice::studio::ArtifactId &newId);
    void dirtyChanged(bool dirty);
    void problemsChanged();
    void saved();

private:
    struct DefinitionsItem {
        int uid = 0;  // an artifact of the document, or 0: `node` kept as it is
        XmlNode node; // for uid 0 (comments, text, elements that are not artifacts)
    };
    struct DefinitionsFile {
        XmlNode root; // the <definitions> element without children
        std::vector<DefinitionsItem> items;
        QString prolog; // comments before <definitions>
    };
    struct SavedArtifact {
        QString file;
        QByteArray canonical;
    };

    void reset();
    ArtifactState *findEntry(const ArtifactId &id);
    const ArtifactState *findEntry(const ArtifactId &id) const;
    const ArtifactState *findEntryByUid(int uid) const;
    ArtifactId uniqueId(ArtifactId id, int ignoreUid) const;
    void addFile(const QString &file, const QByteArray &bytes);
    // The <definitions> element of a file with the current artifacts in place; uids receives
    // the uid of each artifact element in order.
    XmlNode assembleDefinitions(const QString &file, QList<int> *uids = nullptr) const;
    std::vector<DefinitionsItem> arrangedItems(const QString &file) const;
    QByteArray fileContent(const QString &file) const;
    QStringList currentFiles() const;
    bool isFileModified(const QString &file) const;
    QByteArray artifactCanonical(const ArtifactState &state) const;
    void markSaved();
    void scheduleValidation();
    QString exportPath(const ArtifactState &state, const QSet<QString> &taken) const;

    bool m_open = false;
    bool m_readOnly = false;
    QString m_rootPath;
    QString m_directory;
    ProjectLayout m_layout = ProjectLayout::MicroIntegrator;
    ProjectConfig m_config;
    Diagnostics m_loadDiagnostics;
    Diagnostics m_projectDiagnostics; // loader messages about other files than artifacts
    std::vector<ArtifactState> m_entries;
    QHash<QString, DefinitionsFile> m_definitions;
    QHash<QString, QByteArray> m_savedBytes;     // file -> bytes on disk (loaded or saved)
    QHash<QString, QByteArray> m_savedCanonical; // file -> its canonical form then
    QHash<int, SavedArtifact> m_savedArtifacts;  // uid -> file and canonical form then
    QString m_newArtifactFolder;                 // "<config dir>" new artifacts go to ("" = none)
    QString m_newArtifactDefinitions;            // or the <definitions> file they are appended to
    QUndoStack *m_undoStack = nullptr;
    Diagnostics m_problems;
    QHash<int, XmlNode> m_validatedTrees; // uid -> tree with the locations problems refer to
    QTimer *m_validationTimer = nullptr;
    bool m_autoValidate = true;
    int m_nextUid = 1;
};

} // namespace sluice::studio
