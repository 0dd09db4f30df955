// SPDX-License-Identifier: Apache-2.0
#include "ws_try_it_tab.h"

#include "saved_messages.h"
#include "try_it_panel.h"
#include "ws_try_it_transcript.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkRequest>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTextBlock>
#include <QVBoxLayout>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace sluice::studio {

namespace {

// "Name: value" per line; blank lines are skipped. False with the line number on a line that
// has no name.
bool parseHeaderLines(const QString &text, QList<QPair<QByteArray, QByteArray>> *headers,
                      QString *error)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        const QString name = line.left(colon).trimmed();
        if (colon <= 0 || name.isEmpty() || name.contains(QLatin1Char(' '))) {
            *error = QObject::tr("headers, line %1: expected \"Name: value\"").arg(i + 1);
            return false;
        }
        headers->append({name.toLatin1(), line.mid(colon + 1).trimmed().toUtf8()});
    }
    return true;
}

QString closeCodeText(int code)
{
    switch (code) {
    case 1000:
        return QStringLiteral("1000 normal");
    case 1001:
        return QStringLiteral("1001 going away");
    case 1002:
        return QStringLiteral("1002 protocol error");
    case 1003:
        return QStringLiteral("1003 unsupported data");
    case 1006:
        return QStringLiteral("1006 abnormal, no close frame");
    case 1007:
        return QStringLiteral("1007 invalid payload");
    case 1008:
        return QStringLiteral("1008 policy violation");
    case 1009:
        return QStringLiteral("1009 message too big");
    case 1011:
        return QStringLiteral("1011 server error");
    default:
        return QString::number(code);
    }
}

} // namespace

WsTryItTab::WsTryItTab(QWidget *parent)
    : QWidget(parent)
    , m_savedMessages(std::make_unique<SavedMessages>())
{
    buildUi();
    refreshSavedCombo();
    updateState();
    checkEditor();
}

