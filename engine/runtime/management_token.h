// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace sluice {

// The bearer token of the management API: 32 random bytes as hex, kept in a file only the
// user can read (0600, directory 0700), made on first start.
class ManagementToken {
public:
    // SLUICE_MANAGEMENT_TOKEN_FILE, else <GenericConfigLocation>/sluice/management-token.
    static QString defaultFile();

    // Reads the token from `path`, creating the file (and its directory) with a fresh token
    // when it does not exist. Refuses a file readable or writable by group or others, an
    // empty file, or one that cannot be read, with a message naming the file.
    static bool loadOrCreate(const QString &path, QByteArray &token, QString &error);
    // Reads an existing token file without creating one (for clients such as `sluice logs`).
    static bool load(const QString &path, QByteArray &token, QString &error);

    static QByteArray generate();
    // Compares in time that depends only on the lengths, so a wrong token reveals nothing
    // about how much of it was right.
    static bool equals(const QByteArray &expected, const QByteArray &given);
};

} // namespace sluice
