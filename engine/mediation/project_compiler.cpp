// SPDX-License-Identifier: Apache-2.0
#include "project_compiler.h"

#include "api_resource_pattern.h"
#include "artifacts/artifact_io.h"
#include "artifacts/parameter_spec.h"
#include "forward_plan.h"
#include "transports/https_listener_tls.h"
#include "transports/ws_inbound_tls.h"

#include <QHash>
#include <QSet>
#include <functional>

namespace sluice {

namespace {

bool isDynamicKey(const QString &key)
{
    return key.startsWith(QLatin1Char('{'));
}

// Builds the runtime form of sequences and remembers what each one calls.
class Compiler {
public:
    Compiler(const Project &project, Diagnostics &diagnostics, const MediatorRegistry &registry)
        : m_project(project)
        , m_artifacts(project.artifacts)
        , m_diagnostics(diagnostics)
        , m_registry(registry)
    {
    }

    std::shared_ptr<MediationEnvironment> run()
    {
        m_environment = std::make_shared<MediationEnvironment>();
        checkDuplicates();
        for (const Sequence &sequence : m_artifacts.sequences)
            compileSequence(sequence, sequence.name, true);
        for (const ProxyService &proxy : m_artifacts.proxyServices)
            checkProxy(proxy);
        for (const Api &api : m_artifacts.apis)
            checkApi(api);
        for (const InboundEndpoint &inbound : m_artifacts.inboundEndpoints)
            checkInbound(inbound);
        checkReferences();
        checkCycles();
        checkSenderConfig();
        // The HTTPS listener's key store, read now so that `sluice validate` reports it.
        planHttpsListener(m_project, m_diagnostics);
        installFaultSequence();
        if (m_diagnostics.hasErrors())
            return nullptr;
        m_environment->setArtifacts(m_artifacts, m_project.config);
        return m_environment;
    }

private:
    struct Call {
        QString target;
        SourceLocation location;
    };

    void compileSequence(const Sequence &sequence, const QString &registeredName, bool named)
    {
        MediatorBuildContext context(m_registry, m_diagnostics);
        auto compiled = std::make_shared<CompiledSequence>();
        compiled->name = registeredName;
        compiled->onError = sequence.onError;
        compiled->location = sequence.location;
        compiled->mediators = context.buildList(sequence.mediators);
        compiled->forward = ForwardPlan::of(compiled->mediators);
        for (const auto &ref : context.sequenceReferences()) {
            if (!isDynamicKey(ref.name))
                m_calls[registeredName].append({ref.name, ref.location});
        }
        for (const auto &ref : context.endpointReferences()) {
            if (!isDynamicKey(ref.name))
                m_endpointRefs.append({ref.name, ref.location});
        }
        if (!sequence.onError.isEmpty())
            m_faultRefs.append({sequence.onError, sequence.location});
        if (named || !m_environment->sequence(registeredName))
            m_environment->addSequence(std::move(compiled));
    }

    void checkSequenceReference(const SequenceReference &reference, const QString &kind,
                                const QString &owner, const QString &role)
    {
        if (reference.inlineSequence) {
            compileSequence(*reference.inlineSequence, inlineSequenceName(kind, owner, role),
                            false);
        } else if (!reference.key.isEmpty() && !isDynamicKey(reference.key)) {
            m_faultRefs.append({reference.key, reference.location});
        }
    }

    void checkProxy(const ProxyService &proxy)
    {
        for (const QString &transport : proxy.transports) {
            if (transport != QLatin1String("http") && transport != QLatin1String("https")) {
                m_diagnostics.error(proxy.location,
                                    QStringLiteral("proxy '%1': unsupported transport '%2' "
                                                   "(supported: http, https)")
                                        .arg(proxy.name, transport));
            }
        }
        const ProxyTarget &target = proxy.target;
        checkSequenceReference(target.inSequence, QStringLiteral("proxy"), proxy.name,
                               QStringLiteral("inSequence"));
        checkSequenceReference(target.outSequence, QStringLiteral("proxy"), proxy.name,
                               QStringLiteral("outSequence"));
        checkSequenceReference(target.faultSequence, QStringLiteral("proxy"), proxy.name,
                               QStringLiteral("faultSequence"));
        if (!target.endpointKey.isEmpty())
            m_endpointRefs.append({target.endpointKey, target.location});
        if (!target.inSequence.isSet() && target.endpointKey.isEmpty() && !target.inlineEndpoint) {
            m_diagnostics.error(target.location.isValid() ? target.location : proxy.location,
                                QStringLiteral("proxy '%1' has neither an inSequence nor an "
                                               "endpoint in its <target>")
                                    .arg(proxy.name));
        }
    }

