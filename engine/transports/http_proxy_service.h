// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http_routes.h"

#include <memory>

namespace sluice {

class MediationEnvironment;

// The routes of a deployment's proxy services: /services/{name} (and everything below it, as
// REST_URL_POSTFIX) for each proxy that starts on load and takes the http transport. Each request
// becomes a message run through the proxy's inSequence; see docs/http.md, "Proxy services", for
// the properties it carries and when the client gets 202, 500 or 502 without a `respond`.
// The deployment's REST APIs are added to the same table (addApiRoutes, http_api_service.h).
std::shared_ptr<const HttpRoutes>
buildProxyServiceRoutes(std::shared_ptr<const MediationEnvironment> environment);

// True when the environment's project has something the HTTP listener serves.
bool needsHttpListener(const MediationEnvironment &environment);

} // namespace sluice
