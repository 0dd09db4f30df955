// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>
#include <QWidget>

class QListWidget;
class QListWidgetItem;

namespace sluice::studio {

// Where the bundled sample projects are: $SLUICE_PROJECTS_DIR, else ../share/sluice/projects
// next to the executable, else (development builds) the source tree's projects/.
QString sampleProjectsDirectory();
// The sample project folders (each holding deployment.toml or src/), sorted by name.
QStringList sampleProjects();

// Recently opened projects (QSettings "recentProjects"), newest first.
QStringList recentProjects();
void addRecentProject(const QString &path);
void removeRecentProject(const QString &path);

// What the main window shows while no project is open: New / Open buttons, the bundled
// samples and the recent projects.
class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);
    ~StartPage() override;

    QListWidget *samplesList() const { return m_samples; }
    QListWidget *recentList() const { return m_recent; }

public slots:
    void refresh();

signals:
    void newProjectRequested();
    void openProjectRequested();
    void openPathRequested(const QString &path);
    void openSampleRequested(const QString &path);

private:
    QListWidget *m_samples = nullptr;
    QListWidget *m_recent = nullptr;
};

} // namespace sluice::studio
