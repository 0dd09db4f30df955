// SPDX-License-Identifier: Apache-2.0
#include "http_try_it_tab.h"

#include "message_format.h"
#include "try_it_panel.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

constexpr int kTimeoutMs = 30000;

// A body without a Content-Type header gets one from what it looks like.
QByteArray guessContentType(const QByteArray &body)
{
    if (!prettyJson(body).isEmpty())
        return "application/json";
    if (!prettyXml(body).isEmpty())
        return "application/xml";
    return "text/plain; charset=utf-8";
}

} // namespace

HttpTryItTab::HttpTryItTab(QWidget *parent)
    : QWidget(parent)
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setTransferTimeout(kTimeoutMs);
    buildUi();
}

HttpTryItTab::~HttpTryItTab()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void HttpTryItTab::buildUi()
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    m_method = new QComboBox(this);
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                        QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("HEAD"),
                        QStringLiteral("OPTIONS")});
    m_url = new QComboBox(this);
    m_url->setEditable(true);
    m_url->setInsertPolicy(QComboBox::NoInsert);
    m_url->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_url->lineEdit()->setPlaceholderText(QStringLiteral("http://127.0.0.1:8290/"));
    m_sendButton = new QPushButton(tr("Send"), this);
    auto *requestRow = new QHBoxLayout;
    requestRow->addWidget(m_method);
    requestRow->addWidget(m_url, 1);
    requestRow->addWidget(m_sendButton);

    // Request: headers (a trailing empty row is always there to type into) and body.
    m_headers = new QTableWidget(0, 2, this);
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->horizontalHeader()->resizeSection(0, 180);
    m_headers->verticalHeader()->hide();
    m_headers->setFrameShape(QFrame::NoFrame);
    addHeaderRow();
    m_body = new QPlainTextEdit(this);
    m_body->setFont(fixed);
    m_body->setFrameShape(QFrame::NoFrame);
    m_body->setPlaceholderText(tr("Request body (sent with POST, PUT, PATCH)"));
    auto *requestTabs = new QTabWidget(this);
    requestTabs->setDocumentMode(true);
    requestTabs->addTab(m_body, tr("Body"));
    requestTabs->addTab(m_headers, tr("Headers"));

    // Response: status line, body, headers.
    m_status = new QLabel(tr("No request sent yet"), this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_responseBody = new QPlainTextEdit(this);
    m_responseBody->setFont(fixed);
    m_responseBody->setReadOnly(true);
    m_responseBody->setFrameShape(QFrame::NoFrame);
    m_responseHeaders = new QTreeWidget(this);
    m_responseHeaders->setRootIsDecorated(false);
    m_responseHeaders->setHeaderLabels({tr("Header"), tr("Value")});
    m_responseHeaders->header()->resizeSection(0, 180);
    m_responseHeaders->setFrameShape(QFrame::NoFrame);
    auto *responseTabs = new QTabWidget(this);
    responseTabs->setDocumentMode(true);
    responseTabs->addTab(m_responseBody, tr("Body"));
    responseTabs->addTab(m_responseHeaders, tr("Headers"));
    auto *response = new QWidget(this);
    auto *responseLayout = new QVBoxLayout(response);
    responseLayout->setContentsMargins(0, 0, 0, 0);
    responseLayout->addWidget(m_status);
    responseLayout->addWidget(responseTabs, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(requestTabs);
    splitter->addWidget(response);
    splitter->setStretchFactor(0, 1); // the answer is what one came for
    splitter->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(requestRow);
    layout->addWidget(splitter, 1);

    connect(m_sendButton, &QPushButton::clicked, this, &HttpTryItTab::send);
    connect(m_url->lineEdit(), &QLineEdit::returnPressed, this, &HttpTryItTab::send);
    connect(m_network, &QNetworkAccessManager::finished, this, &HttpTryItTab::onFinished);
    connect(m_headers, &QTableWidget::cellChanged, this, [this](int row, int) {
        if (row == m_headers->rowCount() - 1 && m_headers->item(row, 0) &&
            !m_headers->item(row, 0)->text().isEmpty())
            addHeaderRow();
    });
}

void HttpTryItTab::setUrls(const QStringList &urls)
{
    QStringList current;
    for (int i = 0; i < m_url->count(); ++i)
        current << m_url->itemText(i);
    if (current == urls)
        return; // nothing new: leave the combo (and an open popup) alone
    const QString typed = m_url->currentText();
    m_url->clear();
    m_url->addItems(urls);
    m_url->setEditText(typed.isEmpty() && !urls.isEmpty() ? urls.first() : typed);
}

void HttpTryItTab::addHeaderRow(const QString &name, const QString &value)
{
    const QSignalBlocker blocker(m_headers);
    const int row = m_headers->rowCount();
    m_headers->insertRow(row);
    m_headers->setItem(row, 0, new QTableWidgetItem(name));
    m_headers->setItem(row, 1, new QTableWidgetItem(value));
}

void HttpTryItTab::setHeader(const QString &name, const QString &value)
{
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        QTableWidgetItem *item = m_headers->item(row, 0);
        if (item && item->text().compare(name, Qt::CaseInsensitive) == 0) {
            m_headers->item(row, 1)->setText(value);
            return;
        }
    }
    // Fill the trailing empty row, then add a new empty one.
    const int last = m_headers->rowCount() - 1;
    {
        const QSignalBlocker blocker(m_headers);
        m_headers->item(last, 0)->setText(name);
        m_headers->item(last, 1)->setText(value);
    }
    addHeaderRow();
}

