// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runtime/runtime_status.h"

#include <QWidget>
#include <functional>

class QLabel;
class QPushButton;
class QTableView;
class QTimer;

namespace sluice::studio {

class ConnectionsModel;

// The connections dock: every open client and backend connection of the running runtime with
// its path, subprotocol, age (ticking every second) and frame counts. "Close…" (button or
// context menu) asks for a close code and reason and emits closeRequested; the owner passes it
// on to the runtime, embedded or remote. Double-click copies the connection id.
class ConnectionsView : public QWidget {
    Q_OBJECT
public:
    // What the user chose in the close dialog; false when they cancelled.
    using CloseDialog = std::function<bool(const QString &id, int *code, QString *reason)>;

    explicit ConnectionsView(QWidget *parent = nullptr);
    ~ConnectionsView() override;

    void setConnections(const QList<sluice::ConnectionInfo> &connections);

    ConnectionsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // The id of the selected row, empty when none.
    QString selectedId() const;
    // Replaces the dialog (tests answer without a window).
    void setCloseDialog(CloseDialog dialog);

public slots:
    // Asks for code and reason for the selected connection and emits closeRequested.
    void closeSelected();

signals:
    void closeRequested(const QString &id, int code, const QString &reason);

private:
    void copyId(const QModelIndex &index);
    void updateActions();
    bool askCloseDetails(const QString &id, int *code, QString *reason);

    ConnectionsModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_closeButton = nullptr;
    QLabel *m_summary = nullptr;
    QTimer *m_ageTimer = nullptr;
    CloseDialog m_closeDialog;
};

} // namespace sluice::studio
