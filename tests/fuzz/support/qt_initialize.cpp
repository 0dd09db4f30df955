// SPDX-License-Identifier: Apache-2.0
// LLVMFuzzerInitialize of the targets that need nothing but a QCoreApplication (the network
// targets define their own: they start a runtime too).

#include "fuzz_checks.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    sluice::fuzz::startQtApplication(argc, argv);
    return 0;
}
