// SPDX-License-Identifier: Apache-2.0
#include "artifact_editor.h"

#include "design_view.h"
#include "model/project_document.h"
#include "widgets/icons.h"
#include "widgets/xml_source_editor.h"

#include <QFileInfo>

namespace sluice::studio {

ArtifactEditor::ArtifactEditor(ProjectDocument *document, const ArtifactId &artifact,
                               QWidget *parent)
    : QTabWidget(parent)
    , m_document(document)
    , m_artifact(artifact)
{
    setDocumentMode(true);
    setTabPosition(QTabWidget::South);
    m_design = new DesignView(document, artifact, this);
    m_source = new XmlSourceEditor(this);
    addTab(m_design, tr("Design"));
    addTab(m_source, tr("Source"));
    reloadSource();
    if (!m_document->artifactXml(artifact)) {
        // A file that does not parse can only be edited as text.
        m_page = SourcePage;
        setCurrentIndex(SourcePage);
    }

    connect(this, &QTabWidget::currentChanged, this, &ArtifactEditor::onCurrentChanged);
    connect(m_design, &DesignView::selectionChanged, this, &ArtifactEditor::selectionChanged);
    connect(m_design, &DesignView::editRefused, this, &ArtifactEditor::statusMessage);
    connect(m_document, &ProjectDocument::artifactChanged, this, [this](const ArtifactId &id) {
        if (id == m_artifact && !isSourceEdited())
            reloadSource();
    });
    connect(m_document, &ProjectDocument::artifactRenamed, this,
            [this](const ArtifactId &oldId, const ArtifactId &newId) {
                if (oldId != m_artifact)
                    return;
                m_artifact = newId;
                if (!isSourceEdited())
                    reloadSource();
            });
    connect(m_document, &ProjectDocument::saved, this, [this] {
        if (!isSourceEdited())
            reloadSource();
    });
}

ArtifactEditor::~ArtifactEditor() = default;

bool ArtifactEditor::isSourceEdited() const
{
    return m_source->toPlainText() != m_loadedSource;
}

void ArtifactEditor::reloadSource()
{
    m_loadedSource = m_document->artifactSource(m_artifact);
    if (m_source->toPlainText() != m_loadedSource)
        m_source->setPlainText(m_loadedSource);
    m_source->clearProblems();
    m_source->document()->setModified(false);
}

bool ArtifactEditor::applySource()
{
    if (!isSourceEdited())
        return true;
    Diagnostics diagnostics;
    m_source->clearProblems();
    if (!m_document->replaceArtifactSource(m_artifact, m_source->toPlainText(), &diagnostics)) {
        showDiagnostics(diagnostics);
        return false;
    }
    reloadSource();
    return true;
}

void ArtifactEditor::showDiagnostics(const Diagnostics &diagnostics)
{
    for (const Diagnostic &diagnostic : diagnostics.items()) {
        if (diagnostic.severity != Severity::Error)
            continue;
        m_source->showProblem(diagnostic.location.line, diagnostic.location.column,
                              diagnostic.message);
    }
    if (m_source->problems().isEmpty())
        m_source->showProblem(1, 0, tr("the source was not applied"));
    const XmlSourceEditor::Problem first = m_source->problems().first();
    m_source->goToPosition(first.line, first.column);
    emit statusMessage(tr("Source not applied: line %1, column %2: %3")
                           .arg(first.line)
                           .arg(first.column)
                           .arg(first.message));
}

bool ArtifactEditor::showDesign()
{
    setCurrentIndex(DesignPage);
    return currentIndex() == DesignPage;
}

void ArtifactEditor::showSource()
{
    setCurrentIndex(SourcePage);
}

void ArtifactEditor::onCurrentChanged(int index)
{
    if (m_switching)
        return;
    if (m_page == SourcePage && index != SourcePage && !applySource()) {
        m_switching = true;
        setCurrentIndex(SourcePage);
        m_switching = false;
        m_source->setFocus();
        return;
    }
    m_page = index;
    if (index == SourcePage && !isSourceEdited())
        reloadSource();
}

} // namespace sluice::studio
