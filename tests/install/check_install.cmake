# tests/install: see CMakeLists.txt. Fails with a message saying what is wrong.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# The layout: header, library with SONAME links, package files, host.
set(lib ${prefix}/${LIBDIR})
foreach(f include/crmtier.h ${LIBDIR}/libcrmtier.so.${VERSION} bin/crmtier
          ${LIBDIR}/cmake/crmtier/crmtierConfig.cmake
          ${LIBDIR}/cmake/crmtier/crmtierConfigVersion.cmake
          ${LIBDIR}/pkgconfig/crmtier.pc)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "cmake --install did not install ${f} into ${prefix}")
  endif()
endforeach()
foreach(pair "libcrmtier.so.${ABI_MAJOR}=libcrmtier.so.${VERSION}"
             "libcrmtier.so=libcrmtier.so.${ABI_MAJOR}")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 link)
  list(GET pair 1 target)
  file(READ_SYMLINK ${lib}/${link} got)
  if(NOT got STREQUAL target)
    message(FATAL_ERROR "${lib}/${link} should link to ${target}, links to '${got}'")
  endif()
endforeach()

# What a run of the consumer must print: the installed library, the ABI of
# the header, the tiers worked out in consumer.c's comment.
set(expected_tail
"abi 0x10001 version ${VERSION}
loaded 7
ACC-A tier A
ACC-B tier B
ACC-C tier C
ACC-D tier D
")
function(check_output how exe)
  run("${how} consumer" ${exe})
  file(REAL_PATH ${lib}/libcrmtier.so.${ABI_MAJOR} want)
  string(REGEX MATCH "^library ([^\n]*)\n" _ "${run_out}")
  set(got_lib "${CMAKE_MATCH_1}")
  if(got_lib)
    file(REAL_PATH "${got_lib}" got_lib)
  endif()
  if(NOT got_lib STREQUAL want)
    message(FATAL_ERROR "${how} consumer loaded '${got_lib}', not the installed ${want}:\n${run_out}")
  endif()
  string(REGEX REPLACE "^library [^\n]*\n" "" rest "${run_out}")
  if(NOT rest STREQUAL expected_tail)
    message(FATAL_ERROR "${how} consumer printed\n${rest}\nexpected\n${expected_tail}")
  endif()
  message(STATUS "${how}: ok\n${run_out}")
endfunction()

# 1. CMake: find_package(crmtier 0.1 CONFIG REQUIRED).
run("configure (find_package)" ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/cmake-consumer
    -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
run("build (find_package)" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-consumer)
check_output("find_package" ${WORK_DIR}/cmake-consumer/consumer)

# The version file (SameMajorVersion): 0.1 is accepted, 1.0 and 0.2 are not.
foreach(case "0.1=TRUE" "0.0.1=TRUE" "1.0=FALSE" "0.2=FALSE")
  string(REPLACE "=" ";" case "${case}")
  list(GET case 0 PACKAGE_FIND_VERSION)
  list(GET case 1 want)
  string(REPLACE "." ";" parts "${PACKAGE_FIND_VERSION}")
  list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
  unset(PACKAGE_VERSION_COMPATIBLE)
  include(${lib}/cmake/crmtier/crmtierConfigVersion.cmake)
  if(NOT "${PACKAGE_VERSION_COMPATIBLE}" STREQUAL want)
    message(FATAL_ERROR "a request for crmtier ${PACKAGE_FIND_VERSION} gives compatible='${PACKAGE_VERSION_COMPATIBLE}', want ${want} (installed ${PACKAGE_VERSION})")
  endif()
endforeach()

# 2. pkg-config.
if(NOT EXISTS ${PKG_CONFIG})
  message(FATAL_ERROR "pkg-config is missing: apt-get install pkg-config (tools/install-deps.sh)")
endif()
set(ENV{PKG_CONFIG_PATH} ${lib}/pkgconfig)
run("pkg-config" ${PKG_CONFIG} --cflags --libs crmtier)
string(STRIP "${run_out}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run("pkg-config --modversion" ${PKG_CONFIG} --modversion crmtier)
string(STRIP "${run_out}" modversion)
if(NOT modversion STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config says crmtier ${modversion}, the build is ${VERSION}")
endif()
run("cc (pkg-config)" ${C_COMPILER} -std=c99 -Wall -Werror -o ${WORK_DIR}/pc-consumer
    ${CONSUMER_DIR}/consumer.c ${flags} -Wl,-rpath,${lib})
check_output("pkg-config" ${WORK_DIR}/pc-consumer)

# 3. The installed reference host finds the installed library by itself
# (no CRMTIER_LIBRARY, nothing beside it) and scores the same portfolio
# (portfolio.jsonl: consumer.c's records, one a line).
unset(ENV{CRMTIER_LIBRARY})
run("installed bin/crmtier" ${prefix}/bin/crmtier score --as-of 2026-11-30 -o - -q
    ${CMAKE_CURRENT_LIST_DIR}/portfolio.jsonl)
string(REGEX REPLACE "(\"id\":\"[^\"]*\",\"tier\":\"[A-D]\")[^\n]*" "\\1" got "${run_out}")
set(want "{\"id\":\"ACC-A\",\"tier\":\"A\"\n{\"id\":\"ACC-B\",\"tier\":\"B\"\n{\"id\":\"ACC-C\",\"tier\":\"C\"\n{\"id\":\"ACC-D\",\"tier\":\"D\"\n")
if(NOT got STREQUAL want)
  message(FATAL_ERROR "installed bin/crmtier printed\n${run_out}\nexpected the tiers\n${want}")
endif()
message(STATUS "installed bin/crmtier: ok")
