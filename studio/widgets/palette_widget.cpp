// SPDX-License-Identifier: Apache-2.0
#include "palette_widget.h"

#include "flow_node.h"
#include "icons.h"

#include <QEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace sluice::studio {

namespace {

// Palette groups in the catalog's order; other groups follow in order of appearance.
const QStringList &knownGroups()
{
    static const QStringList groups = {QStringLiteral("core"), QStringLiteral("flow control"),
                                       QStringLiteral("transformation"),
                                       QStringLiteral("transport")};
    return groups;
}

} // namespace

// Drags entries (never groups) as kMediatorMimeType, copy only.
class PaletteWidget::Model : public QStandardItemModel {
public:
    using QStandardItemModel::QStandardItemModel;

    QStringList mimeTypes() const override { return {kMediatorMimeType}; }
    Qt::DropActions supportedDragActions() const override { return Qt::CopyAction; }
    Qt::DropActions supportedDropActions() const override { return Qt::IgnoreAction; }

    QMimeData *mimeData(const QModelIndexList &indexes) const override
    {
        for (const QModelIndex &index : indexes) {
            const QString element = index.data(ElementRole).toString();
            if (!element.isEmpty())
                return mimeDataForElement(element);
        }
        return nullptr;
    }
};

PaletteWidget::PaletteWidget(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_emptyLabel(new QLabel(this))
    , m_help(new QLabel(this))
    , m_model(new Model(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_search->setPlaceholderText(tr("Search mediators"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(SearchRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setRecursiveFilteringEnabled(true);

    m_view->setModel(m_proxy);
    m_view->setHeaderHidden(true);
    m_view->setIconSize(QSize(20, 20));
    m_view->setIndentation(14);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setDragEnabled(true);
    m_view->setDragDropMode(QAbstractItemView::DragOnly);
    m_view->setDefaultDropAction(Qt::CopyAction);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAnimated(false);

    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setEnabled(false);
    m_emptyLabel->hide();

    m_help->setWordWrap(true);
    m_help->setTextFormat(Qt::PlainText);
    m_help->setContentsMargins(6, 4, 6, 4);
    m_help->setMinimumHeight(m_help->fontMetrics().lineSpacing() * 3 + 8);
    m_help->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_search);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_emptyLabel, 1);
    layout->addWidget(m_help);

    connect(m_search, &QLineEdit::textChanged, this, &PaletteWidget::applyFilter);
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const QString element = elementAt(index);
        if (!element.isEmpty())
            emit entryActivated(element);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        updateHelp();
        emit currentElementChanged(currentElement());
    });
    updateHelp();
}

PaletteWidget::~PaletteWidget() = default;

QString PaletteWidget::groupTitle(const QString &group)
{
    if (group.isEmpty())
        return tr("Other");
    return group.at(0).toUpper() + group.mid(1);
}

QMimeData *PaletteWidget::mimeDataForElement(const QString &element)
{
    auto *mime = new QMimeData;
    mime->setData(kMediatorMimeType, element.toUtf8());
    return mime;
}

QString PaletteWidget::elementFromMimeData(const QMimeData *mimeData)
{
    if (!mimeData || !mimeData->hasFormat(kMediatorMimeType))
        return {};
    return QString::fromUtf8(mimeData->data(kMediatorMimeType)).trimmed();
}

void PaletteWidget::setEntries(const QList<PaletteEntry> &entries)
{
    const QString current = currentElement();
    m_entries = entries;
    rebuildModel();
    applyFilter();
    if (!current.isEmpty())
        setCurrentElement(current);
}

void PaletteWidget::rebuildModel()
{
    m_model->clear();
    QStringList groups;
    for (const QString &group : knownGroups()) {
        for (const PaletteEntry &entry : std::as_const(m_entries)) {
            if (entry.group.compare(group, Qt::CaseInsensitive) == 0) {
                groups.append(entry.group);
                break;
            }
        }
    }
    for (const PaletteEntry &entry : std::as_const(m_entries)) {
        if (!groups.contains(entry.group, Qt::CaseInsensitive))
            groups.append(entry.group);
    }

    for (const QString &group : std::as_const(groups)) {
        auto *groupItem = new QStandardItem(groupTitle(group));
        groupItem->setFlags(Qt::ItemIsEnabled);
        groupItem->setData(group, GroupRole);
        QFont bold = font();
        bold.setBold(true);
        groupItem->setFont(bold);
        for (const PaletteEntry &entry : std::as_const(m_entries)) {
            if (entry.group.compare(group, Qt::CaseInsensitive) != 0)
                continue;
            const QString name = entry.displayName.isEmpty() ? entry.element : entry.displayName;
            const QString icon =
                entry.icon.isEmpty() ? QStringLiteral("mediator-") + entry.element : entry.icon;
            auto *item = new QStandardItem(studioIcon(icon), name);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
            item->setData(entry.element, ElementRole);
            item->setData(entry.group, GroupRole);
            item->setData(entry.help, HelpRole);
            item->setData(
                QStringList{name, entry.element, groupTitle(group), entry.help}.join(u'\n'),
                SearchRole);
            item->setToolTip(entry.help.isEmpty()
                                 ? QStringLiteral("<%1>").arg(entry.element)
                                 : QStringLiteral("<%1>\n%2").arg(entry.element, entry.help));
            groupItem->appendRow(item);
        }
        m_model->appendRow(groupItem);
    }
}

QString PaletteWidget::filterText() const
{
    return m_search->text();
}

void PaletteWidget::setFilterText(const QString &text)
{
    m_search->setText(text); // applyFilter() runs from textChanged
}

void PaletteWidget::applyFilter()
{
    const QString text = m_search->text().trimmed();
    m_proxy->setFilterFixedString(text);
    m_view->expandAll();
    const bool empty = m_proxy->rowCount() == 0;
    const QString noMatch = tr("No mediator matches \u201c%1\u201d").arg(text);
    m_emptyLabel->setText(m_entries.isEmpty() ? tr("No mediators") : noMatch);
    m_emptyLabel->setVisible(empty);
    m_view->setVisible(!empty);
    if (!text.isEmpty() && !empty && elementAt(m_view->currentIndex()).isEmpty()) {
        const QStringList visible = visibleElements();
        if (!visible.isEmpty())
            setCurrentElement(visible.first());
    }
    updateHelp();
}

QStringList PaletteWidget::visibleElements() const
{
    QStringList elements;
    for (int g = 0; g < m_proxy->rowCount(); ++g) {
        const QModelIndex group = m_proxy->index(g, 0);
        for (int r = 0; r < m_proxy->rowCount(group); ++r)
            elements.append(m_proxy->index(r, 0, group).data(ElementRole).toString());
    }
    return elements;
}

QStringList PaletteWidget::visibleGroups() const
{
    QStringList groups;
    for (int g = 0; g < m_proxy->rowCount(); ++g)
        groups.append(m_proxy->index(g, 0).data(Qt::DisplayRole).toString());
    return groups;
}

QString PaletteWidget::elementAt(const QModelIndex &index) const
{
    return index.isValid() ? index.data(ElementRole).toString() : QString();
}

QString PaletteWidget::currentElement() const
{
    return elementAt(m_view->currentIndex());
}

void PaletteWidget::setCurrentElement(const QString &element)
{
    for (int g = 0; g < m_proxy->rowCount(); ++g) {
        const QModelIndex group = m_proxy->index(g, 0);
        for (int r = 0; r < m_proxy->rowCount(group); ++r) {
            const QModelIndex index = m_proxy->index(r, 0, group);
            if (index.data(ElementRole).toString() == element) {
                m_view->setCurrentIndex(index);
                m_view->scrollTo(index);
                return;
            }
        }
    }
}

QString PaletteWidget::helpText() const
{
    return m_help->text();
}

void PaletteWidget::updateHelp()
{
    const QModelIndex index = m_view->currentIndex();
    const QString element = elementAt(index);
    if (element.isEmpty()) {
        m_help->setText(m_entries.isEmpty() ? QString()
                                            : tr("Drag a mediator onto the flow, or double-click "
                                                 "it to add it after the selected one."));
        return;
    }
    const QString help = index.data(HelpRole).toString();
    m_help->setText(help.isEmpty() ? QStringLiteral("<%1>").arg(element) : help);
}

bool PaletteWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down) {
            const QStringList visible = visibleElements();
            if (!visible.isEmpty()) {
                if (currentElement().isEmpty())
                    setCurrentElement(visible.first());
                m_view->setFocus();
            }
            return true;
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            const QString element = currentElement();
            if (!element.isEmpty())
                emit entryActivated(element);
            return true;
        }
        if (key->key() == Qt::Key_Escape && !m_search->text().isEmpty()) {
            m_search->clear();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PaletteWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        rebuildModel();
        applyFilter();
    }
}

} // namespace sluice::studio
