# The fuzz build (GAPBUNDLE_FUZZ=ON, scripts/fuzz.sh): clang with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer; the layers are instrumented for coverage and the fuzz targets link
# libFuzzer's main. Included before cmake/warnings.cmake so that the layers pick up the flags.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
  message(FATAL_ERROR "GAPBUNDLE_FUZZ needs clang 16 or later (Debian's clang-16: -DCMAKE_CXX_COMPILER=clang++-16); "
                      "got ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
endif()
set(GAPBUNDLE_SANITIZE "fuzzer-no-link,address,undefined" CACHE STRING "Sanitizers, e.g. address,undefined" FORCE)
# Undefined behaviour stops the run (and so becomes a crash libFuzzer keeps) instead of a line on stderr.
add_compile_options(-fno-sanitize-recover=all)
# libstdc++ 12 declares std::expected only when __cpp_concepts >= 202002L. Clang 16 implements what
# its <expected> needs (P0848, destructors and copies constrained by requires) but still reports
# 201907L; clang 14 does not implement P0848, so it cannot build this code at all.
if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 19)
  add_compile_options(-U__cpp_concepts -D__cpp_concepts=202002L)
endif()
