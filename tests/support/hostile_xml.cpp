// SPDX-License-Identifier: Apache-2.0
#include "hostile_xml.h"

namespace sluice::test {

QByteArray billionLaughsDoctype(const QByteArray &root)
{
    QByteArray dtd = "<!DOCTYPE " + root + " [<!ENTITY l0 \"lol\">";
    for (int i = 1; i <= 10; ++i) {
        dtd += "<!ENTITY l" + QByteArray::number(i) + " \"";
        for (int j = 0; j < 10; ++j)
            dtd += "&l" + QByteArray::number(i - 1) + ";";
        dtd += "\">";
    }
    return dtd + "]>\n";
}

} // namespace sluice::test
