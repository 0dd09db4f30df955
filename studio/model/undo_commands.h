// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifact_id.h"
#include "project_document.h"

#include <QList>
#include <QString>
#include <QUndoCommand>
#include <memory>
#include <optional>

namespace sluice::studio {

// The undo commands of the studio. Each one records the whole state of every artifact it
// touches before and after the edit (ArtifactState), so that undo gives back exactly the XML
// there was, comments and formatting text included, and redo exactly the edited one.
//
// Commands are made by their create() functions, which check the edit against the document's
// current state and return nullptr (with the reason) when it is refused; pushing a command on
// ProjectDocument::undoStack() applies it. ProjectDocument's edit functions do both.

class ArtifactCommand : public QUndoCommand {
public:
    // Ids of commands that merge with the next one of the same kind on the same target
    // (typing in a form field is one undo step).
    enum MergeId {
        SetAttributeId = 1001,
        SetTextId = 1002,
        SetParameterId = 1003,
        ReplaceChildId = 1004
    };

    struct Change {
        int uid = 0;
        std::optional<ArtifactState> before;
        std::optional<ArtifactState> after;
        int position = -1; // where the artifact goes back when it is re-added
    };

    void undo() override;
    void redo() override;
    int id() const override { return m_mergeId; }
    bool mergeWith(const QUndoCommand *other) override;

