// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"

#include <QWidget>

class QTreeWidget;

namespace sluice::studio {

class ProjectDocument;

// The validation dock: the document's problems (errors and warnings of `sluice validate`),
// refreshed on problemsChanged. Double click or Return reports the problem (problemActivated)
// so that the main window opens its artifact and selects its mediator.
class ProblemsView : public QWidget {
    Q_OBJECT
public:
    explicit ProblemsView(ProjectDocument *document, QWidget *parent = nullptr);
    ~ProblemsView() override;

    QTreeWidget *tree() const { return m_tree; }
    int problemCount() const;
    // Emits problemActivated for row `row`.
    void activate(int row);
    // Problems of the last Run / Redeploy (port in use, refused deploy), listed after the
    // document's own; an empty list removes them.
    void setRuntimeProblems(const QList<sluice::Diagnostic> &problems);

public slots:
    void refresh();

signals:
    void problemActivated(const sluice::Diagnostic &problem);
    void countsChanged(int errors, int warnings);

private:
    ProjectDocument *m_document;
    QTreeWidget *m_tree = nullptr;
    QList<Diagnostic> m_problems;
    QList<Diagnostic> m_runtimeProblems;
};

} // namespace sluice::studio
