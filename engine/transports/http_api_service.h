// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http_routes.h"

#include <memory>

namespace sluice {

class MediationEnvironment;

// Adds the routes of a deployment's REST APIs (<api>) to `routes`: one per API context (with its
// version, per version-type), dispatching to the first <resource> whose uri-template or
// url-mapping and methods match. 404 when no resource matches the path, 405 with Allow when one
// does but not for this method; OPTIONS without a resource for it answers 200 with Allow, HEAD
// falls back to a GET resource. See docs/http.md, "APIs".
// `secure`: for the HTTPS listener (APIs with transports="http" stay off it).
void addApiRoutes(HttpRoutes &routes,
                  const std::shared_ptr<const MediationEnvironment> &environment,
                  bool secure = false);

} // namespace sluice
