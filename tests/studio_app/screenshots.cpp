// SPDX-License-Identifier: Apache-2.0
// The main window with the websocket-to-websocket sample open and dispatchSeq on the canvas,
// in the light and the dark theme, for docs/images:
//   studio-light.png, studio-dark.png
// Usage: studio_app_screenshots [output dir] [--extra]   (default dir: docs/images; --extra
// adds studio-start, studio-inbound and studio-source, for looking at)

#include "app/artifact_editor.h"
#include "app/design_view.h"
#include "app/main_window.h"
#include "app/theme.h"
#include "app_test_support.h"
#include "widgets/flow_scene.h"
#include "widgets/flow_view.h"

#include <QApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

using namespace sluice;
using namespace sluice::studio;

namespace {

// For looking at, not for the docs: the start page and the inbound endpoint's dispatch tabs.
bool shootExtra(const QString &project, const QDir &dir)
{
    MainWindow window;
    window.setConfirmHandler([](const QString &) { return MainWindow::UnsavedChoice::Discard; });
    window.setTheme(Theme::Light);
    window.resize(1360, 820);
    window.show();
    QApplication::processEvents();
    bool ok = window.grab().save(dir.filePath(QStringLiteral("studio-start.png")), "PNG");
    if (!window.openProject(project))
        return false;
    ArtifactEditor *editor =
        window.openArtifact({ArtifactKind::InboundEndpoint, QStringLiteral("websocket")});
    if (!editor)
        return false;
    editor->designView()->setCurrentList(1);
    QApplication::processEvents();
    ok = window.grab().save(dir.filePath(QStringLiteral("studio-inbound.png")), "PNG") && ok;
    editor->showSource();
    QApplication::processEvents();
    ok = window.grab().save(dir.filePath(QStringLiteral("studio-source.png")), "PNG") && ok;
    return ok;
}

bool shoot(const QString &project, Theme theme, const QString &path)
{
    MainWindow window;
    window.setConfirmHandler([](const QString &) { return MainWindow::UnsavedChoice::Discard; });
    window.setTheme(theme);
    window.resize(1360, 820);
    window.show();
    if (!window.openProject(project))
        return false;
    ArtifactEditor *editor =
        window.openArtifact({ArtifactKind::Sequence, QStringLiteral("dispatchSeq")});
    window.openArtifact({ArtifactKind::InboundEndpoint, QStringLiteral("websocket")});
    window.openArtifact({ArtifactKind::Sequence, QStringLiteral("dispatchSeq")});
    if (!editor)
        return false;
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    editor->designView()->scene()->selectNode({3});
    editor->designView()->view()->scrollToStart();
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    const bool ok = window.grab().save(path, "PNG");
    QTextStream(stdout) << (ok ? "wrote " : "FAILED ") << QDir::toNativeSeparators(path) << '\n';
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("sluice-tests"));
    QApplication::setApplicationName(QStringLiteral("studio_app_screenshots"));
    QSettings().remove(QStringLiteral("recentProjects")); // the same pictures every run

    QStringList arguments = QCoreApplication::arguments().mid(1);
    arguments.removeAll(QStringLiteral("--extra"));
    const QString output =
        arguments.isEmpty() ? QStringLiteral(SLUICE_DOCS_IMAGES) : arguments.constFirst();
    if (!QDir().mkpath(output))
        return 1;
    // A copy, so that the window shows a neutral path and nothing can touch the sample.
    QTemporaryDir temporary;
    const QString project = temporary.filePath(QStringLiteral("websocket-to-websocket"));
    if (!testing::copyTree(testing::sampleProject(QStringLiteral("websocket-to-websocket")),
                           project))
        return 1;
    const QDir dir(QDir::cleanPath(output));
    bool ok = shoot(project, Theme::Light, dir.filePath(QStringLiteral("studio-light.png")));
    ok = shoot(project, Theme::Dark, dir.filePath(QStringLiteral("studio-dark.png"))) && ok;
    if (QCoreApplication::arguments().contains(QStringLiteral("--extra")))
        ok = shootExtra(project, dir) && ok;
    return ok ? 0 : 1;
}