    ProjectDocument *document() const { return m_document; }
    const QList<Change> &changes() const { return m_changes; }

protected:
    ArtifactCommand(ProjectDocument *document, const QString &text);
    void addChange(Change change) { m_changes.append(std::move(change)); }
    // One artifact edited in place.
    void addEdit(const ArtifactState &before, const ArtifactState &after);
    void setMergeKey(int mergeId, const QString &key);

private:
    ProjectDocument *m_document;
    QList<Change> m_changes;
    int m_mergeId = -1;
    QString m_mergeKey;
};

// Inserts a mediator as child element number `index` of the element at `parent` (a mediator
// container, or a mediator for a branch or part element such as <case>). "Insert log mediator",
// "Insert case".
class InsertMediatorCommand : public ArtifactCommand {
public:
    static std::unique_ptr<InsertMediatorCommand>
    create(ProjectDocument *document, const ArtifactId &id, const MediatorPath &parent, int index,
           const XmlNode &mediator, QString *error = nullptr);

private:
    using ArtifactCommand::ArtifactCommand;
};

// "Remove property OUT_ONLY mediator".
class RemoveMediatorCommand : public ArtifactCommand {
public:
    static std::unique_ptr<RemoveMediatorCommand> create(ProjectDocument *document,
                                                         const ArtifactId &id,
                                                         const MediatorPath &path,
                                                         QString *error = nullptr);

private:
    using ArtifactCommand::ArtifactCommand;
};

// Moves a mediator within its branch or into another one of the same artifact; toParent and
// toIndex as before the move (toIndex counts the moved mediator when it stays in its parent,
// i.e. the mediator ends before the element now at toIndex). "Move send mediator".
class MoveMediatorCommand : public ArtifactCommand {
public:
    static std::unique_ptr<MoveMediatorCommand>
    create(ProjectDocument *document, const ArtifactId &id, const MediatorPath &from,
           const MediatorPath &toParent, int toIndex, QString *error = nullptr);

private:
    using ArtifactCommand::ArtifactCommand;
};

// "Set property OUT_ONLY value"; merges with the next one on the same attribute.
class SetAttributeCommand : public ArtifactCommand {
public:
    static std::unique_ptr<SetAttributeCommand>
    create(ProjectDocument *document, const ArtifactId &id, const MediatorPath &path,
           const QString &name, const QString &value, QString *error = nullptr);

private:
    using ArtifactCommand::ArtifactCommand;
};

// "Remove property OUT_ONLY scope".
class RemoveAttributeCommand : public ArtifactCommand {
public:
    static std::unique_ptr<RemoveAttributeCommand>
    create(ProjectDocument *document, const ArtifactId &id, const MediatorPath &path,
           const QString &name, QString *error = nullptr);

private:
    using ArtifactCommand::ArtifactCommand;
};

// The text of an element (a local entry's value, a <format>, a <parameter>); merges like
// SetAttributeCommand. "Edit format text".
class SetTextCommand : public ArtifactCommand {
public:
    static std::unique_ptr<SetTextCommand> create(ProjectDocument *document, const ArtifactId &id,
                                                  const MediatorPath &path, const QString &text,
                                                  QString *error = nullptr);

private:
    using ArtifactCommand::ArtifactCommand;
};

// Replaces the first child element named `elementName` of the element at `path` by `element`
// (appended when there is none; removed when element is nullopt), as one step that restores the
// previous XML on undo: a send's <endpoint>, a payloadFactory's <format> or <args>. "Edit send
// endpoint", "Remove send endpoint". With `merge`, the next replacement of the same child merges
// into this step (typing in a field).
class ReplaceChildElementCommand : public ArtifactCommand {
public:
    static std::unique_ptr<ReplaceChildElementCommand>
    create(ProjectDocument *document, const ArtifactId &id, const MediatorPath &path,
           const QString &elementName, const std::optional<XmlNode> &element, bool merge = false,
           QString *error = nullptr);

private:
    using ArtifactCommand::ArtifactCommand;
};

// Sets (adding it when missing) or removes (value nullopt) a <parameter> of an inbound
// endpoint. "Set websocket ws.client.side.broadcast.level", "Remove websocket
// ws.use.port.offset"; setting merges with the next one on the same parameter.
class SetInboundParameterCommand : public ArtifactCommand {
public:
    static std::unique_ptr<SetInboundParameterCommand>
    create(ProjectDocument *document, const ArtifactId &id, const QString &name,
           const std::optional<QString> &value, QString *error = nullptr);

private:
    using ArtifactCommand::ArtifactCommand;
};

// Replaces an artifact by the XML of the source view. "Edit dispatchSeq source". Refused with
// file:line:col when the text does not parse. A changed name renames the artifact without
// touching references (the source view shows what the user wrote).
class ReplaceSourceCommand : public ArtifactCommand {
public:
    // nullptr with an empty *diagnostics when the text equals the current XML (nothing to do).
    static std::unique_ptr<ReplaceSourceCommand> create(ProjectDocument *document,
                                                        const ArtifactId &id, const QString &xml,
                                                        Diagnostics *diagnostics);

private:
    using ArtifactCommand::ArtifactCommand;
};

// "Add sequence orders".
class AddArtifactCommand : public ArtifactCommand {
public:
    static std::unique_ptr<AddArtifactCommand>
    create(ProjectDocument *document, const XmlNode &root, QString *error = nullptr);
    ArtifactId addedId() const { return m_added; }

private:
    using ArtifactCommand::ArtifactCommand;
    ArtifactId m_added;
};

// "Duplicate sequence a as b": a copy next to the original, under a new name and file.
class DuplicateArtifactCommand : public ArtifactCommand {
public:
    static std::unique_ptr<DuplicateArtifactCommand> create(ProjectDocument *document,
                                                            const ArtifactId &id,
                                                            const QString &newName,
                                                            QString *error = nullptr);
    ArtifactId addedId() const { return m_added; }

private:
    using ArtifactCommand::ArtifactCommand;
    ArtifactId m_added;
};

// "Delete sequence a". danglingReferences() lists what still refers to it.
class DeleteArtifactCommand : public ArtifactCommand {
public:
    static std::unique_ptr<DeleteArtifactCommand>
    create(ProjectDocument *document, const ArtifactId &id, QString *error = nullptr);
    const QList<ArtifactReference> &danglingReferences() const { return m_dangling; }

private:
    using ArtifactCommand::ArtifactCommand;
    QList<ArtifactReference> m_dangling;
};

// "Rename sequence a to b": the artifact's name, its MI file (a.xml -> b.xml when it was
// named after it) and every reference to it in every artifact, as one step.
class RenameArtifactCommand : public ArtifactCommand {
public:
    static std::unique_ptr<RenameArtifactCommand> create(ProjectDocument *document,
                                                         const ArtifactId &id,
                                                         const QString &newName,
                                                         QString *error = nullptr);
    ArtifactId newId() const { return m_newId; }
    int updatedReferences() const { return m_updated; }

private:
    using ArtifactCommand::ArtifactCommand;
    ArtifactId m_newId;
    int m_updated = 0;
};

} // namespace sluice::studio
