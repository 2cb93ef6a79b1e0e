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

# ---------------------------------------------------------------- the rest
# Everything else a system install holds (docs/install.md), one COMPONENT
# per Debian package (cmake/packaging.cmake names them):
#   runtime  the library                     libcrmtier1
#   dev      header, .so link, CMake, .pc    libcrmtier-dev
#   host     bin/crmtier, manifests, sample  crmtier
#   python   the binding (crmtier, crmtier.dask)          python3-crmtier
#   tryton   the Tryton module (trytond.modules.crmtier)  tryton-modules-crmtier
# Each package's share/doc/<package> has the copyright, the changelogs and
# the pages its user needs.
set(CRMTIER_INSTALL_PYTHONDIR lib/python3/dist-packages
    CACHE STRING "Where the Python binding and the Tryton module go, relative to the prefix (Debian's folder for /usr)")
set(CRMTIER_INSTALL_SAMPLEDIR ${CMAKE_INSTALL_DATADIR}/crmtier/samples)
set(CRMTIER_INSTALL_MANIFESTDIR ${CMAKE_INSTALL_DATADIR}/crmtier/manifests)
set(CRMTIER_DEB_MAINTAINER "crmtier maintainers <crmtier@localhost>"
    CACHE STRING "The Maintainer field of the Debian packages")
set(CRMTIER_DEB_RELEASE 1 CACHE STRING "The Debian revision of the packages")
set(CRMTIER_DEB_RUNTIME libcrmtier${CRMTIER_ABI_MAJOR})
set(CRMTIER_DEB_DEV libcrmtier-dev)
set(CRMTIER_DEB_HOST crmtier)
set(CRMTIER_DEB_PYTHON python3-crmtier)
set(CRMTIER_DEB_TRYTON tryton-modules-crmtier)

# The bundled sample and the CRM extension manifests (the generators stay
# in the source tree).
install(FILES samples/portfolio.jsonl samples/portfolio.meta.json samples/README.md
        DESTINATION ${CRMTIER_INSTALL_SAMPLEDIR} COMPONENT host)
install(FILES manifests/crmtier.extension.json manifests/crmtier-extension.schema.json
        DESTINATION ${CRMTIER_INSTALL_MANIFESTDIR} COMPONENT host)

# The binding and the module, as Debian's python3 packages lay them out:
# the sources (no bytecode: the packages compile it on install) and an
# egg-info written by setuptools from each setup.py, so that the version,
# the requirements and the trytond.modules entry point are the ones
# setup.py declares.
find_program(CRMTIER_SYSTEM_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT CRMTIER_SYSTEM_PYTHON)
  find_program(CRMTIER_SYSTEM_PYTHON python3 REQUIRED)
endif()
execute_process(COMMAND ${CRMTIER_SYSTEM_PYTHON} -c "import setuptools"
                RESULT_VARIABLE _no_setuptools OUTPUT_QUIET ERROR_QUIET)
if(_no_setuptools)
  message(FATAL_ERROR "${CRMTIER_SYSTEM_PYTHON} has no setuptools, which writes the egg-info of the "
          "Python binding and the Tryton module: apt-get install python3-setuptools (tools/install-deps.sh)")
endif()
file(STRINGS integrations/tryton/module/tryton.cfg _tryton_version REGEX "^version *=")
string(REGEX REPLACE "^version *= *" "" CRMTIER_TRYTON_MODULE_VERSION "${_tryton_version}")
set(_egg_dir ${CMAKE_CURRENT_BINARY_DIR}/egg-info)
add_custom_command(
  OUTPUT ${_egg_dir}/crmtier.egg-info/PKG-INFO ${_egg_dir}/trytond_crmtier.egg-info/PKG-INFO
  COMMAND ${CMAKE_COMMAND} -E make_directory ${_egg_dir}
  COMMAND ${CRMTIER_SYSTEM_PYTHON} setup.py -q egg_info --egg-base ${_egg_dir}
  COMMAND ${CMAKE_COMMAND} -E chdir ${CMAKE_CURRENT_SOURCE_DIR}/integrations/tryton
          ${CRMTIER_SYSTEM_PYTHON} setup.py -q egg_info --egg-base ${_egg_dir}
  WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/abi/python
  DEPENDS abi/python/setup.py abi/crmtier.h integrations/tryton/setup.py
          integrations/tryton/module/tryton.cfg
  COMMENT "egg-info of the binding and the Tryton module (setuptools)"
  VERBATIM)
