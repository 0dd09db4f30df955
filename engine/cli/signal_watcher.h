// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

class QSocketNotifier;

namespace sluice::cli {

// Turns SIGTERM / SIGINT / SIGHUP into Qt signals on the main event loop (the self-pipe
// pattern: a signal handler may only write to a descriptor).
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminateRequested(int signalNumber);
    void reloadRequested();

private:
    void readSignal();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace sluice::cli