    void checkApi(const Api &api)
    {
        // Synapse refuses a version without a version-type (VersionStrategyFactory).
        if (!api.version.isEmpty() && api.versionType.isEmpty()) {
            m_diagnostics.error(api.location,
                                QStringLiteral("api '%1': version '%2' needs a version-type "
                                               "(context or url)")
                                    .arg(api.name, api.version));
        }
        for (size_t i = 0; i < api.resources.size(); ++i) {
            const ApiResource &resource = api.resources[i];
            const QString owner = api.name + QLatin1Char(':') + QString::number(i);
            QString patternError;
            if (!ApiResourcePattern::parse(resource.uriTemplate, resource.urlMapping,
                                           &patternError)) {
                m_diagnostics.error(resource.location,
                                    QStringLiteral("api '%1': %2").arg(api.name, patternError));
            }
            checkSequenceReference(resource.inSequence, QStringLiteral("api"), owner,
                                   QStringLiteral("inSequence"));
            checkSequenceReference(resource.outSequence, QStringLiteral("api"), owner,
                                   QStringLiteral("outSequence"));
            checkSequenceReference(resource.faultSequence, QStringLiteral("api"), owner,
                                   QStringLiteral("faultSequence"));
        }
    }

    void checkInbound(const InboundEndpoint &inbound)
    {
        const QString protocol = inbound.protocol;
        if (protocol != QLatin1String("ws") && protocol != QLatin1String("wss")) {
            m_diagnostics.error(inbound.location,
                                QStringLiteral("inbound endpoint '%1': protocol '%2' is not "
                                               "supported (supported: ws, wss)")
                                    .arg(inbound.name, protocol));
            return;
        }
        if (!inbound.className.isEmpty()) {
            m_diagnostics.error(inbound.location,
                                QStringLiteral("inbound endpoint '%1': custom class '%2' "
                                               "cannot run in Sluice")
                                    .arg(inbound.name, inbound.className));
        }
        if (inbound.sequence.isEmpty()) {
            m_diagnostics.error(inbound.location,
                                QStringLiteral("inbound endpoint '%1' needs the attribute "
                                               "'sequence'")
                                    .arg(inbound.name));
        } else {
            m_faultRefs.append({inbound.sequence, inbound.location});
        }
        if (!inbound.onError.isEmpty())
            m_faultRefs.append({inbound.onError, inbound.location});
        if (!inbound.suspend.isEmpty() && inbound.suspend != QLatin1String("true") &&
            inbound.suspend != QLatin1String("false")) {
            m_diagnostics.error(inbound.location,
                                QStringLiteral("inbound endpoint '%1': suspend must be true or "
                                               "false, not '%2'")
                                    .arg(inbound.name, inbound.suspend));
        }
        QSet<QString> seen;
        for (const NamedValue &parameter : inbound.parameters) {
            if (seen.contains(parameter.name)) {
                m_diagnostics.error(parameter.location,
                                    QStringLiteral("inbound endpoint '%1': parameter '%2' is "
                                                   "given twice")
                                        .arg(inbound.name, parameter.name));
            }
            seen.insert(parameter.name);
            const ParameterSpec *spec = findInboundParameterSpec(protocol, parameter.name);
            if (!spec) {
                m_diagnostics.error(parameter.location,
                                    QStringLiteral("inbound endpoint '%1': unknown parameter "
                                                   "'%2' for protocol %3")
                                        .arg(inbound.name, parameter.name, protocol));
                continue;
            }
            if (auto problem = checkParameterValue(*spec, parameter.value)) {
                m_diagnostics.error(parameter.location,
                                    QStringLiteral("inbound endpoint '%1': bad value for "
                                                   "'%2': %3")
                                        .arg(inbound.name, parameter.name, *problem));
            } else if (spec->kind == ParameterSpec::Kind::SequenceReference) {
                m_faultRefs.append({parameter.value.trimmed(), parameter.location});
            }
        }
        for (const ParameterSpec &spec : inboundParameterSpecs(protocol)) {
            if (spec.required && !seen.contains(spec.name)) {
                m_diagnostics.error(inbound.location,
                                    QStringLiteral("inbound endpoint '%1' needs the parameter "
                                                   "'%2'")
                                        .arg(inbound.name, spec.name));
            }
        }
        checkPortClash(inbound);
        // The key store is read now, so that a bad one fails validation, not the first client.
        if (protocol == QLatin1String("wss"))
            wssInboundTls(inbound, projectDirectoryOf(m_project.rootPath), m_diagnostics);
    }

