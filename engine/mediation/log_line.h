// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace sluice {

enum class Direction;
enum class FrameKind;

// What the line of a log mediator without properties is made of (levels simple and full):
// enough to build the line later. Message events record this instead of the line while nobody
// watches and the log level hides the line, so that a flow that logs every message does not
// format every line for a ring nobody may read (docs/events.md, "Cost").
struct LogLineInput {
    QString toAddress;
    quint64 messageId = 0;
    Direction direction;
    FrameKind frameKind;
    QByteArray payload; // only when the line shows it (showsPayload())
};

// Implemented by the log mediator: the line in Synapse's format from its parts.
class LogLineFormat {
public:
    virtual ~LogLineFormat() = default;
    virtual QString formatLine(const LogLineInput &input) const = 0;
    virtual bool showsPayload() const = 0;
    // The log category the line is written with (INFO, DEBUG, ...).
    virtual const QString &logCategory() const = 0;
};

} // namespace sluice