WsTryItTab::~WsTryItTab()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void WsTryItTab::buildUi()
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    m_url = new QComboBox(this);
    m_url->setEditable(true);
    m_url->setInsertPolicy(QComboBox::NoInsert);
    m_url->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_url->lineEdit()->setPlaceholderText(QStringLiteral("ws://127.0.0.1:9091/"));
    m_connectButton = new QPushButton(tr("Connect"), this);
    m_connectButton->setDefault(false);
    m_subprotocol = new QLineEdit(this);
    m_subprotocol->setPlaceholderText(tr("none (several: comma-separated)"));
    m_headers = new QPlainTextEdit(this);
    m_headers->setPlaceholderText(tr("Name: value, one per line"));
    m_headers->setFont(fixed);
    m_headers->setTabChangesFocus(true);
    m_headers->setFixedHeight(m_headers->fontMetrics().lineSpacing() * 2 + 14);
    m_state = new QLabel(this);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_connectButton);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("URL"), urlRow);
    form->addRow(tr("Subprotocol"), m_subprotocol);
    form->addRow(tr("Headers"), m_headers);
    form->addRow(QString(), m_state);

    m_transcript = new WsTryItTranscript(this);

    // The composer: mode, saved messages, the editor, its problem, Send.
    m_mode = new QComboBox(this);
    m_mode->addItem(tr("Text"), int(MessageMode::Text));
    m_mode->addItem(tr("JSON"), int(MessageMode::Json));
    m_mode->addItem(tr("Binary (hex)"), int(MessageMode::Hex));
    m_mode->addItem(tr("Binary (base64)"), int(MessageMode::Base64));
    m_formatButton = new QPushButton(tr("Format"), this);
    m_formatButton->setToolTip(tr("Indent the JSON"));
    m_saved = new QComboBox(this);
    m_saved->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_saved->setMinimumContentsLength(8);
    m_saved->setToolTip(tr("Saved messages: choose one to load it"));
    auto *saveButton = new QPushButton(tr("Save…"), this);
    saveButton->setToolTip(tr("Save this message under a name"));
    auto *deleteButton = new QPushButton(tr("Delete"), this);
    deleteButton->setToolTip(tr("Delete the chosen saved message"));
    // Two short rows rather than one long one: the panel often sits in a narrow side dock.
    auto *composerBar = new QHBoxLayout;
    composerBar->addWidget(new QLabel(tr("<b>Message</b>"), this));
    composerBar->addWidget(m_mode);
    composerBar->addWidget(m_formatButton);
    composerBar->addStretch(1);
    auto *savedBar = new QHBoxLayout;
    savedBar->addWidget(new QLabel(tr("Saved"), this));
    savedBar->addWidget(m_saved, 1);
    savedBar->addWidget(saveButton);
    savedBar->addWidget(deleteButton);

    m_editor = new QPlainTextEdit(this);
    m_editor->setFont(fixed);
    m_editor->setTabChangesFocus(false);
    m_editor->setPlaceholderText(tr("The message to send (Ctrl+Enter sends)"));
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_sendButton = new QPushButton(tr("Send"), this);
    m_sendButton->setToolTip(tr("Send the message (Ctrl+Enter)"));
    auto *sendRow = new QHBoxLayout;
    sendRow->addWidget(m_error, 1);
    sendRow->addWidget(m_sendButton, 0, Qt::AlignTop);

    auto *composer = new QWidget(this);
    auto *composerLayout = new QVBoxLayout(composer);
    composerLayout->setContentsMargins(0, 0, 0, 0);
    composerLayout->addLayout(composerBar);
    composerLayout->addLayout(savedBar);
    composerLayout->addWidget(m_editor, 1);
    composerLayout->addLayout(sendRow);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_transcript);
    splitter->addWidget(composer);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(form);
    layout->addWidget(splitter, 1);

    connect(m_connectButton, &QPushButton::clicked, this, [this] {
        if (state() == QAbstractSocket::UnconnectedState)
            connectToUrl();
        else
            disconnectFromUrl();
    });
    connect(m_url->lineEdit(), &QLineEdit::returnPressed, this, &WsTryItTab::connectToUrl);
    connect(m_sendButton, &QPushButton::clicked, this, &WsTryItTab::sendMessage);
    connect(m_formatButton, &QPushButton::clicked, this, &WsTryItTab::formatJson);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &WsTryItTab::checkEditor);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &WsTryItTab::checkEditor);
    m_editor->installEventFilter(this); // Ctrl+Enter sends
    connect(m_transcript, &WsTryItTranscript::reuseRequested, this,
            [this](const TranscriptEntry &entry) {
                // Binary as hex, JSON as JSON (to be checked again), anything else as text.
                if (entry.binary) {
                    setMode(MessageMode::Hex);
                    m_editor->setPlainText(QString::fromLatin1(entry.data.toHex(' ')));
                    return;
                }
                setMode(compactJson(entry.data).isEmpty() ? MessageMode::Text : MessageMode::Json);
                m_editor->setPlainText(QString::fromUtf8(entry.data));
            });
    connect(m_saved, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            loadMessage(m_saved->itemText(index));
    });
    connect(saveButton, &QPushButton::clicked, this, &WsTryItTab::askAndSave);
    connect(deleteButton, &QPushButton::clicked, this, [this] {
        if (m_saved->currentIndex() > 0)
            deleteMessage(m_saved->currentText());
    });
}

