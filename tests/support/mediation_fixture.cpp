// SPDX-License-Identifier: Apache-2.0
#include "mediation_fixture.h"

#include "artifacts/artifact_io.h"
#include "mediation/executor.h"
#include "mediation/project_compiler.h"
#include "runtime/logger.h"

namespace sluice::test {

MediationFixture::MediationFixture()
    : m_sender(std::make_shared<RecordingSender>())
    , m_responses(std::make_shared<RecordingResponseChannel>())
{
    m_project.rootPath = QStringLiteral("fixture");
    Logger::instance().setLevel(LogLevel::Trace);
    Logger::instance().setSink([this](LogLevel level, const QString &category,
                                      const QString &message) {
        m_logLines.append(QStringLiteral("%1 [%2] %3").arg(logLevelName(level), category, message));
    });
}

MediationFixture::~MediationFixture()
{
    // Recorded messages hold the environment, which holds the sender: break the cycle.
    m_sender->sent.clear();
    m_sender->callHandler = nullptr;
    if (m_environment)
        m_environment.reset();
    Logger::instance().setSink(nullptr);
    Logger::instance().setLevel(LogLevel::Info);
}

bool MediationFixture::addArtifact(const QString &xml, const QString &displayName)
{
    Diagnostics local;
    ArtifactSet set = readArtifactData(xml.toUtf8(), displayName, local);
    m_diagnostics.append(local);
    m_project.artifacts.append(std::move(set));
    m_environment.reset();
    return !local.hasErrors();
}

bool MediationFixture::compile()
{
    if (m_diagnostics.hasErrors())
        return false;
    m_environment = compileProject(m_project, m_diagnostics);
    if (!m_environment)
        return false;
    for (const char *scheme : {"ws", "wss", "http", "https"})
        m_environment->setSender(QString::fromLatin1(scheme), m_sender);
    return true;
}

std::shared_ptr<MessageContext> MediationFixture::newMessage(const QByteArray &payload,
                                                             const QString &contentType)
{
    if (!m_environment)
        compile();
    auto fresh = std::make_shared<MessageContext>(
        m_environment ? m_environment : std::make_shared<MediationEnvironment>());
    fresh->setReceivedPayload(payload, contentType, FrameKind::Text);
    fresh->setResponseChannel(m_responses);
    fresh->setChannelId(QStringLiteral("test-channel"));
    fresh->setCompletionHandler([this](MessageContext &) { ++m_completions; });
    return fresh;
}

std::shared_ptr<MessageContext>
MediationFixture::run(const QString &sequence, const std::shared_ptr<MessageContext> &message)
{
    if (!m_environment && !compile())
        return message;
    auto compiled = m_environment->sequence(sequence);
    if (!compiled) {
        m_diagnostics.error({}, QStringLiteral("fixture: no sequence '%1'").arg(sequence));
        return message;
    }
    Executor::start(message, compiled);
    return message;
}

std::shared_ptr<MessageContext> MediationFixture::run(const QString &sequence,
                                                      const QByteArray &payload,
                                                      const QString &contentType)
{
    return run(sequence, newMessage(payload, contentType));
}

bool MediationFixture::logContains(const QString &text) const
{
    for (const QString &line : m_logLines) {
        if (line.contains(text))
            return true;
    }
    return false;
}

} // namespace sluice::test
