// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

namespace sluice {

// recv(2) and send(2) made as the bare system calls. glibc's wrappers are thread cancellation
// points: in a process with more than one thread each call switches asynchronous cancellation
// on and off around the system call, about 60 instructions and their code per call, four calls
// per proxied message (docs/performance.md, "A compiled path for forwarding flows"). Sluice
// never cancels a thread, so the wrappers' work buys it nothing. Same results, same errno.
inline ssize_t directRecv(int descriptor, void *into, size_t capacity, int flags)
{
    return ssize_t(::syscall(SYS_recvfrom, descriptor, into, capacity, flags, nullptr, nullptr));
}

inline ssize_t directSend(int descriptor, const void *data, size_t size, int flags)
{
    return ssize_t(::syscall(SYS_sendto, descriptor, data, size, flags, nullptr, 0));
}

} // namespace sluice
