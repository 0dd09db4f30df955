// SPDX-License-Identifier: Apache-2.0
#include "event_detail_view.h"

#include "model/event_log_model.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QStringDecoder>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QXmlStreamReader>

namespace sluice::studio {

namespace {

bool isUtf8(const QByteArray &bytes, QString *text)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *text = decoder.decode(bytes);
    return !decoder.hasError();
}

} // namespace

EventDetailView::EventDetailView(QWidget *parent)
    : QWidget(parent)
{
    m_header = new QLabel(this);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    m_viewChoice = new QComboBox(this);
    m_viewChoice->addItems({tr("Auto"), tr("JSON"), tr("XML tree"), tr("Text"), tr("Hex")});
    m_viewChoice->setToolTip(tr("How to show the payload"));
    connect(m_viewChoice, &QComboBox::currentIndexChanged, this,
            [this](int index) { setPayloadView(PayloadView(index)); });
    auto *copy = new QToolButton(this);
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the payload as shown"));
    connect(copy, &QToolButton::clicked, this, [this] {
        if (m_hasEvent)
            QApplication::clipboard()->setText(
                m_shown == PayloadView::Xml ? QString::fromUtf8(m_event.payload) : payloadText());
    });

    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_xml = new QTreeWidget(this);
    m_xml->setHeaderLabels({tr("Node"), tr("Value")});
    m_xml->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_text);
    m_stack->addWidget(m_xml);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Payload:"), this));
    bar->addWidget(m_viewChoice);
    bar->addStretch();
    bar->addWidget(copy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_header);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);
    clearEvent();
}

EventDetailView::~EventDetailView() = default;

void EventDetailView::setEvent(const MessageEvent &event)
{
    m_event = event;
    m_hasEvent = true;
    render();
}

void EventDetailView::clearEvent()
{
    m_event = MessageEvent();
    m_hasEvent = false;
    m_header->setText(tr("Select an event to see its details."));
    m_text->clear();
    m_xml->clear();
}

void EventDetailView::setPayloadView(PayloadView view)
{
    m_view = view;
    {
        const QSignalBlocker blocker(m_viewChoice);
        m_viewChoice->setCurrentIndex(int(view));
    }
    if (m_hasEvent)
        render();
}

QString EventDetailView::payloadText() const
{
    return m_text->toPlainText();
}

QString EventDetailView::headerText() const
{
    return m_header->text();
}

QString EventDetailView::prettyJson(const QByteArray &payload)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || document.isNull())
        return QString();
    return QString::fromUtf8(document.toJson(QJsonDocument::Indented));
}

QString EventDetailView::hexDump(const QByteArray &payload)
{
    QString out;
    for (qsizetype offset = 0; offset < payload.size(); offset += 16) {
        const QByteArray line = payload.mid(offset, 16);
        QString ascii;
        for (char c : line)
            ascii += (c >= 0x20 && c < 0x7f) ? QLatin1Char(c) : QLatin1Char('.');
        out += QStringLiteral("%1  %2  %3\n")
                   .arg(offset, 8, 16, QLatin1Char('0'))
                   .arg(QString::fromLatin1(line.toHex(' ')), -47)
                   .arg(ascii);
    }
    return out;
}

bool EventDetailView::fillXmlTree(QTreeWidget *tree, const QByteArray &payload)
{
    tree->clear();
    QXmlStreamReader reader(payload);
    QList<QTreeWidgetItem *> open;
    QList<bool> hasElementChildren; // per open element: text then goes on a row of its own
    int elements = 0;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement()) {
            ++elements;
            if (!hasElementChildren.isEmpty())
                hasElementChildren.last() = true;
            auto *item =
                open.isEmpty() ? new QTreeWidgetItem(tree) : new QTreeWidgetItem(open.last());
            item->setText(0, reader.qualifiedName().toString());
            for (const QXmlStreamAttribute &attribute : reader.attributes()) {
                auto *child = new QTreeWidgetItem(item);
                child->setText(0, QStringLiteral("@") + attribute.qualifiedName().toString());
                child->setText(1, attribute.value().toString());
            }
            open.append(item);
            hasElementChildren.append(false);
        } else if (reader.isEndElement()) {
            if (!open.isEmpty()) {
                open.removeLast();
                hasElementChildren.removeLast();
            }
        } else if (reader.isCharacters() && !reader.isWhitespace() && !open.isEmpty()) {
            // A leaf's text is its value; text between child elements gets its own row.
            QTreeWidgetItem *parent = open.last();
            const QString text = reader.text().toString().trimmed();
            if (!hasElementChildren.last() && parent->text(1).isEmpty())
                parent->setText(1, text);
            else
                (new QTreeWidgetItem(parent))->setText(1, text);
        }
    }
    if (reader.hasError() || elements == 0) {
        tree->clear();
        return false;
    }
    tree->expandAll();
    return true;
}

