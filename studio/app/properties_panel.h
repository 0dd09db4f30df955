// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/parameter_spec.h"
#include "artifacts/xml_node.h"
#include "field_editors.h"
#include "model/artifact_id.h"

#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>
#include <optional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QScrollArea;
class QTableWidget;
class QVBoxLayout;

namespace sluice::studio {

class ProjectDocument;

// The form of the selected mediator or artifact, built from the one description the catalog
// holds for it (mediator_catalog.h):
//   - a mediator: its MediatorDescription's attributes; a part or branch element (a log's
//     <property>, a switch's <case>) selected by itself: the part's or branch's attributes;
//   - an artifact (empty path): artifactAttributeSpecs(kind), plus the <target> attributes of a
//     proxy and every <parameter> of an inbound endpoint's protocol
//     (inboundEndpointParameterSpecs).
// Every change the user makes is checked at once (checkFieldValue); a valid value is pushed as
// the document's edit command (typing merges into one undo step), an invalid one stays in the
// field with its reason and is not pushed. Clearing a field (or choosing "(unset)") removes the
// attribute. The form follows the document (undo, redo, the source view) through
// artifactChanged, keeping focus and cursor.
// The common parts held in child elements are edited here too, each change one undo step:
//   - send / call <endpoint>: none, a reference (<endpoint key>) or an inline address
//     (<endpoint><address uri>, a ws, wss, http or https URI);
//   - log <property name value|expression> children: a table with Add and Remove;
//   - payloadFactory <format> (for media-type xml its inner XML, which must parse) and <args>:
//     a table of the args' value, expression and evaluator with Add and Remove.
// An invalid value is marked with its reason and not pushed. Other parts (an inline endpoint
// other than an address, a <format key>, ...) and inline XML values are shown read-only, to be
// edited in the source view (or by selecting the part element itself, for parts with
// attributes).
class PropertiesPanel : public QWidget {
    Q_OBJECT

public:
    explicit PropertiesPanel(ProjectDocument *document, QWidget *parent = nullptr);
    ~PropertiesPanel() override;

    ArtifactId artifact() const { return m_artifact; }
    MediatorPath path() const { return m_path; }
    // The form's title ("Property", "Inbound endpoint websocket"); empty when nothing is shown.
    QString title() const;

    // The field of an attribute (or inbound parameter) by name; nullptr when the form has none.
    FieldEditor *field(const QString &name) const;
    QList<FieldEditor *> fields() const;
    // What the form says about the element as a whole (checkMediator), one line per problem.
    QString problemsText() const;
    // The read-only parts shown, as "<element name>" per part (e.g. "endpoint").
    QStringList readOnlyParts() const;
    // The parts edited by the form's own editors, as "<element name>" per part ("endpoint",
    // "property", "format", "args").
    QStringList editableParts() const { return m_editableParts; }

public slots:
    // An empty path selects the artifact's own settings.
    void setSelection(const sluice::studio::ArtifactId &artifact,
                      const sluice::studio::MediatorPath &path);
    void clearSelection();

private:
    enum class Target { Attribute, InboundParameter };
    struct Field {
        QPointer<FieldEditor> editor;
        Target target = Target::Attribute;
        MediatorPath path;                    // the element holding the attribute
        std::optional<QString> documentValue; // as last read from the document
        QStringList exclusiveWith;            // attributes cleared when this one is set
    };
    void rebuild();
    void disconnectFields();
    void refresh();
    QString formKey() const;
    void buildForm(QWidget *container);
    void addFields(QFormLayout *layout, const QList<ParameterSpec> &specs,
                   const QList<QStringList> &exclusive, Target target, const MediatorPath &path);
    std::optional<QString> readValue(const Field &field) const;
    void edited(int index);
    void validate(Field &field);
    void updateReferenceNames();
    void updateProblems();

    // Editable parts (send/call endpoint, log properties, payloadFactory format and args).
    QStringList editablePartsOf(const XmlNode &element) const;
    void buildEndpointPart(QVBoxLayout *layout, QWidget *owner);
    void buildLogProperties(QVBoxLayout *layout, QWidget *owner);
    // An Add / Remove button row under a part table, disabled for read-only projects.
    void addRowButtons(QWidget *box, QVBoxLayout *boxLayout, const QString &name,
                       void (PropertiesPanel::*onAdd)(), void (PropertiesPanel::*onRemove)());
    void buildPayloadParts(QVBoxLayout *layout, QWidget *owner);
    void updateParts(bool force = false);
    void endpointEdited(bool modeChanged);
    void logPropertyEdited(int row, int column);
    void addLogProperty();
    void removeLogProperty();
    void formatEdited();
    void argEdited(int row, int column);
    void addArg();
    void removeArg();
    bool replaceArgs(const std::optional<XmlNode> &args);

    ProjectDocument *m_document = nullptr;
    ArtifactId m_artifact;
    MediatorPath m_path;
    bool m_selected = false;
    bool m_checkMediator = false; // the element is a mediator: show checkMediator's problems
    QString m_formKey;
    QString m_title;
    QList<Field> m_fields;
    QStringList m_readOnlyParts;
    QStringList m_editableParts;
    bool m_partEdit = false; // a part editor is pushing its own change
    QPointer<QFormLayout> m_endpointForm;
    std::optional<QString> m_endpointDocument; // the <endpoint> as last read from the document
    QPointer<QComboBox> m_endpointMode;
    QPointer<QComboBox> m_endpointKey;
    QPointer<QLineEdit> m_endpointUri;
    QPointer<QLabel> m_endpointProblem;
    QPointer<QTableWidget> m_logProperties;
    QPointer<QLabel> m_logProblem;
    QPointer<QPlainTextEdit> m_format;
    QPointer<QLabel> m_formatProblem;
    std::optional<QString> m_formatDocument; // the format text as last read from the document
    QPointer<QTableWidget> m_args;
    QPointer<QLabel> m_argsProblem;
    QScrollArea *m_scroll = nullptr;
    QPointer<QWidget> m_container;
    QPointer<QLabel> m_problems;
};

} // namespace sluice::studio
