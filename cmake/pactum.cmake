include(GoogleTest)

# pactum_module(NAME SOURCES a.cc ... DEPS pactum_base ...)
# Defines the static library pactum_<NAME>, included as "pactum/<NAME>/<file>.h".
function(pactum_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(pactum_${name} STATIC ${M_SOURCES})
  target_include_directories(pactum_${name} PUBLIC "${CMAKE_SOURCE_DIR}/src")
  target_link_libraries(pactum_${name} PUBLIC ${M_DEPS} PRIVATE pactum_warnings)
endfunction()

# pactum_test(NAME SOURCES a_test.cc ... DEPS pactum_x ...)
# A GoogleTest binary; each TEST becomes one ctest test.
function(pactum_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;DEPS;PROPERTIES" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main GTest::gmock
                                        pactum_warnings)
  target_compile_definitions(${name} PRIVATE
    PACTUM_SHARED_DATA="${PACTUM_SHARED_DATA}"
    PACTUM_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT ${T_TIMEOUT} ${T_PROPERTIES})
endfunction()

# pactum_cedar_corpus(<var>): Cedar's fuzz-generated corpus (../shared/data/cedar/
# corpus-tests.tar.gz) untarred once into the build folder, never the source tree. Sets <var>
# to the folder holding corpus-tests/; tests that read it depend on the target cedar_corpus.
function(pactum_cedar_corpus out_var)
  set(dir "${CMAKE_BINARY_DIR}/cedar-corpus")
  set(tarball "${PACTUM_SHARED_DATA}/cedar/corpus-tests.tar.gz")
  if(NOT TARGET cedar_corpus)
    add_custom_command(
      OUTPUT "${dir}/.untarred"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
      COMMAND "${CMAKE_COMMAND}" -E chdir "${dir}" "${CMAKE_COMMAND}" -E tar xzf "${tarball}"
      COMMAND "${CMAKE_COMMAND}" -E touch "${dir}/.untarred"
      DEPENDS "${tarball}"
      COMMENT "Untarring the Cedar corpus tests")
    add_custom_target(cedar_corpus DEPENDS "${dir}/.untarred")
  endif()
  set(${out_var} "${dir}" PARENT_SCOPE)
endfunction()
