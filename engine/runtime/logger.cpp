// SPDX-License-Identifier: Apache-2.0
#include "logger.h"

#include <QDateTime>
#include <cstdio>

namespace sluice {

std::optional<LogLevel> parseLogLevel(QStringView text)
{
    const QString t = text.toString().toLower();
    if (t == QLatin1String("trace"))
        return LogLevel::Trace;
    if (t == QLatin1String("debug"))
        return LogLevel::Debug;
    if (t == QLatin1String("info"))
        return LogLevel::Info;
    if (t == QLatin1String("warn") || t == QLatin1String("warning"))
        return LogLevel::Warn;
    if (t == QLatin1String("error") || t == QLatin1String("fatal"))
        return LogLevel::Error;
    if (t == QLatin1String("off"))
        return LogLevel::Off;
    return std::nullopt;
}

QString logLevelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Trace:
        return QStringLiteral("TRACE");
    case LogLevel::Debug:
        return QStringLiteral("DEBUG");
    case LogLevel::Info:
        return QStringLiteral("INFO");
    case LogLevel::Warn:
        return QStringLiteral("WARN");
    case LogLevel::Error:
        return QStringLiteral("ERROR");
    case LogLevel::Off:
        break;
    }
    return QStringLiteral("OFF");
}

void Logger::setSink(Sink sink)
{
    QMutexLocker lock(&m_mutex);
    m_sink = std::move(sink);
}

void Logger::log(LogLevel level, const QString &category, const QString &message)
{
    if (!isEnabled(level))
        return;
    QMutexLocker lock(&m_mutex);
    if (m_sink) {
        m_sink(level, category, message);
        return;
    }
    // One event, one line: embedded newlines would break line-oriented log readers.
    QString flat = message;
    flat.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    const QByteArray line = QStringLiteral("%1 %2 [%3] %4\n")
                                .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs),
                                     logLevelName(level).leftJustified(5), category, flat)
                                .toUtf8();
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

} // namespace sluice
