// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace sluice {

// Where something was read from; line and column are 1-based, 0 means unknown.
struct SourceLocation {
    QString file;
    int line = 0;
    int column = 0;

    bool isValid() const { return !file.isEmpty(); }
    QString toString() const;
    bool operator==(const SourceLocation &) const = default;
};

} // namespace sluice