bool HttpTryItTab::send()
{
    const QUrl url(m_url->currentText().trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        m_status->setText(tr("Not an http:// or https:// URL: %1").arg(m_url->currentText()));
        return false;
    }
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
    QNetworkRequest request(url);
    bool hasContentType = false;
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QString name =
            m_headers->item(row, 0) ? m_headers->item(row, 0)->text().trimmed() : QString();
        if (name.isEmpty())
            continue;
        const QString value = m_headers->item(row, 1) ? m_headers->item(row, 1)->text() : QString();
        hasContentType =
            hasContentType || !name.compare(QLatin1String("content-type"), Qt::CaseInsensitive);
        request.setRawHeader(name.toLatin1(), value.toUtf8());
    }
    const QByteArray method = m_method->currentText().toLatin1();
    const bool withBody = method == "POST" || method == "PUT" || method == "PATCH";
    const QByteArray body = withBody ? m_body->toPlainText().toUtf8() : QByteArray();
    if (withBody && !hasContentType)
        request.setHeader(QNetworkRequest::ContentTypeHeader, guessContentType(body));

    m_status->setText(tr("%1 %2 \u2026").arg(m_method->currentText(), url.toString()));
    m_responseBody->clear();
    m_responseHeaders->clear();
    m_clock.start();
    m_reply = withBody ? m_network->sendCustomRequest(request, method, body)
                       : m_network->sendCustomRequest(request, method);
    return true;
}

void HttpTryItTab::onFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return; // an aborted earlier request
    m_reply.clear();
    m_last = {};
    m_last.elapsedMs = m_clock.elapsed();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    m_last.status = status.isValid() ? status.toInt() : 0;
    m_last.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    // An HTTP error status is an answer, not a failure; only a missing answer is.
    if (m_last.status == 0)
        m_last.error = reply->errorString();
    m_last.headers = reply->rawHeaderPairs();
    m_last.body = reply->readAll();
    showResponse();
    emit finished();
}

void HttpTryItTab::showResponse()
{
    QString line;
    if (m_last.status == 0) {
        line = tr("No response: %1").arg(m_last.error);
    } else {
        line = QStringLiteral("<b>%1 %2</b>").arg(m_last.status).arg(m_last.reason.toHtmlEscaped());
    }
    line += QStringLiteral(" \u00b7 %1 ms \u00b7 %2")
                .arg(m_last.elapsedMs)
                .arg(formatSize(m_last.body.size()));
    m_status->setText(line);
    const bool good = m_last.status >= 200 && m_last.status < 400;
    // From the tab's palette, not the label's: the label's own was coloured by the last answer.
    QPalette statusPalette = palette();
    statusPalette.setColor(QPalette::WindowText,
                           good ? tryItGoodColor(statusPalette) : tryItBadColor(statusPalette));
    m_status->setPalette(statusPalette);

    for (const auto &[name, value] : m_last.headers)
        new QTreeWidgetItem(m_responseHeaders,
                            {QString::fromLatin1(name), QString::fromUtf8(value)});
    QString body = prettyJson(m_last.body);
    if (body.isEmpty())
        body = prettyXml(m_last.body);
    if (body.isEmpty()) {
        // Text as text; anything with control bytes other than whitespace as a hex dump.
        const bool binary = std::any_of(m_last.body.cbegin(), m_last.body.cend(), [](char c) {
            return quint8(c) < 0x20 && c != '\n' && c != '\r' && c != '\t';
        });
        body = readablePayload(m_last.body, binary);
    }
    m_responseBody->setPlainText(body);
}

} // namespace sluice::studio
