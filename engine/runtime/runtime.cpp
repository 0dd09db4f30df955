// SPDX-License-Identifier: Apache-2.0
#include "runtime.h"

#include "logger.h"
#include "mediation/project_compiler.h"

namespace sluice {

Runtime::Runtime(QObject *parent)
    : QObject(parent)
{
}

Runtime::~Runtime()
{
    shutdown();
}

bool Runtime::deploy(const QString &projectPath, Diagnostics &diagnostics)
{
    Project project = loadProject(projectPath, diagnostics);
    if (diagnostics.hasErrors())
        return false;
    auto environment = compileProject(project, diagnostics);
    if (!environment)
        return false;
    m_project = std::move(project);
    m_environment = std::move(environment);
    Logger::instance().log(LogLevel::Info, QStringLiteral("runtime"),
                           QStringLiteral("deployed %1 (%2 artifacts)")
                               .arg(projectPath)
                               .arg(m_project.artifacts.size()));
    return true;
}

void Runtime::shutdown()
{
    if (!m_environment)
        return;
    m_environment.reset();
    m_listening.clear();
    emit shutDown();
}

QStringList Runtime::listeningDescriptions() const
{
    return m_listening;
}

} // namespace sluice
