# `cmake --install build --prefix P` (docs/install.md): the public header, the
# plugin with its SONAME links, a CMake package (crmtier::crmtier), a
# pkg-config file and the reference host, in the GNUInstallDirs layout.
# lib/<multiarch> under any prefix, as Debian does (GNUInstallDirs alone
# uses it only for /usr).
if(NOT DEFINED CMAKE_INSTALL_LIBDIR AND CMAKE_LIBRARY_ARCHITECTURE)
  set(CMAKE_INSTALL_LIBDIR lib/${CMAKE_LIBRARY_ARCHITECTURE}
      CACHE PATH "Object code libraries (lib/<multiarch>)")
endif()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CRMTIER_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/crmtier
    CACHE STRING "Where crmtierConfig.cmake goes, relative to the prefix")

install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/abi/crmtier.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
# libcrmtier.so.<version> and libcrmtier.so.<abi major> are the runtime;
# the libcrmtier.so link is for linking only.
install(TARGETS crmtier
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          COMPONENT runtime NAMELINK_COMPONENT dev)
install(TARGETS crmtier_host RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT host)

# The package: a hand-written imported target (the plugin links nothing a
# consumer needs: it is a C library with a static C++ runtime), so no
# install(EXPORT) of the internal static targets.
configure_package_config_file(
  ${CMAKE_CURRENT_SOURCE_DIR}/cmake/crmtierConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/crmtierConfig.cmake
  INSTALL_DESTINATION ${CRMTIER_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
# 0.x releases promise nothing across minors, but the C ABI does (its
# major is the SONAME): a 0.1 request accepts any 0.y.z >= 0.1.
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/crmtierConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/crmtierConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/crmtierConfigVersion.cmake
        DESTINATION ${CRMTIER_INSTALL_CMAKEDIR} COMPONENT dev)

# pkg-config: prefix-relative, so a relocated tree still answers right.
file(RELATIVE_PATH _crmtier_pc_up
     /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" _crmtier_pc_up "${_crmtier_pc_up}")
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/crmtier.pc.in
               ${CMAKE_CURRENT_BINARY_DIR}/crmtier.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/crmtier.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
