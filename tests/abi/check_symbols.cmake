cmake_minimum_required(VERSION 3.20)
# abi.symbols: the plugin exports exactly the functions crmtier.h declares.
#
#   cmake -DNM=nm -DLIBRARY=libcrmtier.so -DHEADER=crmtier.h -P check_symbols.cmake
#
# Fails when the dynamic symbol table defines anything but crmtier_* (and the
# version node CRMTIER_1.0), when a CRMTIER_API function of the header is not
# exported, or when an exported crmtier_* symbol is not in the header.
foreach(var NM LIBRARY HEADER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_symbols.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY}
  OUTPUT_VARIABLE nm_out ERROR_VARIABLE nm_err RESULT_VARIABLE nm_rc)
if(NOT nm_rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D --defined-only ${LIBRARY} failed (${nm_rc}): ${nm_err}")
endif()

# "0000000000012345 T crmtier_free@@CRMTIER_1.0" -> crmtier_free
string(REPLACE "\n" ";" nm_lines "${nm_out}")
set(exported "")
set(stray "")
foreach(line IN LISTS nm_lines)
  if(line STREQUAL "")
    continue()
  endif()
  if(NOT line MATCHES "^[0-9a-fA-F]* *([A-Za-z]) (.+)$")
    message(FATAL_ERROR "cannot read nm line: ${line}")
  endif()
  set(kind "${CMAKE_MATCH_1}")
  set(raw "${CMAKE_MATCH_2}")
  string(REGEX REPLACE "@.*$" "" name "${raw}")
  if(name STREQUAL "CRMTIER_1.0")
    continue()  # the version node
  endif()
  if(name MATCHES "^crmtier_")
    list(APPEND exported "${name}")
  else()
    list(APPEND stray "${kind} ${raw}")
  endif()
endforeach()

# Every function the header declares: lines that start with CRMTIER_API.
file(READ ${HEADER} header)
string(REGEX MATCHALL "\nCRMTIER_API[^(;]*\\(" decls "${header}")
set(declared "")
foreach(d IN LISTS decls)
  string(REGEX MATCH "([A-Za-z_][A-Za-z_0-9]*)[ \t]*\\($" _ "${d}")
  list(APPEND declared "${CMAKE_MATCH_1}")
endforeach()

list(REMOVE_DUPLICATES exported)
list(SORT exported)
list(SORT declared)
list(LENGTH declared n_declared)
list(LENGTH exported n_exported)
message(STATUS "${LIBRARY}: ${n_exported} crmtier_* symbols exported, ${n_declared} functions declared in the header")

set(problems "")
if(n_declared LESS 10)
  string(APPEND problems "\n  only ${n_declared} CRMTIER_API functions found in ${HEADER}: the pattern no longer matches the header")
endif()
foreach(s IN LISTS stray)
  string(APPEND problems "\n  exported but not crmtier_*: ${s}")
endforeach()
foreach(f IN LISTS declared)
  if(NOT f IN_LIST exported)
    string(APPEND problems "\n  declared in the header but not exported: ${f}")
  endif()
endforeach()
foreach(f IN LISTS exported)
  if(NOT f IN_LIST declared)
    string(APPEND problems "\n  exported but not declared in the header: ${f}")
  endif()
endforeach()
if(problems)
  message(FATAL_ERROR "abi.symbols failed:${problems}")
endif()
message(STATUS "abi.symbols: exactly the header's ${n_declared} functions are exported")