    void checkPortClash(const InboundEndpoint &inbound)
    {
        const NamedValue *port = inbound.findParameter(QStringLiteral("inbound.ws.port"));
        if (!port)
            return;
        int number = port->value.trimmed().toInt();
        if (inbound.parameter(QStringLiteral("ws.use.port.offset")).trimmed() ==
            QLatin1String("true"))
            number += m_project.config.server.offset;
        auto it = m_ports.constFind(number);
        if (it != m_ports.constEnd()) {
            m_diagnostics.error(port->location,
                                QStringLiteral("inbound endpoint '%1': port %2 is already used "
                                               "by inbound endpoint '%3'")
                                    .arg(inbound.name)
                                    .arg(number)
                                    .arg(it.value()));
        } else {
            m_ports.insert(number, inbound.name);
        }
    }

    void checkDuplicates()
    {
        QHash<QString, std::pair<QString, SourceLocation>> registryKeys;
        auto claim = [&](const QString &name, const QString &kind, const SourceLocation &where) {
            if (name.isEmpty())
                return;
            auto it = registryKeys.constFind(name);
            if (it != registryKeys.constEnd()) {
                m_diagnostics.error(where, QStringLiteral("duplicate name '%1': this %2 clashes "
                                                          "with the %3 at %4")
                                               .arg(name, kind, it->first, it->second.toString()));
                return;
            }
            registryKeys.insert(name, {kind, where});
        };
        for (const Sequence &s : m_artifacts.sequences)
            claim(s.name, QStringLiteral("sequence"), s.location);
        for (const EndpointDefinition &e : m_artifacts.endpoints)
            claim(e.name, QStringLiteral("endpoint"), e.location);
        for (const LocalEntry &l : m_artifacts.localEntries)
            claim(l.key, QStringLiteral("local entry"), l.location);

        QHash<QString, SourceLocation> services;
        auto claimService = [&](const QString &name, const QString &kind,
                                const SourceLocation &where) {
            auto it = services.constFind(kind + QLatin1Char(':') + name);
            if (it != services.constEnd()) {
                m_diagnostics.error(where, QStringLiteral("duplicate %1 name '%2' (also at %3)")
                                               .arg(kind, name, it->toString()));
                return;
            }
            services.insert(kind + QLatin1Char(':') + name, where);
        };
        for (const ProxyService &p : m_artifacts.proxyServices)
            claimService(p.name, QStringLiteral("proxy service"), p.location);
        for (const Api &a : m_artifacts.apis) {
            claimService(a.name, QStringLiteral("API"), a.location);
            claimService(a.context + QLatin1Char('/') + a.version, QStringLiteral("API context"),
                         a.location);
        }
        for (const InboundEndpoint &i : m_artifacts.inboundEndpoints)
            claimService(i.name, QStringLiteral("inbound endpoint"), i.location);
    }

    bool sequenceExists(const QString &name) const
    {
        return name == QLatin1String("fault") || m_artifacts.findSequence(name) != nullptr;
    }

    void checkReferences()
    {
        for (const Call &ref : std::as_const(m_faultRefs)) {
            if (!sequenceExists(ref.target)) {
                m_diagnostics.error(ref.location,
                                    QStringLiteral("sequence '%1' does not exist").arg(ref.target));
            }
        }
        for (auto it = m_calls.constBegin(); it != m_calls.constEnd(); ++it) {
            for (const Call &call : it.value()) {
                if (!sequenceExists(call.target)) {
                    m_diagnostics.error(
                        call.location,
                        QStringLiteral("sequence '%1' does not exist").arg(call.target));
                }
            }
        }
        for (const Call &ref : std::as_const(m_endpointRefs)) {
            if (!m_artifacts.findEndpoint(ref.target)) {
                m_diagnostics.error(ref.location,
                                    QStringLiteral("endpoint '%1' does not exist").arg(ref.target));
            }
        }
    }

