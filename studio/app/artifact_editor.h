// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/artifact_id.h"

#include <QTabWidget>

namespace sluice {
class Diagnostics;
}

namespace sluice::studio {

class DesignView;
class ProjectDocument;
class XmlSourceEditor;

// The editor of one artifact: a Design tab (DesignView) and a Source tab (XmlSourceEditor).
// Leaving the Source tab applies the edited XML (ProjectDocument::replaceArtifactSource); when
// the document refuses it, the problem is shown with its line and column and the Source tab
// stays current.
class ArtifactEditor : public QTabWidget {
    Q_OBJECT
public:
    enum Page { DesignPage = 0, SourcePage = 1 };

    ArtifactEditor(ProjectDocument *document, const ArtifactId &artifact,
                   QWidget *parent = nullptr);
    ~ArtifactEditor() override;

    ArtifactId artifact() const { return m_artifact; }
    DesignView *designView() const { return m_design; }
    XmlSourceEditor *sourceEditor() const { return m_source; }

    // Switches pages; leaving Source applies it first. Returns false when the source was
    // refused (the editor then stays on Source, showing the problem).
    bool showDesign();
    void showSource();
    // Applies the source text if it was edited; false (problems shown) when refused.
    bool applySource();
    bool isSourceEdited() const;

signals:
    void selectionChanged(const sluice::studio::ArtifactId &artifact,
                          const sluice::studio::MediatorPath &path);
    void statusMessage(const QString &message);

private:
    void onCurrentChanged(int index);
    void reloadSource();
    void showDiagnostics(const Diagnostics &diagnostics);

    ProjectDocument *m_document;
    ArtifactId m_artifact;
    DesignView *m_design = nullptr;
    XmlSourceEditor *m_source = nullptr;
    QString m_loadedSource; // what the source editor was filled with
    int m_page = DesignPage;
    bool m_switching = false;
};

} // namespace sluice::studio
