// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

// The libFuzzer entry points every target defines. The same object files link either with
// libFuzzer (clang, -fsanitize=fuzzer: the `fuzz` preset) or with replay_main.cpp (any
// compiler: the corpus-replay tests of the normal suite).
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv);
// Optional (weak): what a target started that must stop before the process exits; the replay
// main calls it after the last input. libFuzzer does not.
extern "C" void SluiceFuzzerFinish() __attribute__((weak));