bool WsTryItTab::eventFilter(QObject *watched, QEvent *event)
{
    // An event filter rather than a QShortcut: the editor is the only place where Ctrl+Enter
    // means "send", and a shortcut would also fire in the headers field.
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
            key->modifiers().testFlag(Qt::ControlModifier)) {
            sendMessage();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void WsTryItTab::setUrls(const QStringList &urls)
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

QAbstractSocket::SocketState WsTryItTab::state() const
{
    return m_socket ? m_socket->state() : QAbstractSocket::UnconnectedState;
}

MessageMode WsTryItTab::mode() const
{
    return MessageMode(m_mode->currentData().toInt());
}

void WsTryItTab::setMode(MessageMode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

QString WsTryItTab::negotiatedSubprotocol() const
{
    return m_socket ? m_socket->subprotocol() : QString();
}

void WsTryItTab::connectToUrl()
{
    const QUrl url(m_url->currentText().trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))) {
        m_lastClose.clear();
        m_state->setText(tr("Not a ws:// or wss:// URL: %1").arg(m_url->currentText()));
        return;
    }
    QList<QPair<QByteArray, QByteArray>> headers;
    QString headerError;
    if (!parseHeaderLines(m_headers->toPlainText(), &headers, &headerError)) {
        m_state->setText(headerError);
        return;
    }
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::stateChanged, this, &WsTryItTab::updateState);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        const QString subprotocol = m_socket->subprotocol();
        m_transcript->addNote(subprotocol.isEmpty()
                                  ? tr("connected to %1").arg(m_socket->requestUrl().toString())
                                  : tr("connected to %1, subprotocol %2")
                                        .arg(m_socket->requestUrl().toString(), subprotocol));
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        const QString reason = m_socket->closeReason();
        m_lastClose = tr("closed: %1").arg(closeCodeText(int(m_socket->closeCode())));
        if (!reason.isEmpty())
            m_lastClose += QStringLiteral(" \u2014 ") + reason;
        m_transcript->addNote(m_lastClose);
        updateState();
    });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this] { m_transcript->addNote(tr("error: %1").arg(m_socket->errorString())); });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &message) {
        m_transcript->addFrame(TranscriptEntry::Direction::Received, message.toUtf8(), false);
    });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &payload) {
        m_transcript->addFrame(TranscriptEntry::Direction::Received, payload, true);
    });

    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QWebSocketHandshakeOptions options;
    QStringList subprotocols;
    for (const QString &name : m_subprotocol->text().split(QLatin1Char(','))) {
        if (!name.trimmed().isEmpty())
            subprotocols.append(name.trimmed());
    }
    options.setSubprotocols(subprotocols);
    m_lastClose.clear();
    m_socket->open(request, options);
    updateState();
}

void WsTryItTab::disconnectFromUrl()
{
    if (!m_socket)
        return;
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, tr("closed from the studio"));
    else
        m_socket->abort();
}

bool WsTryItTab::sendMessage()
{
    const EncodedMessage message = encodeMessage(mode(), m_editor->toPlainText());
    if (!message.ok) {
        showError(message.errorText(), message.line, message.column);
        return false;
    }
    if (state() != QAbstractSocket::ConnectedState) {
        showError(tr("Not connected: connect to an endpoint first"));
        return false;
    }
    const qint64 written = message.binary
                               ? m_socket->sendBinaryMessage(message.bytes)
                               : m_socket->sendTextMessage(QString::fromUtf8(message.bytes));
    if (written < 0 || (written == 0 && !message.bytes.isEmpty())) {
        showError(tr("Could not send: %1").arg(m_socket->errorString()));
        return false;
    }
    m_transcript->addFrame(TranscriptEntry::Direction::Sent, message.bytes, message.binary);
    return true;
}

bool WsTryItTab::formatJson()
{
    if (mode() != MessageMode::Json)
        return false;
    const QString pretty = prettyJson(m_editor->toPlainText().toUtf8());
    if (pretty.isEmpty()) {
        checkEditor();
        return false;
    }
    m_editor->setPlainText(pretty);
    return true;
}

bool WsTryItTab::saveMessage(const QString &name)
{
    if (!m_savedMessages->save({name, mode(), m_editor->toPlainText()}))
        return false;
    refreshSavedCombo(name.trimmed());
    return true;
}

bool WsTryItTab::loadMessage(const QString &name)
{
    const SavedMessage *message = m_savedMessages->find(name);
    if (!message)
        return false;
    setMode(message->mode);
    m_editor->setPlainText(message->body);
    refreshSavedCombo(name);
    return true;
}