void EventDetailView::render()
{
    const MessageEvent &e = m_event;
    QStringList lines;
    lines << tr("#%1  %2  %3")
                 .arg(e.id)
                 .arg(messageEventKindName(e.kind),
                      QDateTime::fromMSecsSinceEpoch(e.timestampMs)
                          .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
    QStringList about;
    if (!e.connectionId.isEmpty())
        about << tr("connection %1").arg(e.connectionId);
    if (e.messageId != 0)
        about << tr("message %1").arg(e.messageId);
    if (!eventDirectionText(e).isEmpty())
        about << eventDirectionText(e);
    if (eventDirection(e) != EventDirection::None)
        about << tr("%n byte(s)", nullptr, int(e.size));
    if (!about.isEmpty())
        lines << about.join(QStringLiteral(", "));
    if (!e.artifact.isEmpty() || !e.mediator.isEmpty())
        lines << tr("artifact %1%2%3")
                     .arg(e.artifact,
                          e.mediator.isEmpty() ? QString() : tr(", mediator %1").arg(e.mediator),
                          e.location.isValid() ? QStringLiteral(" (%1)").arg(e.location.toString())
                                               : QString());
    if (e.closeCode != 0 || !e.closeReason.isEmpty())
        lines << tr("close code %1 %2").arg(e.closeCode).arg(e.closeReason);
    if (!e.subprotocol.isEmpty())
        lines << tr("subprotocol %1").arg(e.subprotocol);
    for (auto it = e.headers.constBegin(); it != e.headers.constEnd(); ++it)
        lines << QStringLiteral("%1: %2").arg(it.key(), it.value());
    for (const EventProperty &property : e.properties)
        lines << QStringLiteral("%1 [%2] = %3")
                     .arg(property.name, propertyScopeName(property.scope),
                          property.value.toString());
    if (!e.text.isEmpty())
        lines << (e.category.isEmpty() ? e.text
                                       : QStringLiteral("[%1] %2").arg(e.category, e.text));
    m_header->setText(lines.join(QLatin1Char('\n')));

    // The payload, in the chosen view; Auto tries JSON, then XML, then text, then hex.
    const QByteArray &payload = e.payload;
    QString text;
    const bool utf8 = isUtf8(payload, &text);
    const QString json = prettyJson(payload);
    PayloadView view = m_view;
    if (view == PayloadView::Auto) {
        if (!json.isNull())
            view = PayloadView::Json;
        else if (utf8 && text.trimmed().startsWith(QLatin1Char('<')) && fillXmlTree(m_xml, payload))
            view = PayloadView::Xml;
        else
            view = utf8 ? PayloadView::Text : PayloadView::Hex;
    }
    m_shown = view;
    switch (view) {
    case PayloadView::Json:
        m_text->setPlainText(json.isNull() ? tr("(not JSON)\n") + text : json);
        m_stack->setCurrentWidget(m_text);
        break;
    case PayloadView::Xml:
        if (!fillXmlTree(m_xml, payload)) {
            m_text->setPlainText(tr("(not well-formed XML)\n") + text);
            m_stack->setCurrentWidget(m_text);
        } else {
            m_stack->setCurrentWidget(m_xml);
        }
        break;
    case PayloadView::Text:
        m_text->setPlainText(text);
        m_stack->setCurrentWidget(m_text);
        break;
    case PayloadView::Hex:
    case PayloadView::Auto:
        m_text->setPlainText(hexDump(payload));
        m_stack->setCurrentWidget(m_text);
        break;
    }
}

} // namespace sluice::studio
