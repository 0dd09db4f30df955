// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/project.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "recording_sender.h"

#include <QStringList>
#include <memory>

namespace sluice::test {

// Runs sequences on messages with no network at all: artifacts are given as XML text, the
// senders for ws/wss/http/https record what they are handed, `respond` is recorded, and the
// runtime log is captured. Used by the mediator tests and reusable by transports and the studio.
class MediationFixture {
public:
    MediationFixture();
    ~MediationFixture();
    MediationFixture(const MediationFixture &) = delete;
    MediationFixture &operator=(const MediationFixture &) = delete;

    // Adds one artifact file's content (a <sequence>, <endpoint>, ... or <definitions>).
    // Returns false (and keeps the errors) when it does not read.
    bool addArtifact(const QString &xml, const QString &displayName = QStringLiteral("test.xml"));
    ProjectConfig &config() { return m_project.config; }

    // Compiles everything added; true when there was no error. errors() gives the text.
    bool compile();
    QString errors() const { return m_diagnostics.toString(); }
    const Diagnostics &diagnostics() const { return m_diagnostics; }
    std::shared_ptr<MediationEnvironment> environment() const { return m_environment; }

    std::shared_ptr<MessageContext>
    newMessage(const QByteArray &payload,
               const QString &contentType = QStringLiteral("application/json"));
    // Runs a named sequence (compiling first if needed) until it ends or suspends.
    std::shared_ptr<MessageContext> run(const QString &sequence,
                                        const std::shared_ptr<MessageContext> &message);
    std::shared_ptr<MessageContext>
    run(const QString &sequence, const QByteArray &payload,
        const QString &contentType = QStringLiteral("application/json"));

    RecordingSender &sender() { return *m_sender; }
    RecordingResponseChannel &responses() { return *m_responses; }
    // Captured runtime log lines: "LEVEL [category] message".
    const QStringList &logLines() const { return m_logLines; }
    bool logContains(const QString &text) const;
    int completions() const { return m_completions; }

private:
    Project m_project;
    Diagnostics m_diagnostics;
    std::shared_ptr<MediationEnvironment> m_environment;
    std::shared_ptr<RecordingSender> m_sender;
    std::shared_ptr<RecordingResponseChannel> m_responses;
    QStringList m_logLines;
    int m_completions = 0;
};

} // namespace sluice::test
