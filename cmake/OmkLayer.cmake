# omk_layer(<name> SOURCES ... DEPS ...)
# One static library per layer (DESIGN.md "Architecture"). DEPS lists the layers above this one
# that it may use; tests/layering_test.py checks the #include lines agree with the order.
set(OMK_COMPILE_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
if(OMK_WERROR)
  list(APPEND OMK_COMPILE_WARNINGS -Werror)
endif()
# GCC 12 reports impossible overlaps in inlined std::string code at -O3 (GCC bug 105329), which
# breaks Release builds (make bench, make package) under -Werror.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND OMK_COMPILE_WARNINGS -Wno-restrict)
endif()

if(OMK_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

function(omk_apply_warnings target)
  target_compile_options(${target} PRIVATE ${OMK_COMPILE_WARNINGS})
endfunction()

function(omk_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS;LIBS" ${ARGN})
  add_library(omk_${name} STATIC ${L_SOURCES})
  target_include_directories(omk_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/generated)
  foreach(dep IN LISTS L_DEPS)
    target_link_libraries(omk_${name} PUBLIC omk_${dep})
  endforeach()
  target_link_libraries(omk_${name} PUBLIC ${L_LIBS})
  omk_apply_warnings(omk_${name})
endfunction()
