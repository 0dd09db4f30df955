// SPDX-License-Identifier: Apache-2.0
// sluice-studio [project folder | synapse.xml | .car]

#include "app/main_window.h"
#include "app/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("sluice"));
    QApplication::setApplicationName(QStringLiteral("sluice-studio"));
    QApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Edits WSO2 Micro Integrator / Synapse integration projects visually."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption darkOption(QStringLiteral("dark"),
                                        QStringLiteral("Use the dark theme."));
    parser.addOption(darkOption);
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
    return QApplication::exec();
}
