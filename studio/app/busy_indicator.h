// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;

namespace sluice::studio {

// The status bar's sign that a long operation runs: "Deploying websocket-echo…" beside a busy
// progress bar, hidden when nothing runs. Asynchronous work (a deploy on the runtime's thread or
// to a remote runtime) calls start() and finish(); synchronous work in the GUI thread (opening
// and checking a project, exporting) uses a Scope, which also paints the indicator at once and
// shows the wait cursor, since the event loop does not run until the work is done.
class BusyIndicator : public QWidget {
    Q_OBJECT
public:
    explicit BusyIndicator(QWidget *parent = nullptr);

    // Operations may overlap; the newest one's text is shown until every one has finished.
    void start(const QString &what);
    void finish();
    bool isBusy() const { return m_running > 0; }
    QString text() const;

    class Scope {
    public:
        Scope(BusyIndicator *indicator, const QString &what);
        ~Scope();
        Scope(const Scope &) = delete;
        Scope &operator=(const Scope &) = delete;

    private:
        BusyIndicator *m_indicator;
    };

signals:
    void busyChanged(bool busy);

private:
    QLabel *m_label = nullptr;
    QProgressBar *m_bar = nullptr;
    int m_running = 0;
};

} // namespace sluice::studio
