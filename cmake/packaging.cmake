# Debian packages, one per install COMPONENT (cmake/install.cmake):
#   cpack -G DEB            in the build folder (or --config build/CPackConfig.cmake)
# writes <package>_<version>-<release>_<arch>.deb for libcrmtier1,
# libcrmtier-dev, crmtier, python3-crmtier and tryton-modules-crmtier
# (docs/install.md). The library package is named after the SONAME, whose
# number is the ABI major, not the product version.
# CRMTIER_DEB_MAINTAINER, CRMTIER_DEB_RELEASE and the package names: cmake/install.cmake.

set(CPACK_PACKAGE_NAME crmtier)
set(CPACK_PACKAGE_VENDOR "crmtier")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${CRMTIER_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev host python tryton)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${CRMTIER_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CRMTIER_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Stripped, as Debian ships binaries (the build tree keeps the debug info).
set(CPACK_STRIP_FILES ON)
set(_deb_version ${PROJECT_VERSION}-${CRMTIER_DEB_RELEASE})

# The descriptions: a short line, then the long text (CPack indents it).
set(_lib_long "crmtier tiers client accounts A/B/C/D by revenue potential, colours them
on a temperature map, schedules the next contact, flags falling revenue and
proposes peer groups of sales reps. CRMs load it through a stable C
interface (crmtier.h); the rules are in docs/semantics.md.")

# libcrmtier1: the plugin, with the shlibs file and the ldconfig trigger
# dh_makeshlibs would write (programs linked to it depend on this version or
# later; the SONAME changes with the ABI major).
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/deb/runtime/shlibs
     "libcrmtier ${CRMTIER_ABI_MAJOR} ${CRMTIER_DEB_RUNTIME} (>= ${PROJECT_VERSION})\n")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/deb/runtime/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_BINARY_DIR}/deb/runtime/shlibs ${CMAKE_CURRENT_BINARY_DIR}/deb/runtime/triggers)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${CRMTIER_DEB_RUNTIME})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "account tiering plugin for CRMs - runtime library
${_lib_long}
.
This package holds the shared library, libcrmtier.so.${CRMTIER_ABI_MAJOR}.")

# libcrmtier-dev: header, link, CMake package, pkg-config file.
set(CPACK_DEBIAN_DEV_PACKAGE_NAME ${CRMTIER_DEB_DEV})
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${CRMTIER_DEB_RUNTIME} (= ${_deb_version})")
set(CPACK_DEBIAN_DEV_DESCRIPTION "account tiering plugin for CRMs - development files
${_lib_long}
.
This package holds the C header, the libcrmtier.so link, the CMake package
(find_package(crmtier) gives crmtier::crmtier), crmtier.pc and the
documentation of the interface and its rules.")

# crmtier: the reference host, the manifests, the sample. It loads the
# library at run time (no DT_NEEDED), so the dependency is stated.
set(CPACK_DEBIAN_HOST_PACKAGE_NAME ${CRMTIER_DEB_HOST})
set(CPACK_DEBIAN_HOST_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_HOST_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_HOST_PACKAGE_DEPENDS "${CRMTIER_DEB_RUNTIME} (>= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_HOST_DESCRIPTION "account tiering plugin for CRMs - command-line host
${_lib_long}
.
This package holds the reference host, crmtier, which scores a portfolio
from files and writes results, peer groups or the sales plan page; the CRM
extension manifests; and a 2,000-account sample portfolio.")

# python3-crmtier: pure Python, but the ctypes binding loads the library.
set(_py_scripts ${CMAKE_CURRENT_BINARY_DIR}/deb/python)
set(_tryton_scripts ${CMAKE_CURRENT_BINARY_DIR}/deb/tryton)
foreach(_pair "${_py_scripts}=${CRMTIER_DEB_PYTHON}" "${_tryton_scripts}=${CRMTIER_DEB_TRYTON}")
  string(REPLACE "=" ";" _pair "${_pair}")
  list(GET _pair 0 _dir)
  list(GET _pair 1 PACKAGE)
  # The scripts keep the templates' mode (0755 in git): configure_file
  # copies the source file's permissions.
  configure_file(cmake/debian/postinst.in ${_dir}/postinst @ONLY)
  configure_file(cmake/debian/prerm.in ${_dir}/prerm @ONLY)
endforeach()
set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME ${CRMTIER_DEB_PYTHON})
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PYTHON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS "python3:any (>= 3.7), ${CRMTIER_DEB_RUNTIME} (>= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_PYTHON_PACKAGE_SUGGESTS "python3-distributed")
set(CPACK_DEBIAN_PYTHON_PACKAGE_CONTROL_EXTRA ${_py_scripts}/postinst ${_py_scripts}/prerm)
set(CPACK_DEBIAN_PYTHON_DESCRIPTION "account tiering plugin for CRMs - Python 3 binding
${_lib_long}
.
This package holds the Python 3 binding (ctypes), crmtier, which loads the
library installed by ${CRMTIER_DEB_RUNTIME}, and crmtier.dask for scoring on a
Dask cluster.")

# tryton-modules-crmtier: as Debian packages Tryton modules (Section python,
# Architecture all, trytond.modules entry point in the egg-info).
set(CPACK_DEBIAN_TRYTON_PACKAGE_NAME ${CRMTIER_DEB_TRYTON})
set(CPACK_DEBIAN_TRYTON_PACKAGE_SECTION python)
set(CPACK_DEBIAN_TRYTON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_TRYTON_PACKAGE_DEPENDS
  "python3:any, tryton-server (>= 6.0), tryton-server-api-6.0, tryton-modules-company (>= 6.0), tryton-modules-party (>= 6.0), tryton-modules-sale (>= 6.0), ${CRMTIER_DEB_PYTHON} (= ${_deb_version})")
set(CPACK_DEBIAN_TRYTON_PACKAGE_CONTROL_EXTRA ${_tryton_scripts}/postinst ${_tryton_scripts}/prerm)
set(CPACK_DEBIAN_TRYTON_DESCRIPTION "account tiering plugin for CRMs - Tryton module
${_lib_long}
.
This package holds the Tryton 6.0 module crmtier: tier, temperature colour,
next contact and the reasons on every party, refreshed on every save, and
the sales plan page.")

include(CPack)