    // A sequence that ends up calling itself would recurse until the stack is gone.
    void checkCycles()
    {
        enum class Mark { None, Active, Done };
        QHash<QString, Mark> marks;
        QStringList path;
        std::function<void(const QString &)> visit = [&](const QString &name) {
            marks[name] = Mark::Active;
            path.append(name);
            for (const Call &call : m_calls.value(name)) {
                const Mark mark = marks.value(call.target, Mark::None);
                if (mark == Mark::Active) {
                    QStringList cycle = path.mid(path.indexOf(call.target));
                    cycle.append(call.target);
                    m_diagnostics.error(call.location,
                                        QStringLiteral("sequence cycle: %1")
                                            .arg(cycle.join(QStringLiteral(" -> "))));
                } else if (mark == Mark::None && m_calls.contains(call.target)) {
                    visit(call.target);
                }
            }
            path.removeLast();
            marks[name] = Mark::Done;
        };
        QStringList names = m_calls.keys();
        names.sort();
        for (const QString &name : names) {
            if (marks.value(name, Mark::None) == Mark::None)
                visit(name);
        }
    }

    // The sender's own outflow sequences only see replies to messages that did not come from a
    // WebSocket client (those use their inbound endpoint's), i.e. from proxies and APIs.
    void checkSenderConfig()
    {
        if (m_artifacts.proxyServices.empty() && m_artifacts.apis.empty())
            return;
        const auto check = [&](const WebSocketSenderConfig &sender, const QString &scheme) {
            if (!sender.enabled)
                return;
            for (const QString &name :
                 {sender.outflowDispatchSequence, sender.outflowFaultSequence}) {
                if (!name.isEmpty() && !sequenceExists(name)) {
                    m_diagnostics.warning(
                        sender.location.isValid() ? sender.location
                                                  : SourceLocation{m_project.config.sourceFile},
                        QStringLiteral("[transport.%1] names sequence '%2', which the project "
                                       "does not define; backend messages that reach it are "
                                       "logged and dropped")
                            .arg(scheme, name));
                }
            }
        };
        check(m_project.config.ws, QStringLiteral("ws"));
        check(m_project.config.wss, QStringLiteral("wss"));
    }

    void installFaultSequence()
    {
        if (auto user = m_environment->sequence(QStringLiteral("fault"))) {
            m_environment->setFaultSequence(user);
            return;
        }
        Diagnostics internal;
        ArtifactSet builtIn = readArtifactData(
            defaultFaultSequenceXml(), QStringLiteral("<built-in fault sequence>"), internal);
        if (builtIn.sequences.empty())
            return;
        MediatorBuildContext context(m_registry, internal);
        auto compiled = std::make_shared<CompiledSequence>();
        compiled->name = QStringLiteral("fault");
        compiled->mediators = context.buildList(builtIn.sequences.front().mediators);
        m_environment->setFaultSequence(compiled);
    }

    const Project &m_project;
    const ArtifactSet &m_artifacts;
    Diagnostics &m_diagnostics;
    const MediatorRegistry &m_registry;
    std::shared_ptr<MediationEnvironment> m_environment;
    QHash<QString, QList<Call>> m_calls;
    QList<Call> m_faultRefs;
    QList<Call> m_endpointRefs;
    QHash<int, QString> m_ports;
};

} // namespace

QString inlineSequenceName(const QString &kind, const QString &owner, const QString &role)
{
    return kind + QLatin1Char(':') + owner + QLatin1Char(':') + role;
}

QString sequenceReferenceName(const SequenceReference &reference, const QString &kind,
                              const QString &owner, const QString &role)
{
    if (reference.inlineSequence)
        return inlineSequenceName(kind, owner, role);
    return reference.key;
}

QByteArray defaultFaultSequenceXml()
{
    return QByteArrayLiteral(
        "<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"fault\">"
        "<log level=\"full\">"
        "<property name=\"MESSAGE\" value=\"Executing default 'fault' sequence\"/>"
        "<property name=\"ERROR_CODE\" expression=\"get-property('ERROR_CODE')\"/>"
        "<property name=\"ERROR_MESSAGE\" expression=\"get-property('ERROR_MESSAGE')\"/>"
        "</log><drop/></sequence>");
}

std::shared_ptr<MediationEnvironment>
compileProject(const Project &project, Diagnostics &diagnostics, const MediatorRegistry &registry)
{
    Compiler compiler(project, diagnostics, registry);
    return compiler.run();
}

} // namespace sluice
