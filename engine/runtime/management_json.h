// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/project.h"
#include "runtime_status.h"

#include <QUrlQuery>
#include <optional>

#include <QJsonArray>
#include <QJsonObject>

namespace sluice {

// JSON shapes of the management API (docs/management-api.md).
QJsonObject runtimeStatusToJson(const RuntimeStatus &status);
QJsonObject connectionInfoToJson(const ConnectionInfo &connection);
// [{"name","kind","file"}] for every named artifact of the project.
QJsonArray artifactsToJson(const Project &project);
// True when the project holds an artifact (sequence, endpoint, ...) called `name`.
bool projectHasArtifact(const Project &project, const QString &name);
// {"error": message, "problems": [{"file","line","column","severity","message"}]}
QJsonObject problemsToJson(const QString &message, const Diagnostics &diagnostics);

// "?connection=websocket-7&kind=frame-in,frame-out" as a filter; nullopt with `error` naming an
// unknown kind.
std::optional<MessageEventFilter> eventFilterFromQuery(const QUrlQuery &query, QString &error);

} // namespace sluice
