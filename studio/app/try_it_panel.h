// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>
#include <QWidget>

class QColor;
class QPalette;
class QTabWidget;

namespace sluice::studio {

// The colours of good (connected, 2xx) and bad (errors, 4xx/5xx) outcomes in the panel: darker
// on a light palette, lighter on a dark one, so that both stay readable.
QColor tryItGoodColor(const QPalette &palette);
QColor tryItBadColor(const QPalette &palette);

class HttpTryItTab;
class WsTryItTab;

// The try-it dock: a WebSocket client and an HTTP client, so that a flow can be exercised
// without any other tool. The main window passes the running runtime's endpoints in.
class TryItPanel : public QWidget {
    Q_OBJECT
public:
    explicit TryItPanel(QWidget *parent = nullptr);
    ~TryItPanel() override;

    // ws:// URLs of the running inbound endpoints, http:// URLs of proxies and APIs.
    void setEndpoints(const QStringList &wsUrls, const QStringList &httpUrls);

    WsTryItTab *webSocketTab() const { return m_ws; }
    HttpTryItTab *httpTab() const { return m_http; }
    QTabWidget *tabs() const { return m_tabs; }

private:
    QTabWidget *m_tabs = nullptr;
    WsTryItTab *m_ws = nullptr;
    HttpTryItTab *m_http = nullptr;
};

} // namespace sluice::studio
