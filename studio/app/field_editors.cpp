// SPDX-License-Identifier: Apache-2.0
#include "field_editors.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

using Kind = ParameterSpec::Kind;

bool isReference(Kind kind)
{
    return kind == Kind::SequenceReference || kind == Kind::EndpointReference;
}

bool usesChoiceCombo(Kind kind)
{
    return kind == Kind::Choice || kind == Kind::Boolean;
}

QString unsetLabel(const ParameterSpec &spec)
{
    if (spec.defaultValue.isEmpty())
        return FieldEditor::tr("(unset)");
    return FieldEditor::tr("(unset: %1)").arg(spec.defaultValue);
}

const QString kInvalidStyle = QStringLiteral("border: 1px solid #d32f2f;");
const QString kWarningStyle = QStringLiteral("border: 1px solid #ef6c00;");

} // namespace

QString choiceLabel(const ParameterSpec::Choice &choice)
{
    if (choice.meaning.isEmpty())
        return choice.value;
    return QStringLiteral("%1 \u2014 %2").arg(choice.value, choice.meaning);
}

FieldEditor::FieldEditor(const ParameterSpec &spec, QWidget *parent)
    : QWidget(parent)
    , m_spec(spec)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    if (usesChoiceCombo(spec.kind)) {
        m_combo = new QComboBox(this);
        setupChoices();
        connect(m_combo, &QComboBox::activated, this, [this] { emit edited(); });
        layout->addWidget(m_combo);
    } else if (isReference(spec.kind)) {
        m_combo = new QComboBox(this);
        m_combo->setEditable(true);
        m_combo->setInsertPolicy(QComboBox::NoInsert);
        m_lineEdit = m_combo->lineEdit();
        m_lineEdit->setPlaceholderText(spec.defaultValue);
        connect(m_lineEdit, &QLineEdit::textEdited, this, [this] { emit edited(); });
        connect(m_combo, &QComboBox::activated, this, [this] { emit edited(); });
        layout->addWidget(m_combo);
    } else {
        m_lineEdit = new QLineEdit(this);
        m_lineEdit->setPlaceholderText(spec.defaultValue);
        if (spec.kind == Kind::Secret)
            m_lineEdit->setEchoMode(QLineEdit::Password);
        connect(m_lineEdit, &QLineEdit::textEdited, this, [this] { emit edited(); });
        layout->addWidget(m_lineEdit);
    }
    if (m_combo) {
        // Long meanings must not widen the panel: the combo box shrinks, the list shows them.
        m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        m_combo->setMinimumContentsLength(12);
    }
    input()->setObjectName(spec.name);
    input()->setToolTip(spec.help);
    input()->setAccessibleName(spec.name);
    input()->setAccessibleDescription(spec.help);

    m_helpLabel = new QLabel(spec.help, this);
    m_helpLabel->setWordWrap(true);
    m_helpLabel->setForegroundRole(QPalette::PlaceholderText);
    QFont small = m_helpLabel->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_helpLabel->setFont(small);
    m_helpLabel->setVisible(!spec.help.isEmpty());
    layout->addWidget(m_helpLabel);

    m_problemLabel = new QLabel(this);
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_problemLabel->setVisible(false);
    layout->addWidget(m_problemLabel);
}

void FieldEditor::setupChoices()
{
    m_combo->addItem(unsetLabel(m_spec), QVariant());
    if (m_spec.kind == Kind::Boolean) {
        m_combo->addItem(QStringLiteral("true"), QStringLiteral("true"));
        m_combo->addItem(QStringLiteral("false"), QStringLiteral("false"));
        return;
    }
    for (const ParameterSpec::Choice &choice : m_spec.choices) {
        m_combo->addItem(choiceLabel(choice), choice.value);
        m_combo->setItemData(m_combo->count() - 1, choice.meaning, Qt::ToolTipRole);
    }
}

int FieldEditor::indexOfData(const QString &value) const
{
    for (int i = 1; i < m_combo->count(); ++i) {
        if (m_combo->itemData(i).toString() == value)
            return i;
    }
    return -1;
}

QWidget *FieldEditor::input() const
{
    if (m_combo)
        return m_combo;
    return m_lineEdit;
}

QLineEdit *FieldEditor::lineEdit() const
{
    return m_lineEdit;
}

QComboBox *FieldEditor::comboBox() const
{
    return m_combo;
}

void FieldEditor::setValue(const std::optional<QString> &value)
{
    if (value == this->value())
        return;
    if (m_lineEdit) {
        const QSignalBlocker blocker(m_lineEdit);
        const QSignalBlocker comboBlocker(m_combo);
        const int cursor = m_lineEdit->cursorPosition();
        const QString text = value.value_or(QString());
        m_lineEdit->setText(text);
        m_lineEdit->setCursorPosition(qMin(cursor, int(text.size())));
        return;
    }
    const QSignalBlocker blocker(m_combo);
    if (!value) {
        m_combo->setCurrentIndex(0);
        return;
    }
    int index = indexOfData(*value);
    if (index < 0) {
        // A value the description does not list (a typo, a newer runtime's value): shown as it
        // is, so that it is kept until the user picks another.
        m_combo->addItem(tr("%1 (not a listed value)").arg(*value), *value);
        index = m_combo->count() - 1;
    }
    m_combo->setCurrentIndex(index);
}

std::optional<QString> FieldEditor::value() const
{
    if (m_lineEdit) {
        const QString text = m_lineEdit->text();
        if (text.isEmpty())
            return std::nullopt;
        return text;
    }
    const QVariant current = m_combo->currentData();
    if (!current.isValid())
        return std::nullopt;
    return current.toString();
}

void FieldEditor::setReferenceNames(const QStringList &names)
{
    if (!m_combo || !m_combo->isEditable())
        return;
    const QSignalBlocker blocker(m_combo);
    const QSignalBlocker lineBlocker(m_lineEdit);
    const QString text = m_lineEdit->text();
    const int cursor = m_lineEdit->cursorPosition();
    m_combo->clear();
    m_combo->addItems(names);
    m_lineEdit->setText(text);
    m_lineEdit->setCursorPosition(cursor);
}

void FieldEditor::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    if (m_lineEdit)
        m_lineEdit->setReadOnly(readOnly);
    if (m_combo)
        m_combo->setEnabled(!readOnly);
}

void FieldEditor::setProblem(const QString &reason, bool warning)
{
    warning = warning && !reason.isEmpty();
    if (reason == m_problem && warning == m_warning)
        return;
    m_problem = reason;
    m_warning = warning;
    m_problemLabel->setText(reason);
    m_problemLabel->setVisible(!reason.isEmpty());
    m_problemLabel->setStyleSheet(warning ? QStringLiteral("color: #ef6c00;")
                                          : QStringLiteral("color: #d32f2f;"));
    if (reason.isEmpty())
        input()->setStyleSheet(QString());
    else
        input()->setStyleSheet(warning ? kWarningStyle : kInvalidStyle);
    input()->setProperty("invalid", !reason.isEmpty() && !warning);
}

} // namespace sluice::studio
