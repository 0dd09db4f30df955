// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runtime_controller.h"

#include <QThread>

namespace sluice {
class Runtime;
}

namespace sluice::studio {

// The studio's own copy of the runtime. A sluice::Runtime lives on a dedicated QThread (its
// connections run on the runtime's worker threads as in `sluice run`); the GUI only posts
// calls to that thread and gets the results back as queued calls, so it never waits for a
// deploy, a port that does not open or a connection that does not close. Status and
// connections are polled from the runtime thread while running.
class EmbeddedRuntime : public RuntimeController {
    Q_OBJECT
public:
    explicit EmbeddedRuntime(QObject *parent = nullptr);
    // Shuts the runtime down and waits for its thread.
    ~EmbeddedRuntime() override;

    QString description() const override;
    void run(const QString &projectPath) override;
    void stop() override;
    void redeploy(const QString &projectPath) override;
    void closeConnection(const QString &id, int code, const QString &reason) override;

    // How often status and connections are polled while running (ms).
    void setPollInterval(int ms) { m_pollTimer.setInterval(ms); }

private:
    // Runs `work` on the runtime thread with the runtime.
    template <typename Work> void onRuntimeThread(Work work);
    void poll();

    QThread m_thread;
    QObject *m_host = nullptr;            // lives on m_thread; parent of the runtime
    sluice::Runtime *m_runtime = nullptr; // touched only on m_thread
    QTimer m_pollTimer;
    bool m_pollPending = false;
};

} // namespace sluice::studio
