// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

namespace sluice::test {

// The DOCTYPE of a "billion laughs" entity bomb for a document whose root is `root`: entities
// l0 ("lol") to l10, each ten references to the one before, so that &l10; would expand to 10^10
// "lol"s. Put "&l10;" in the document after it.
QByteArray billionLaughsDoctype(const QByteArray &root);

} // namespace sluice::test
