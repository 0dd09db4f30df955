// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "message_format.h"

#include <QAbstractSocket>
#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QWebSocket;

namespace sluice::studio {

class SavedMessages;
class WsTryItTranscript;

// The try-it panel's WebSocket client: connect to any ws:// or wss:// URL (the running inbound
// endpoints are offered), with an optional subprotocol and extra handshake headers; write a
// message as text, JSON (checked before it goes: an error shows its line and column and nothing
// is sent), or binary typed as hex or base64; Send (Ctrl+Enter); every frame sent and received
// lands in the transcript. Messages can be saved by name and loaded again (QSettings).
class WsTryItTab : public QWidget {
    Q_OBJECT
public:
    explicit WsTryItTab(QWidget *parent = nullptr);
    ~WsTryItTab() override;

    // The URLs the combo offers; what the user typed stays.
    void setUrls(const QStringList &urls);

    QComboBox *urlCombo() const { return m_url; }
    QLineEdit *subprotocolEdit() const { return m_subprotocol; }
    QPlainTextEdit *headersEdit() const { return m_headers; }
    QPushButton *connectButton() const { return m_connectButton; }
    QLabel *stateLabel() const { return m_state; }
    QComboBox *modeCombo() const { return m_mode; }
    QPlainTextEdit *editor() const { return m_editor; }
    QLabel *errorLabel() const { return m_error; }
    QPushButton *sendButton() const { return m_sendButton; }
    QComboBox *savedCombo() const { return m_saved; }
    WsTryItTranscript *transcript() const { return m_transcript; }

    QAbstractSocket::SocketState state() const;
    MessageMode mode() const;
    void setMode(MessageMode mode);
    // The negotiated subprotocol of the open connection (empty when none).
    QString negotiatedSubprotocol() const;

    // Saves the editor's text and mode under `name` (replacing one of that name).
    bool saveMessage(const QString &name);
    // Puts a saved message into the editor; false when there is none by that name.
    bool loadMessage(const QString &name);
    bool deleteMessage(const QString &name);
    SavedMessages &savedMessages() const { return *m_savedMessages; }

public slots:
    // Opens the URL in the combo (closing a connection that is open).
    void connectToUrl();
    void disconnectFromUrl();
    // Checks the editor's text for its mode and sends it; false (with the reason in the error
    // label) when it is invalid or there is no connection.
    bool sendMessage();
    // Re-indents the editor's JSON (mode JSON only; false when it does not parse).
    bool formatJson();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

signals:
    void stateChanged(QAbstractSocket::SocketState state);

private:
    void buildUi();
    void updateState();
    void checkEditor();
    void showError(const QString &text, int line = 0, int column = 0);
    void refreshSavedCombo(const QString &select = {});
    void askAndSave();

    std::unique_ptr<SavedMessages> m_savedMessages;
    QWebSocket *m_socket = nullptr;
    QComboBox *m_url = nullptr;
    QLineEdit *m_subprotocol = nullptr;
    QPlainTextEdit *m_headers = nullptr;
    QPushButton *m_connectButton = nullptr;
    QLabel *m_state = nullptr;
    QComboBox *m_mode = nullptr;
    QPushButton *m_formatButton = nullptr;
    QComboBox *m_saved = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_sendButton = nullptr;
    WsTryItTranscript *m_transcript = nullptr;
    QString m_lastClose; // "closed: 1000 bye" after a connection ended
};

} // namespace sluice::studio
