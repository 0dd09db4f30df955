// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runtime/message_events.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTreeWidget;

namespace sluice::studio {

// The detail pane of the message log: what one event is about (kind, connection, message,
// artifact, mediator and where it was read, headers, properties) and its payload as pretty
// JSON, an XML tree, text or hex. "Auto" picks JSON or XML when the payload parses as one.
class EventDetailView : public QWidget {
    Q_OBJECT
public:
    enum class PayloadView { Auto, Json, Xml, Text, Hex };

    explicit EventDetailView(QWidget *parent = nullptr);
    ~EventDetailView() override;

    void setEvent(const MessageEvent &event);
    void clearEvent();
    void setPayloadView(PayloadView view);
    // The view "Auto" chose (or the one set) for the current payload.
    PayloadView shownView() const { return m_shown; }
    QString payloadText() const; // what the text pane shows (JSON, text or hex)
    QTreeWidget *xmlTree() const { return m_xml; }
    QString headerText() const;

    // Pretty JSON, or a null string when `payload` is not JSON.
    static QString prettyJson(const QByteArray &payload);
    // "00000000  7b 22 61 22 ...  {"a"..." lines.
    static QString hexDump(const QByteArray &payload);
    // Fills `tree` with the elements, attributes and text of `payload`; false (tree cleared)
    // when it is not well-formed XML.
    static bool fillXmlTree(QTreeWidget *tree, const QByteArray &payload);

private:
    void render();

    QLabel *m_header = nullptr;
    QComboBox *m_viewChoice = nullptr;
    QStackedWidget *m_stack = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QTreeWidget *m_xml = nullptr;
    MessageEvent m_event;
    bool m_hasEvent = false;
    PayloadView m_view = PayloadView::Auto;
    PayloadView m_shown = PayloadView::Text;
};

} // namespace sluice::studio
