// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace sluice::cli {

// The progress of a long command on stderr: "[2/3] compiling 1200 artifacts". On a terminal
// one line is rewritten in place and erased at the end; with --progress on a pipe every step is
// a line of its own (for logs and tests); otherwise nothing is printed, so that scripts reading
// stderr see only problems.
class ProgressLine {
public:
    explicit ProgressLine(bool requested);
    ~ProgressLine();
    ProgressLine(const ProgressLine &) = delete;
    ProgressLine &operator=(const ProgressLine &) = delete;

    void step(int index, int total, const QString &what);
    // Erases the terminal line (before results are printed); later steps start a new one.
    void finish();
    bool enabled() const { return m_mode != Mode::Off; }

private:
    enum class Mode { Off, Terminal, Lines };
    Mode m_mode = Mode::Off;
    bool m_lineShown = false;
};

} // namespace sluice::cli
