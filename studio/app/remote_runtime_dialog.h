// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>
#include <QUrl>

class QLineEdit;

namespace sluice::studio {

// Asks for a remote runtime's management API URL and token (printed by `sluice run` and kept
// in its token file). The URL is remembered in QSettings; the token is not (it is offered from
// the local token file when there is one).
class RemoteRuntimeDialog : public QDialog {
    Q_OBJECT
public:
    explicit RemoteRuntimeDialog(QWidget *parent = nullptr);
    ~RemoteRuntimeDialog() override;

    QUrl url() const;
    QString token() const;
    // Saves the URL to QSettings.
    void remember() const;

private:
    QLineEdit *m_url = nullptr;
    QLineEdit *m_token = nullptr;
};

} // namespace sluice::studio