bool WsTryItTab::deleteMessage(const QString &name)
{
    if (!m_savedMessages->remove(name))
        return false;
    refreshSavedCombo();
    return true;
}

void WsTryItTab::askAndSave()
{
    bool ok = false;
    const QString current = m_saved->currentIndex() > 0 ? m_saved->currentText() : QString();
    const QString name = QInputDialog::getText(this, tr("Save message"), tr("Name"),
                                               QLineEdit::Normal, current, &ok);
    if (ok)
        saveMessage(name);
}

void WsTryItTab::refreshSavedCombo(const QString &select)
{
    m_saved->clear();
    m_saved->addItem(tr("Saved messages…"));
    m_saved->addItems(m_savedMessages->names());
    const int index = select.isEmpty() ? 0 : m_saved->findText(select);
    m_saved->setCurrentIndex(qMax(0, index));
}

void WsTryItTab::updateState()
{
    const QAbstractSocket::SocketState current = state();
    switch (current) {
    case QAbstractSocket::ConnectedState: {
        const QString subprotocol = m_socket->subprotocol();
        m_state->setText(subprotocol.isEmpty()
                             ? tr("\u25cf Connected")
                             : tr("\u25cf Connected, subprotocol %1").arg(subprotocol));
        break;
    }
    case QAbstractSocket::HostLookupState:
    case QAbstractSocket::ConnectingState:
        m_state->setText(tr("Connecting\u2026"));
        break;
    case QAbstractSocket::ClosingState:
        m_state->setText(tr("Closing\u2026"));
        break;
    default:
        m_state->setText(m_lastClose.isEmpty() ? tr("\u25cb Not connected")
                                               : tr("\u25cb Not connected (%1)").arg(m_lastClose));
        break;
    }
    // Green while connected; the theme's text colour otherwise.
    QPalette statePalette = palette();
    if (current == QAbstractSocket::ConnectedState)
        statePalette.setColor(QPalette::WindowText, tryItGoodColor(statePalette));
    m_state->setPalette(statePalette);
    const bool idle = current == QAbstractSocket::UnconnectedState;
    m_connectButton->setText(idle ? tr("Connect") : tr("Disconnect"));
    m_sendButton->setEnabled(current == QAbstractSocket::ConnectedState);
    emit stateChanged(current);
}

void WsTryItTab::checkEditor()
{
    m_formatButton->setEnabled(mode() == MessageMode::Json);
    const QString text = m_editor->toPlainText();
    if (mode() == MessageMode::Text || text.trimmed().isEmpty()) {
        showError(QString());
        return;
    }
    const EncodedMessage message = encodeMessage(mode(), text);
    showError(message.ok ? QString() : message.errorText(), message.line, message.column);
}

void WsTryItTab::showError(const QString &text, int line, int column)
{
    m_error->setText(text);
    QPalette errorPalette = palette(); // picked now: the theme may have changed
    errorPalette.setColor(QPalette::WindowText, tryItBadColor(errorPalette));
    m_error->setPalette(errorPalette);
    // Underline the place of the problem in the editor.
    QList<QTextEdit::ExtraSelection> marks;
    if (line > 0) {
        const QTextBlock block = m_editor->document()->findBlockByNumber(line - 1);
        if (block.isValid()) {
            QTextEdit::ExtraSelection mark;
            mark.cursor = QTextCursor(block);
            mark.cursor.setPosition(block.position() + qMin(column - 1, block.length() - 1));
            mark.cursor.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
            if (!mark.cursor.hasSelection()) // at the end: mark the character before
                mark.cursor.movePosition(QTextCursor::PreviousCharacter, QTextCursor::KeepAnchor,
                                         2);
            mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
            QColor bad = tryItBadColor(palette());
            mark.format.setUnderlineColor(bad);
            bad.setAlpha(48);
            mark.format.setBackground(bad);
            marks.append(mark);
        }
    }
    m_editor->setExtraSelections(marks);
}

} // namespace sluice::studio
