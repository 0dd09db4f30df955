// SPDX-License-Identifier: Apache-2.0
#include "connections_view.h"

#include "model/connections_model.h"

#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace sluice::studio {

ConnectionsView::ConnectionsView(QWidget *parent)
    : QWidget(parent)
    , m_model(new ConnectionsModel(this))
{
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setFrameShape(QFrame::NoFrame);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(ConnectionsModel::Path, QHeaderView::Stretch);
    header->resizeSection(ConnectionsModel::Id, 150);
    header->resizeSection(ConnectionsModel::Peer, 70);
    header->resizeSection(ConnectionsModel::Artifact, 120);
    header->resizeSection(ConnectionsModel::Subprotocol, 100);
    header->resizeSection(ConnectionsModel::RemoteAddress, 130);
    header->resizeSection(ConnectionsModel::Age, 70);
    header->resizeSection(ConnectionsModel::FramesIn, 80);
    header->resizeSection(ConnectionsModel::FramesOut, 80);
    m_table->setToolTip(tr("Double-click copies the connection id"));

    m_summary = new QLabel(this);
    m_closeButton = new QPushButton(tr("Close…"), this);
    m_closeButton->setToolTip(tr("Close the selected connection with a code and a reason"));
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 4);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_closeButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    // The age column is the only thing that changes without a report from the runtime.
    m_ageTimer = new QTimer(this);
    m_ageTimer->setInterval(1000);
    connect(m_ageTimer, &QTimer::timeout, m_model, &ConnectionsModel::refreshAges);
    m_ageTimer->start();

    connect(m_closeButton, &QPushButton::clicked, this, &ConnectionsView::closeSelected);
    connect(m_table, &QTableView::doubleClicked, this, &ConnectionsView::copyId);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_table->indexAt(pos);
        if (!index.isValid())
            return;
        m_table->selectRow(index.row());
        QMenu menu(this);
        menu.addAction(tr("Close…"), this, &ConnectionsView::closeSelected);
        menu.addAction(tr("Copy id"), this, [this, index] { copyId(index); });
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ConnectionsView::updateActions);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ConnectionsView::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ConnectionsView::updateActions);
    updateActions();
}

ConnectionsView::~ConnectionsView() = default;

void ConnectionsView::setConnections(const QList<ConnectionInfo> &connections)
{
    const QString selected = selectedId();
    m_model->setConnections(connections);
    // When the selected connection is gone the view would select its neighbour, and a "Close…"
    // meant for the old one would close another: select nothing instead.
    if (!selected.isEmpty() && m_model->rowOf(selected) < 0) {
        m_table->selectionModel()->clear();
        updateActions();
    }
}

QString ConnectionsView::selectedId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ConnectionsModel::IdRole).toString();
}

void ConnectionsView::setCloseDialog(CloseDialog dialog)
{
    m_closeDialog = std::move(dialog);
}

void ConnectionsView::closeSelected()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    int code = 1000;
    QString reason;
    const bool accepted =
        m_closeDialog ? m_closeDialog(id, &code, &reason) : askCloseDetails(id, &code, &reason);
    if (accepted)
        emit closeRequested(id, code, reason);
}

void ConnectionsView::copyId(const QModelIndex &index)
{
    const QString id = index.data(ConnectionsModel::IdRole).toString();
    if (!id.isEmpty())
        QApplication::clipboard()->setText(id);
}

void ConnectionsView::updateActions()
{
    m_closeButton->setEnabled(!selectedId().isEmpty());
    int clients = 0;
    for (const ConnectionInfo &connection : m_model->connections())
        clients += connection.peer == EventPeer::Backend ? 0 : 1;
    const int backends = int(m_model->connections().size()) - clients;
    m_summary->setText(
        (clients == 1 ? tr("1 client") : tr("%1 clients").arg(clients)) + QStringLiteral(", ") +
        (backends == 1 ? tr("1 backend connection") : tr("%1 backend connections").arg(backends)));
}

bool ConnectionsView::askCloseDetails(const QString &id, int *code, QString *reason)
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Close connection %1").arg(id));
    auto *codeBox = new QSpinBox(&dialog);
    // 1000-2999 are the protocol's codes, 3000-4999 registered and private ones (RFC 6455 7.4).
    codeBox->setRange(1000, 4999);
    codeBox->setValue(*code);
    auto *reasonEdit = new QLineEdit(&dialog);
    reasonEdit->setPlaceholderText(tr("optional"));
    reasonEdit->setMaxLength(123); // a close frame's payload is at most 125 bytes
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Close connection"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Close code"), codeBox);
    form->addRow(tr("Reason"), reasonEdit);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    *code = codeBox->value();
    *reason = reasonEdit->text();
    return true;
}

} // namespace sluice::studio
