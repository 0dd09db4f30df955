// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/parameter_spec.h"

#include <QString>
#include <QStringList>
#include <QWidget>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;

namespace sluice::studio {

// One field of a properties form, built from a ParameterSpec:
//   Choice            -> QComboBox: "(unset)" and each value with its meaning
//   Boolean           -> QComboBox: "(unset)", true, false
//   SequenceReference,
//   EndpointReference -> editable QComboBox filled with the project's names (setReferenceNames)
//   Secret            -> password QLineEdit
//   anything else     -> QLineEdit (Integer, Text, FilePath, Expression, Regex)
// The help is the tooltip and a grey line under the input; the default is the placeholder (or
// the "(unset)" item). A problem is shown as a red frame and the reason under the input.
// value() is nullopt for "unset" (an empty text, the "(unset)" item): the attribute is removed.
class FieldEditor : public QWidget {
    Q_OBJECT

public:
    explicit FieldEditor(const ParameterSpec &spec, QWidget *parent = nullptr);

    const ParameterSpec &spec() const { return m_spec; }
    QString name() const { return m_spec.name; }

    // Sets what the field shows without emitting edited(). An unchanged text keeps the cursor;
    // a changed one keeps the cursor position where it still fits.
    void setValue(const std::optional<QString> &value);
    std::optional<QString> value() const;
    // For reference fields: the names offered (the current text stays).
    void setReferenceNames(const QStringList &names);
    void setReadOnly(bool readOnly);

    // Empty reason: the value is fine. A warning (a reference to a sequence the project does not
    // have) is shown in orange; the value is still used.
    void setProblem(const QString &reason, bool warning = false);
    QString problem() const { return m_problem; }
    bool hasProblem() const { return !m_problem.isEmpty(); }
    bool isWarning() const { return m_warning; }

    // The widget the user edits (QLineEdit or QComboBox), for focus and tests.
    QWidget *input() const;
    QLineEdit *lineEdit() const; // the line edit of a text field or editable combo, else nullptr
    QComboBox *comboBox() const; // nullptr for a plain line edit
    QLabel *problemLabel() const { return m_problemLabel; }
    QLabel *helpLabel() const { return m_helpLabel; }

signals:
    // The user changed the value (typing, choosing an item).
    void edited();

private:
    void setupChoices();
    int indexOfData(const QString &value) const;

    ParameterSpec m_spec;
    QLineEdit *m_lineEdit = nullptr;
    QComboBox *m_combo = nullptr;
    QLabel *m_helpLabel = nullptr;
    QLabel *m_problemLabel = nullptr;
    QString m_problem;
    bool m_warning = false;
    bool m_readOnly = false;
};

// "0 — only the client the message belongs to".
QString choiceLabel(const ParameterSpec::Choice &choice);

} // namespace sluice::studio
