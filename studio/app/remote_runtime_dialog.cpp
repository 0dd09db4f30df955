// SPDX-License-Identifier: Apache-2.0
#include "remote_runtime_dialog.h"

#include "runtime/management_token.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

namespace sluice::studio {

namespace {
const QString kUrlKey = QStringLiteral("remoteRuntime/url");

// The token of a runtime on this machine is in the user's own token file: offer it, so the
// common case needs no copying. The token itself is never written to the studio's settings
// (they are not kept private the way the token file is).
QString localToken()
{
    QByteArray token;
    QString error;
    if (!ManagementToken::load(ManagementToken::defaultFile(), token, error))
        return QString();
    return QString::fromLatin1(token);
}
} // namespace

RemoteRuntimeDialog::RemoteRuntimeDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Deploy to a remote runtime"));
    const QSettings settings;
    m_url = new QLineEdit(
        settings.value(kUrlKey, QStringLiteral("http://127.0.0.1:9164")).toString(), this);
    m_token = new QLineEdit(localToken(), this);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("contents of the runtime's management-token file"));

    auto *help = new QLabel(tr("The runtime's management API, as `sluice run` prints it: "
                               "\"management API listening on http://HOST:PORT (token in "
                               "FILE)\"."),
                            this);
    help->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Deploy"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto validate = [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)
            ->setEnabled(url().isValid() && !url().host().isEmpty() && !token().isEmpty());
    };
    connect(m_url, &QLineEdit::textChanged, this, validate);
    connect(m_token, &QLineEdit::textChanged, this, validate);
    validate();

    auto *form = new QFormLayout(this);
    form->addRow(help);
    form->addRow(tr("Management URL:"), m_url);
    form->addRow(tr("Token:"), m_token);
    form->addRow(buttons);
    resize(480, sizeHint().height());
}

RemoteRuntimeDialog::~RemoteRuntimeDialog() = default;

QUrl RemoteRuntimeDialog::url() const
{
    return QUrl::fromUserInput(m_url->text().trimmed());
}

QString RemoteRuntimeDialog::token() const
{
    return m_token->text().trimmed();
}

void RemoteRuntimeDialog::remember() const
{
    QSettings settings;
    settings.setValue(kUrlKey, m_url->text().trimmed());
}

} // namespace sluice::studio
