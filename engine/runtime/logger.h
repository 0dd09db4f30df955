// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMutex>
#include <QString>
#include <functional>
#include <optional>

namespace sluice {

enum class LogLevel { Trace, Debug, Info, Warn, Error, Off };
std::optional<LogLevel> parseLogLevel(QStringView text); // trace, debug, info, warn, error, off
QString logLevelName(LogLevel level);

// Runtime log: one line per event on stderr, "time LEVEL [category] message". Thread-safe.
// Tests and the studio can install a sink to capture lines instead.
class Logger {
public:
    static Logger &instance();

    void setLevel(LogLevel level) { m_level = level; }
    LogLevel level() const { return m_level; }
    bool isEnabled(LogLevel level) const { return level >= m_level && level != LogLevel::Off; }
    void log(LogLevel level, const QString &category, const QString &message);

    using Sink = std::function<void(LogLevel, const QString &category, const QString &message)>;
    // Replaces stderr output (nullptr restores it).
    void setSink(Sink sink);

private:
    LogLevel m_level = LogLevel::Info;
    QMutex m_mutex;
    Sink m_sink;
};

// Inline: forward plans ask for the level once per message (ForwardPlan::modeIn).
inline Logger &Logger::instance()
{
    static Logger logger;
    return logger;
}

} // namespace sluice
