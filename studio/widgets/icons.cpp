// SPDX-License-Identifier: Apache-2.0
#include "icons.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>
#include <memory>
#include <unordered_map>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initIconResource()
{
    Q_INIT_RESOURCE(icons);
}

namespace sluice::studio {

namespace {

const QString kUnknownIcon = QStringLiteral("mediator-unknown");

QString resourcePath(const QString &name)
{
    return QStringLiteral(":/icons/%1.svg").arg(name);
}

} // namespace

void initStudioResources()
{
    static const bool initialised = [] {
        initIconResource();
        return true;
    }();
    Q_UNUSED(initialised);
}

bool hasStudioIcon(const QString &name)
{
    initStudioResources();
    return !name.isEmpty() && QFile::exists(resourcePath(name));
}

QString studioIconPath(const QString &name)
{
    return resourcePath(hasStudioIcon(name) ? name : kUnknownIcon);
}

QStringList studioIconNames()
{
    initStudioResources();
    QStringList names;
    const QStringList files =
        QDir(QStringLiteral(":/icons")).entryList({QStringLiteral("*.svg")}, QDir::Files);
    for (const QString &file : files)
        names.append(file.chopped(4));
    return names;
}

QSvgRenderer *studioIconRenderer(const QString &name)
{
    static std::unordered_map<QString, std::unique_ptr<QSvgRenderer>> renderers;
    const QString path = studioIconPath(name);
    auto found = renderers.find(path);
    if (found == renderers.end())
        found = renderers.emplace(path, std::make_unique<QSvgRenderer>(path)).first;
    return found->second.get();
}

QIcon studioIcon(const QString &name)
{
    static QHash<QString, QIcon> icons;
    const QString path = studioIconPath(name);
    if (const auto found = icons.constFind(path); found != icons.constEnd())
        return *found;
    QIcon icon;
    QSvgRenderer *renderer = studioIconRenderer(name);
    for (const int size : {16, 24, 32, 48}) {
        for (const qreal ratio : {1.0, 2.0}) {
            const int pixels = qRound(size * ratio);
            QPixmap pixmap(pixels, pixels);
            pixmap.fill(Qt::transparent);
            {
                QPainter painter(&pixmap);
                renderer->render(&painter);
            }
            pixmap.setDevicePixelRatio(ratio);
            icon.addPixmap(pixmap);
        }
    }
    icons.insert(path, icon);
    return icon;
}

} // namespace sluice::studio
