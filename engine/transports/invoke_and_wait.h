// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>

class QObject;

namespace sluice {

// Runs `work` on the thread of `context`'s event loop and returns once it has run (a blocking
// queued call: the caller must not be that thread). What the caller wrote before is visible to
// `work`, and what `work` wrote is visible to the caller afterwards.
void invokeAndWait(QObject *context, const std::function<void()> &work);

} // namespace sluice
