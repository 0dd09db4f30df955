// SPDX-License-Identifier: Apache-2.0
// The status bar's busy indicator for long operations: overlapping operations, the scope that
// paints it before synchronous work, and the main window showing it while a project opens, is
// deployed and redeployed on the embedded runtime (a copy of projects/websocket-echo on free
// ports), is refused (its port taken), and is exported.

#include "app/busy_indicator.h"
#include "app/main_window.h"
#include "app/runtime_controller.h"
#include "run_test_support.h"

#include <QApplication>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using namespace sluice::studio;

class TestStudioProgress : public QObject {
    Q_OBJECT

private slots:
    void overlappingOperations()
    {
        QWidget parent;
        auto *indicator = new BusyIndicator(&parent);
        parent.show();
        QSignalSpy busy(indicator, &BusyIndicator::busyChanged);
        QVERIFY(!indicator->isVisible());
        indicator->start(QStringLiteral("Deploying a"));
        indicator->start(QStringLiteral("Exporting a"));
        QVERIFY(indicator->isVisible());
        QCOMPARE(indicator->text(), QStringLiteral("Exporting a\u2026"));
        indicator->finish();
        QVERIFY(indicator->isBusy());
        indicator->finish();
        QVERIFY(!indicator->isBusy());
        QVERIFY(!indicator->isVisible());
        indicator->finish(); // one finish too many changes nothing
        QCOMPARE(busy.count(), 2);
        QCOMPARE(busy.at(0).at(0).toBool(), true);
        QCOMPARE(busy.at(1).at(0).toBool(), false);
    }

    void scopeShowsDuringSynchronousWork()
    {
        QWidget parent;
        auto *indicator = new BusyIndicator(&parent);
        parent.show();
        {
            const BusyIndicator::Scope scope(indicator, QStringLiteral("Checking"));
            QVERIFY(indicator->isVisible());
            QVERIFY(QApplication::overrideCursor());
            QCOMPARE(QApplication::overrideCursor()->shape(), Qt::WaitCursor);
        }
        QVERIFY(!indicator->isBusy());
        QVERIFY(!QApplication::overrideCursor());
    }

    void mainWindowShowsOpenDeployRedeployAndExport()
    {
        QTemporaryDir dir;
        QList<int> ports;
        const QString project = testing::makeEchoCopy(dir, ports);
        QVERIFY(!project.isEmpty());

        MainWindow window;
        window.setConfirmHandler(
            [](const QString &) { return MainWindow::UnsavedChoice::Discard; });
        window.show();
        BusyIndicator *indicator = window.busyIndicator();
        QVERIFY(window.statusBar()->isAncestorOf(indicator));
        // What the indicator said each time it appeared.
        QStringList shown;
        connect(indicator, &BusyIndicator::busyChanged, this, [&](bool busy) {
            if (busy)
                shown << indicator->text();
        });

        QVERIFY(window.openProject(project));
        QCOMPARE(shown, QStringList{QStringLiteral("Opening and checking websocket-echo\u2026")});
        QVERIFY(!indicator->isBusy());

        // A deploy runs on the runtime's thread: the indicator stays until it answers.
        QVERIFY(window.runProject());
        QVERIFY(indicator->isVisible());
        QCOMPARE(indicator->text(), QStringLiteral("Deploying websocket-echo\u2026"));
        QTRY_VERIFY_WITH_TIMEOUT(window.runtime()->state() == RuntimeState::Running, 10000);
        QTRY_VERIFY(!indicator->isBusy());

        QVERIFY(window.redeployProject());
        QCOMPARE(indicator->text(), QStringLiteral("Redeploying websocket-echo\u2026"));
        QTRY_VERIFY_WITH_TIMEOUT(!indicator->isBusy(), 10000);
        QCOMPARE(window.runtime()->state(), RuntimeState::Running);

        window.stopProject();
        QTRY_VERIFY_WITH_TIMEOUT(window.runtime()->state() == RuntimeState::Stopped, 10000);

        // A refused deploy (the client port taken) ends the indicator as well.
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, quint16(ports[0])));
        QVERIFY(window.runProject());
        QVERIFY(indicator->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(window.runtime()->state() == RuntimeState::Failed, 10000);
        QTRY_VERIFY(!indicator->isBusy());
        squatter.close();

        shown.clear();
        QVERIFY(window.exportArchive(dir.filePath(QStringLiteral("echo.zip"))));
        QVERIFY(window.exportFolder(dir.filePath(QStringLiteral("exported"))));
        QCOMPARE(shown, (QStringList{QStringLiteral("Exporting websocket-echo\u2026"),
                                     QStringLiteral("Exporting websocket-echo\u2026")}));
        QVERIFY(!indicator->isBusy());
    }
};

QTEST_MAIN(TestStudioProgress)
#include "tst_studio_progress.moc"
