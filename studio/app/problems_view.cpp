// SPDX-License-Identifier: Apache-2.0
#include "problems_view.h"

#include "model/project_document.h"

#include <QApplication>
#include <QDir>
#include <QHeaderView>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sluice::studio {

ProblemsView::ProblemsView(ProjectDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    m_tree = new QTreeWidget(this);
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setFrameShape(QFrame::NoFrame);
    m_tree->setHeaderLabels({tr("Problem"), tr("File"), tr("Line")});
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_tree->header()->resizeSection(1, 260);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);

    connect(m_tree, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem *item) { activate(m_tree->indexOfTopLevelItem(item)); });
    connect(m_document, &ProjectDocument::problemsChanged, this, &ProblemsView::refresh);
    connect(m_document, &ProjectDocument::projectClosed, this, &ProblemsView::refresh);
    refresh();
}

ProblemsView::~ProblemsView() = default;

int ProblemsView::problemCount() const
{
    return int(m_problems.size());
}

void ProblemsView::refresh()
{
    m_tree->clear();
    m_problems = m_document->isOpen() ? m_document->problems().sorted() : QList<Diagnostic>();
    m_problems.append(m_runtimeProblems);
    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    int errors = 0;
    for (const Diagnostic &problem : m_problems) {
        auto *item = new QTreeWidgetItem(m_tree);
        const bool error = problem.severity == Severity::Error;
        errors += error ? 1 : 0;
        item->setIcon(0, error ? errorIcon : warningIcon);
        item->setText(0, problem.message);
        item->setToolTip(0, problem.toString());
        QString file = problem.location.file;
        if (!m_document->projectDirectory().isEmpty() && QDir::isAbsolutePath(file))
            file = QDir(m_document->projectDirectory()).relativeFilePath(file);
        item->setText(1, file);
        if (problem.location.line > 0)
            item->setText(
                2, QStringLiteral("%1:%2").arg(problem.location.line).arg(problem.location.column));
    }
    emit countsChanged(errors, int(m_problems.size()) - errors);
}

void ProblemsView::setRuntimeProblems(const QList<Diagnostic> &problems)
{
    m_runtimeProblems = problems;
    refresh();
}

void ProblemsView::activate(int row)
{
    if (row >= 0 && row < m_problems.size())
        emit problemActivated(m_problems.at(row));
}

} // namespace sluice::studio
