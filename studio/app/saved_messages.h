// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "message_format.h"

#include <QList>
#include <QString>

class QSettings;

namespace sluice::studio {

// A message the user keeps for the try-it panel's WebSocket client.
struct SavedMessage {
    QString name;
    MessageMode mode = MessageMode::Text;
    QString body;

    bool operator==(const SavedMessage &) const = default;
};

// The saved messages, kept in QSettings (group "tryIt/savedMessages") so that they survive a
// restart. Names are unique: saving under an existing name replaces that message. Every change
// is written at once.
class SavedMessages {
public:
    // Reads from `settings`, or from a default QSettings() when null (not owned).
    explicit SavedMessages(QSettings *settings = nullptr);

    const QList<SavedMessage> &messages() const { return m_messages; }
    QStringList names() const;
    // -1 when there is no message by that name.
    int indexOf(const QString &name) const;
    const SavedMessage *find(const QString &name) const;

    // Adds or replaces (by name); false for an empty name.
    bool save(const SavedMessage &message);
    bool remove(const QString &name);
    // Reads again from the settings (what another window may have saved).
    void reload();

private:
    void write() const;

    QSettings *m_settings = nullptr;
    QList<SavedMessage> m_messages;
};

} // namespace sluice::studio
