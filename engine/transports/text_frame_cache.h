// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace sluice {

// Qt WebSockets hands text frames over as QString and takes them back as QString, while a
// message's payload is UTF-8. A proxied text frame was decoded by Qt, encoded by Sluice into the
// payload, then decoded again to be sent (and encoded by Qt once more). This keeps the last text
// frame each thread received in both forms: sending the very same payload bytes on (an untouched
// payload, the proxy case) takes the string Qt made instead of decoding the bytes again.
namespace TextFrameCache {

// The UTF-8 payload of a text frame received as `text`; remembered with it.
QByteArray received(const QString &text);
// The string to send for `payload`: the remembered one when `payload` is those very bytes.
QString toSend(const QByteArray &payload);

} // namespace TextFrameCache

} // namespace sluice
