// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QMimeData;
class QModelIndex;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTreeView;

namespace sluice::studio {

// One mediator the palette offers (the mediator catalog provides the list).
struct PaletteEntry {
    QString element;     // "payloadFactory"
    QString displayName; // "Payload Factory"
    QString group;       // "core", "flow control", "transformation", "transport"
    QString icon;        // "mediator-payloadFactory"; empty: "mediator-<element>"
    QString help;        // one or two sentences, shown under the list and as tool tip
};

// The mediator palette: a search field over a tree of palette groups. Entries are dragged
// with kMediatorMimeType (the UTF-8 element name), which the flow canvas accepts; a double
// click or Return asks for the entry to be added at the current place (entryActivated).
class PaletteWidget : public QWidget {
    Q_OBJECT
public:
    enum Role {
        ElementRole = Qt::UserRole + 1,
        GroupRole,
        HelpRole,
        SearchRole,
    };

    explicit PaletteWidget(QWidget *parent = nullptr);
    ~PaletteWidget() override;

    void setEntries(const QList<PaletteEntry> &entries);
    QList<PaletteEntry> entries() const { return m_entries; }

    QString filterText() const;
    void setFilterText(const QString &text);
    // Element names shown after filtering, in display order.
    QStringList visibleElements() const;
    // Group titles shown after filtering, in display order.
    QStringList visibleGroups() const;
    QString currentElement() const;
    void setCurrentElement(const QString &element);

    QTreeView *view() const { return m_view; }
    QLineEdit *searchField() const { return m_search; }
    QString helpText() const;

    // "flow control" -> "Flow control"
    static QString groupTitle(const QString &group);
    static QMimeData *mimeDataForElement(const QString &element);
    // The element name carried by palette mime data; empty for anything else.
    static QString elementFromMimeData(const QMimeData *mimeData);

signals:
    void entryActivated(const QString &element);
    void currentElementChanged(const QString &element);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    class Model;

    void rebuildModel();
    void applyFilter();
    void updateHelp();
    QString elementAt(const QModelIndex &index) const;

    QList<PaletteEntry> m_entries;
    QLineEdit *m_search = nullptr;
    QTreeView *m_view = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QLabel *m_help = nullptr;
    Model *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
};

} // namespace sluice::studio
