// SPDX-License-Identifier: Apache-2.0
#include "progress_line.h"

#include <cstdio>
#include <unistd.h>

namespace sluice::cli {

ProgressLine::ProgressLine(bool requested)
{
    if (isatty(fileno(stderr)))
        m_mode = Mode::Terminal;
    else if (requested)
        m_mode = Mode::Lines;
}

ProgressLine::~ProgressLine()
{
    finish();
}

void ProgressLine::step(int index, int total, const QString &what)
{
    if (m_mode == Mode::Off)
        return;
    const QByteArray text = QStringLiteral("[%1/%2] %3").arg(index).arg(total).arg(what).toUtf8();
    if (m_mode == Mode::Terminal) {
        // \r back to the start, \033[K clears what a longer previous step left.
        std::fprintf(stderr, "\r%s\033[K", text.constData());
        m_lineShown = true;
    } else {
        std::fprintf(stderr, "%s\n", text.constData());
    }
    std::fflush(stderr);
}

void ProgressLine::finish()
{
    if (m_mode == Mode::Terminal && m_lineShown) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        m_lineShown = false;
    }
}

} // namespace sluice::cli
