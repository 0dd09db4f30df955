// SPDX-License-Identifier: Apache-2.0
#include "event_lock.h"

#ifdef __linux__
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace sluice {

namespace {

#ifdef __linux__
long membarrier(int command)
{
    return syscall(__NR_membarrier, command, 0, 0);
}
#endif

} // namespace

EventReaderGate::EventReaderGate()
{
#ifdef __linux__
    // Registration is per process and idempotent; it fails on kernels before 4.14.
    m_asymmetric = membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
#endif
}

void EventReaderGate::beginRead()
{
    m_reading.store(true, std::memory_order_seq_cst);
#ifdef __linux__
    // After this, every writer either sees m_reading or has its "writing" flag visible to us.
    if (m_asymmetric)
        membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
#endif
}

} // namespace sluice
