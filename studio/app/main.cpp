// SPDX-License-Identifier: Apache-2.0
// sluice-studio [project folder | synapse.xml | .car]

#include "app/main_window.h"
#include "app/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTimer>
#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("sluice"));
    QApplication::setApplicationName(QStringLiteral("sluice-studio"));
    QApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));
    // Matches packaging/io.sluice.Studio.desktop, so that desktops show its name and icon.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.sluice.Studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Edits WSO2 Micro Integrator / Synapse integration projects visually."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption darkOption(QStringLiteral("dark"),
                                        QStringLiteral("Use the dark theme."));
    parser.addOption(darkOption);
    // For the user guide's screenshots and the install test (scripts/test-install), which run
    // the studio on the offscreen platform where no outside tool can capture a window.
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QStringLiteral("Save the main window as a PNG image to FILE once it is shown, then quit."),
        QStringLiteral("FILE"));
    parser.addOption(screenshotOption);
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("The project to open (folder, XML or .car)."));
    parser.process(app);

    const bool dark =
        parser.isSet(darkOption) || QSettings().value(QStringLiteral("darkTheme")).toBool();
    sluice::studio::applyTheme(dark ? sluice::studio::Theme::Dark : sluice::studio::Theme::Light);

    sluice::studio::MainWindow window;
    QObject::connect(&app, &QApplication::aboutToQuit, &window, [&window] {
        QSettings().setValue(QStringLiteral("darkTheme"),
                             window.theme() == sluice::studio::Theme::Dark);
    });
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openProject(parser.positionalArguments().constFirst());
    if (parser.isSet(screenshotOption)) {
        // Half a second lets the work the window queued on showing (layout, the project's
        // validation) land before the capture.
        const QString file = parser.value(screenshotOption);
        QTimer::singleShot(500, &window, [&window, file] {
            const bool saved = window.grab().save(file, "PNG");
            if (!saved)
                std::fprintf(stderr, "sluice-studio: cannot write the screenshot to %s\n",
                             qPrintable(file));
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
