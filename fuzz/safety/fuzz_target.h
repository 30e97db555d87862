#pragma once

#include <cstddef>
#include <cstdint>

// Every fuzz target defines this; fuzz/CMakeLists.txt links it either with libFuzzer
// (-DOMK_BUILD_FUZZ=ON, clang) or with smoke_main.cc, which the test suite runs over the seed
// corpus and deterministic mutations of it.
int omk_fuzz_one(const uint8_t* data, size_t size);