add_custom_target(crmtier_egg_info ALL
  DEPENDS ${_egg_dir}/crmtier.egg-info/PKG-INFO ${_egg_dir}/trytond_crmtier.egg-info/PKG-INFO)

install(DIRECTORY abi/python/crmtier DESTINATION ${CRMTIER_INSTALL_PYTHONDIR}
        COMPONENT python FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
install(DIRECTORY ${_egg_dir}/crmtier.egg-info/
        DESTINATION ${CRMTIER_INSTALL_PYTHONDIR}/crmtier-${PROJECT_VERSION}.egg-info
        COMPONENT python PATTERN SOURCES.txt EXCLUDE)
install(DIRECTORY integrations/tryton/module/
        DESTINATION ${CRMTIER_INSTALL_PYTHONDIR}/trytond/modules/crmtier
        COMPONENT tryton FILES_MATCHING PATTERN "*.py" PATTERN "*.xml" PATTERN "*.svg"
          PATTERN "tryton.cfg" PATTERN "__pycache__" EXCLUDE)
install(DIRECTORY ${_egg_dir}/trytond_crmtier.egg-info/
        DESTINATION ${CRMTIER_INSTALL_PYTHONDIR}/trytond_crmtier-${CRMTIER_TRYTON_MODULE_VERSION}.egg-info
        COMPONENT tryton PATTERN SOURCES.txt EXCLUDE)

# share/doc/<package>: copyright and changelog.gz in every one (Debian
# policy), the pages each package's user reads.
set(_changelog_gz ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz)
find_program(CRMTIER_GZIP gzip REQUIRED)
add_custom_command(OUTPUT ${_changelog_gz}
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_SOURCE_DIR}/CHANGELOG.md ${CMAKE_CURRENT_BINARY_DIR}/changelog
  COMMAND ${CRMTIER_GZIP} -9nf changelog
  DEPENDS CHANGELOG.md WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR} VERBATIM)
# The Debian changelog of the packages (the changelog above is upstream's),
# dated the day of the configuration.
string(TIMESTAMP _deb_date "%a, %d %b %Y 00:00:00 +0000" UTC)
set(_changelog_debian ${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian)
file(CONFIGURE OUTPUT ${_changelog_debian} CONTENT
"crmtier (${PROJECT_VERSION}-${CRMTIER_DEB_RELEASE}) unstable; urgency=medium

  * Built from the crmtier source tree with CPack (docs/install.md).

 -- ${CRMTIER_DEB_MAINTAINER}  ${_deb_date}
")
add_custom_command(OUTPUT ${_changelog_debian}.gz
  COMMAND ${CRMTIER_GZIP} -9nkf changelog.Debian
  DEPENDS ${_changelog_debian} WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR} VERBATIM)
add_custom_target(crmtier_changelog ALL DEPENDS ${_changelog_gz} ${_changelog_debian}.gz)
set(_docs_runtime)
set(_docs_dev README.md docs/install.md docs/semantics.md docs/configuration.md
    docs/adapters.md docs/reliability.md docs/design.md)
set(_docs_host README.md docs/semantics.md docs/configuration.md docs/adapters.md
    docs/report.md docs/peer-groups.md)
set(_docs_python docs/python.md docs/dask.md)
set(_docs_tryton docs/tryton.md)
foreach(_c runtime dev host python tryton)
  string(TOUPPER ${_c} _C)
  set(_docdir ${CMAKE_INSTALL_DATADIR}/doc/${CRMTIER_DEB_${_C}})
  install(FILES cmake/debian/copyright ${_changelog_gz} ${_changelog_debian}.gz ${_docs_${_c}}
          DESTINATION ${_docdir} COMPONENT ${_c})
endforeach()
