// SPDX-License-Identifier: Apache-2.0
#include "http_listener_settings.h"

#include "artifacts/project.h"

namespace sluice {

HttpListenerSettings HttpListenerSettings::fromConfig(const ProjectConfig &config)
{
    HttpListenerSettings settings;
    settings.bindAddress = config.server.bindAddress;
    // MI adds [server] offset to its pass-through ports; a port of 0 stays "any free port".
    settings.port = config.server.httpListenerPort == 0
                        ? 0
                        : config.server.httpListenerPort + config.server.offset;
    settings.maxRequestBytes = config.http.maxRequestBytes;
    settings.headerTimeoutMs = config.http.headerTimeoutMs;
    settings.drainTimeoutMs = config.http.drainTimeoutMs;
    settings.idleTimeoutMs = config.http.idleTimeoutMs;
    return settings;
}

HttpListenerSettings HttpListenerSettings::httpsFromConfig(const ProjectConfig &config)
{
    HttpListenerSettings settings = fromConfig(config);
    settings.port = config.server.httpsListenerPort == 0
                        ? 0
                        : config.server.httpsListenerPort + config.server.offset;
    settings.secure = true;
    return settings;
}

} // namespace sluice
