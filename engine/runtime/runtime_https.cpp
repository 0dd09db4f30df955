// SPDX-License-Identifier: Apache-2.0
// The HTTPS listener's part of a deployment, beside the HTTP listener's in runtime.cpp.
#include "runtime.h"

#include "logger.h"
#include "transports/http_listener.h"
#include "transports/http_proxy_service.h"
#include "transports/https_listener_tls.h"

namespace sluice {

bool Runtime::prepareHttpsListener(const Project &project, std::unique_ptr<HttpListener> &started,
                                   Diagnostics &diagnostics)
{
    // The compiler has reported the plan's warnings already; only errors can be new here (a key
    // store changed on disk in between).
    Diagnostics planned;
    const std::optional<HttpsListenerPlan> plan = planHttpsListener(project, planned);
    if (!plan) {
        diagnostics.append(planned);
        return false;
    }
    m_httpsWanted = plan->wanted;
    if (!plan->wanted)
        return true;
    HttpListenerSettings settings = HttpListenerSettings::httpsFromConfig(project.config);
    settings.tls = plan->tls;
    // Unchanged (address, port, certificate and limits): the listener and its clients stay.
    if (m_https && m_https->settings() == settings)
        return true;
    auto listener = std::make_unique<HttpListener>(settings, *m_workers);
    // A new certificate (or limits) on the same port: the running listener keeps the port until
    // the whole deployment has succeeded; commitHttpsListener() then starts this one in its place.
    if (m_https && m_https->settings().bindAddress == settings.bindAddress &&
        m_https->settings().port == settings.port) {
        started = std::move(listener);
        return true;
    }
    if (!startListener(*listener, project, QStringLiteral("HTTPS"),
                       QStringLiteral("https_listener_port"), diagnostics))
        return false;
    started = std::move(listener);
    return true;
}

void Runtime::commitHttpsListener(std::unique_ptr<HttpListener> started,
                                  const std::shared_ptr<MediationEnvironment> &environment)
{
    if (started || !m_httpsWanted) {
        if (m_https)
            m_https->stop();
        m_https = std::move(started);
    }
    QString error;
    if (m_https && m_https->port() == 0 && !m_https->start(&error)) {
        // Only when another process took the port in the moment it was free.
        Logger::instance().log(LogLevel::Error, QStringLiteral("runtime"),
                               QStringLiteral("the HTTPS listener could not take over its port: "
                                              "%1")
                                   .arg(error));
        m_https.reset();
    }
    if (m_https)
        m_https->setRoutes(buildProxyServiceRoutes(environment, true));
}

} // namespace sluice
