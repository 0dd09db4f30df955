// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QIcon>
#include <QString>
#include <QStringList>

class QSvgRenderer;

// The studio's SVG icons (resources/icons.qrc): "mediator-<element>", "artifact-<kind>" and
// "sluice", each a 24x24 drawing in its palette group's accent colour.

namespace sluice::studio {

// Registers the compiled-in icon resources; safe to call more than once. The functions below
// call it themselves.
void initStudioResources();

bool hasStudioIcon(const QString &name);
// ":/icons/<name>.svg"; an unknown name gives the "mediator-unknown" icon.
QString studioIconPath(const QString &name);
QStringList studioIconNames();
// Rendered at the usual sizes (1x and 2x), so it needs no SVG icon engine plugin.
QIcon studioIcon(const QString &name);
// A shared renderer for painting an icon at any size (canvas items, SVG export); never null.
QSvgRenderer *studioIconRenderer(const QString &name);

} // namespace sluice::studio
