// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

class QHttpServerRequest;
class QHttpServerResponder;

namespace sluice {

class Runtime;

// The REST routes of the management API, on top of Runtime. Called only for requests whose
// token was checked.
class ManagementRoutes {
public:
    explicit ManagementRoutes(Runtime &runtime);

    void setDataDirectory(const QString &directory) { m_dataDirectory = directory; }
    void handle(const QHttpServerRequest &request, QHttpServerResponder &responder);

    // Largest accepted project upload (as ManagementFront::kMaxBodyBytes); libzip's own limit
    // applies to what it unpacks.
    static constexpr qint64 kMaxUploadBytes = qint64(64) * 1024 * 1024;

private:
    struct Reply {
        int status = 200;
        QJsonValue body; // undefined: no body
    };
    Reply route(const QHttpServerRequest &request);
    Reply status() const;
    Reply artifacts() const;
    Reply connections() const;
    Reply closeConnection(const QString &id, const QHttpServerRequest &request);
    Reply redeploy();
    Reply uploadProject(const QHttpServerRequest &request);
    Reply putArtifact(const QString &fileName, const QByteArray &xml);
    Reply deleteArtifact(const QString &name);
    Reply events(const QHttpServerRequest &request) const;

    Runtime &m_runtime;
    QString m_dataDirectory;
    QString m_uploadedDirectory; // the upload now deployed; removed when replaced
};

} // namespace sluice
