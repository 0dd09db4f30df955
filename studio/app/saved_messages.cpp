// SPDX-License-Identifier: Apache-2.0
#include "saved_messages.h"

#include <QSettings>

namespace sluice::studio {

namespace {

const QString kArray = QStringLiteral("tryIt/savedMessages");

// Runs `use` on the given settings, or on a short-lived default QSettings().
template <typename Use> void withSettings(QSettings *given, Use use)
{
    if (given) {
        use(*given);
        return;
    }
    QSettings settings;
    use(settings);
}

} // namespace

SavedMessages::SavedMessages(QSettings *settings)
    : m_settings(settings)
{
    reload();
}

QStringList SavedMessages::names() const
{
    QStringList names;
    for (const SavedMessage &message : m_messages)
        names.append(message.name);
    return names;
}

int SavedMessages::indexOf(const QString &name) const
{
    for (int i = 0; i < m_messages.size(); ++i) {
        if (m_messages.at(i).name == name)
            return i;
    }
    return -1;
}

const SavedMessage *SavedMessages::find(const QString &name) const
{
    const int index = indexOf(name);
    return index < 0 ? nullptr : &m_messages.at(index);
}

bool SavedMessages::save(const SavedMessage &message)
{
    if (message.name.trimmed().isEmpty())
        return false;
    SavedMessage stored = message;
    stored.name = message.name.trimmed();
    const int index = indexOf(stored.name);
    if (index < 0)
        m_messages.append(stored);
    else
        m_messages[index] = stored;
    write();
    return true;
}

bool SavedMessages::remove(const QString &name)
{
    const int index = indexOf(name);
    if (index < 0)
        return false;
    m_messages.removeAt(index);
    write();
    return true;
}

void SavedMessages::reload()
{
    m_messages.clear();
    withSettings(m_settings, [this](QSettings &settings) {
        const int count = settings.beginReadArray(kArray);
        for (int i = 0; i < count; ++i) {
            settings.setArrayIndex(i);
            SavedMessage message;
            message.name = settings.value(QStringLiteral("name")).toString();
            message.mode = messageModeFromName(settings.value(QStringLiteral("mode")).toString());
            message.body = settings.value(QStringLiteral("body")).toString();
            if (!message.name.isEmpty() && indexOf(message.name) < 0)
                m_messages.append(message);
        }
        settings.endArray();
    });
}

void SavedMessages::write() const
{
    withSettings(m_settings, [this](QSettings &settings) {
        settings.remove(kArray); // drops entries past the new end
        settings.beginWriteArray(kArray, int(m_messages.size()));
        for (int i = 0; i < m_messages.size(); ++i) {
            settings.setArrayIndex(i);
            settings.setValue(QStringLiteral("name"), m_messages.at(i).name);
            settings.setValue(QStringLiteral("mode"), messageModeName(m_messages.at(i).mode));
            settings.setValue(QStringLiteral("body"), m_messages.at(i).body);
        }
        settings.endArray();
        settings.sync();
    });
}

} // namespace sluice::studio
