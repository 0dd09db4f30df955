# SPDX-License-Identifier: Apache-2.0
# Fails when any C++ file of the project is not formatted with the project's .clang-format.
find_program(CLANG_FORMAT clang-format REQUIRED)
file(GLOB_RECURSE sources ${SOURCE_DIR}/engine/*.cpp ${SOURCE_DIR}/engine/*.h
    ${SOURCE_DIR}/studio/*.cpp ${SOURCE_DIR}/studio/*.h ${SOURCE_DIR}/tests/*.cpp
    ${SOURCE_DIR}/tests/*.h ${SOURCE_DIR}/bench/*.cpp ${SOURCE_DIR}/bench/*.h)
list(FILTER sources EXCLUDE REGEX "/build")
set(bad "")
foreach(source ${sources})
    execute_process(COMMAND ${CLANG_FORMAT} --dry-run -Werror ${source}
        RESULT_VARIABLE result OUTPUT_QUIET ERROR_QUIET)
    if(NOT result EQUAL 0)
        list(APPEND bad ${source})
    endif()
endforeach()
if(bad)
    string(REPLACE ";" "\n  " bad "${bad}")
    message(FATAL_ERROR "not clang-formatted (run clang-format -i):\n  ${bad}")
endif()
list(LENGTH sources count)
message(STATUS "${count} files clang-formatted")
