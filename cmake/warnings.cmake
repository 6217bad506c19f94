add_library(gapbundle_warnings INTERFACE)
target_compile_options(gapbundle_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(GAPBUNDLE_WERROR)
  target_compile_options(gapbundle_warnings INTERFACE -Werror)
endif()

add_library(gapbundle_sanitizers INTERFACE)
if(GAPBUNDLE_SANITIZE)
  target_compile_options(gapbundle_sanitizers INTERFACE -fsanitize=${GAPBUNDLE_SANITIZE} -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
  target_link_options(gapbundle_sanitizers INTERFACE -fsanitize=${GAPBUNDLE_SANITIZE})
  target_compile_definitions(gapbundle_sanitizers INTERFACE GAPBUNDLE_SANITIZED=1)
endif()

# gapbundle_layer(NAME SOURCES... DEPS ...): one static library per layer, whose
# link list is the only way to reach another layer, so a wrong-way include fails to build.
function(gapbundle_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS" ${ARGN})
  if(NOT L_SOURCES)  # a layer still being written: an empty library keeps the build configurable
    set(L_SOURCES ${CMAKE_CURRENT_BINARY_DIR}/empty_${name}.cpp)
    file(WRITE ${L_SOURCES} "")
  endif()
  add_library(gapbundle_${name} STATIC ${L_SOURCES})
  target_include_directories(gapbundle_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(gapbundle_${name} PUBLIC ${L_DEPS} PRIVATE gapbundle_warnings gapbundle_sanitizers)
endfunction()
