// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QNetworkAccessManager;
class QNetworkReply;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace sluice::studio {

// The try-it panel's HTTP client, for proxies and APIs: method, URL (the running HTTP
// endpoints are offered), request headers and body; the response's status line, headers and
// body (pretty JSON or XML when it parses) and how long it took.
class HttpTryItTab : public QWidget {
    Q_OBJECT
public:
    // The response of the last request; status 0 when there was no HTTP answer (see error).
    struct Response {
        int status = 0;
        QString reason;
        QString error;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        qint64 elapsedMs = 0;
    };

    explicit HttpTryItTab(QWidget *parent = nullptr);
    ~HttpTryItTab() override;

    // The URLs the combo offers; what the user typed stays.
    void setUrls(const QStringList &urls);

    QComboBox *methodCombo() const { return m_method; }
    QComboBox *urlCombo() const { return m_url; }
    QTableWidget *headersTable() const { return m_headers; }
    QPlainTextEdit *bodyEdit() const { return m_body; }
    QPushButton *sendButton() const { return m_sendButton; }
    QLabel *statusLabel() const { return m_status; }
    QTreeWidget *responseHeaders() const { return m_responseHeaders; }
    QPlainTextEdit *responseBody() const { return m_responseBody; }

    bool isBusy() const { return !m_reply.isNull(); }
    const Response &lastResponse() const { return m_last; }
    // Sets request header `name` (adds a row, or replaces the value of the row with that name).
    void setHeader(const QString &name, const QString &value);

public slots:
    // Sends the request (aborting one still running); false when the URL is not http(s).
    bool send();

signals:
    void finished();

private:
    void buildUi();
    void addHeaderRow(const QString &name = {}, const QString &value = {});
    void onFinished(QNetworkReply *reply);
    void showResponse();

    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_clock;
    Response m_last;
    QComboBox *m_method = nullptr;
    QComboBox *m_url = nullptr;
    QPushButton *m_sendButton = nullptr;
    QTableWidget *m_headers = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QLabel *m_status = nullptr;
    QTreeWidget *m_responseHeaders = nullptr;
    QPlainTextEdit *m_responseBody = nullptr;
};

} // namespace sluice::studio
