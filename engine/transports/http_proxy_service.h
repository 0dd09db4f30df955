// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/artifacts.h"
#include "http_routes.h"

#include <memory>

namespace sluice {

class MediationEnvironment;

// The routes of a deployment's proxy services: /services/{name} (and everything below it, as
// REST_URL_POSTFIX) for each proxy that starts on load and takes the http transport. Each request
// becomes a message run through the proxy's inSequence; see docs/http.md, "Proxy services", for
// the properties it carries and when the client gets 202, 500 or 502 without a `respond`.
// The deployment's REST APIs are added to the same table (addApiRoutes, http_api_service.h).
// `secure`: the routes of the HTTPS listener (proxies that take https, APIs not restricted to
// http), else those of the HTTP listener.
std::shared_ptr<const HttpRoutes>
buildProxyServiceRoutes(std::shared_ptr<const MediationEnvironment> environment,
                        bool secure = false);

// True when the environment's project has something the HTTP listener serves.
bool needsHttpListener(const MediationEnvironment &environment);

// Whether the HTTPS listener must run: `required` when a proxy takes https but not http or an
// API says transports="https" (`artifact` and `location` name the first one); `servesAny` when
// some proxy or API takes https beside http (or every transport): served over HTTPS too when a
// key store is configured, as MI serves them on both listeners.
struct HttpsNeed {
    bool required = false;
    QString artifact;
    SourceLocation location;
    bool servesAny = false;
};
HttpsNeed httpsListenerNeed(const ArtifactSet &artifacts);

} // namespace sluice
