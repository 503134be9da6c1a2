# Installation and packaging: headers, the shared and static libraries, the CLI, a CMake config package
# (find_package(diaggauss CONFIG) -> diaggauss::diaggauss, diaggauss::diaggauss_static) and a pkg-config file.
# Consumers see only the public headers (no ISA flags, no Highway/xsimd headers); docs/embedding.md shows the use.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DG_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/diaggauss CACHE STRING
    "Where the CMake package files (diaggaussConfig.cmake, ...) are installed, relative to the prefix")
set(DG_INSTALL_PKGCONFIGDIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig CACHE STRING
    "Where diaggauss.pc is installed, relative to the prefix")

# The same target names in a parent project that uses add_subdirectory() as in the installed package.
if(NOT TARGET diaggauss::diaggauss_static)
  add_library(diaggauss::diaggauss_static ALIAS diaggauss_static)
endif()

# ---- what a consumer of the *installed* static library links -----------------------------------------------
# In the build tree diaggauss_static carries $<LINK_ONLY:hwy::hwy>, $<LINK_ONLY:xsimd>, ... (its PRIVATE
# dependencies).  Only libhwy is a real link dependency (xsimd and nlohmann_json are header-only and stay private),
# so the installed interface names hwy::hwy — diaggaussConfig.cmake finds it with find_dependency(hwy), the way
# CMake packages are meant to chain — plus Threads, the C++ runtime and libm, so that a C-only consumer project
# links the static library too.  pkg-config gets the plain -l flags (DG_PC_LIBS_PRIVATE below).
set(DG_STATIC_PRIVATE_LINK "")
set(DG_PC_PRIVATE_LIBS "")
if(DG_WITH_HIGHWAY)
  list(APPEND DG_STATIC_PRIVATE_LINK hwy::hwy)
  list(APPEND DG_PC_PRIVATE_LIBS hwy)
endif()
list(APPEND DG_STATIC_PRIVATE_LINK stdc++ m)
list(APPEND DG_PC_PRIVATE_LIBS stdc++ m)
get_target_property(_dg_static_iface diaggauss_static INTERFACE_LINK_LIBRARIES)
if(NOT _dg_static_iface)
  set(_dg_static_iface "")
endif()
set(_dg_static_install "Threads::Threads")
foreach(lib IN LISTS DG_STATIC_PRIVATE_LINK)
  list(APPEND _dg_static_install "$<LINK_ONLY:${lib}>")
endforeach()
set_property(TARGET diaggauss_static PROPERTY INTERFACE_LINK_LIBRARIES
             "$<BUILD_INTERFACE:${_dg_static_iface}>" "$<INSTALL_INTERFACE:${_dg_static_install}>")
unset(_dg_static_iface)
unset(_dg_static_install)

# ---- libraries, headers, CLI ----------------------------------------------------------------------------------
install(TARGETS diaggauss diaggauss_static EXPORT diaggaussTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT devel
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT devel
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY include/diaggauss DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT devel
        FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(FILES ${CMAKE_BINARY_DIR}/generated/diaggauss/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/diaggauss
        COMPONENT devel)
if(TARGET diaggauss_cli)
  install(TARGETS diaggauss_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
endif()

# ---- CMake package --------------------------------------------------------------------------------------------
install(EXPORT diaggaussTargets NAMESPACE diaggauss:: FILE diaggaussTargets.cmake
        DESTINATION ${DG_INSTALL_CMAKEDIR} COMPONENT devel)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/diaggaussConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/packaging/diaggaussConfig.cmake
                              INSTALL_DESTINATION ${DG_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/packaging/diaggaussConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/packaging/diaggaussConfig.cmake
              ${PROJECT_BINARY_DIR}/packaging/diaggaussConfigVersion.cmake
        DESTINATION ${DG_INSTALL_CMAKEDIR} COMPONENT devel)

# ---- pkg-config -----------------------------------------------------------------------------------------------
# The prefix is only known at install time (`cmake --install build --prefix DIR` overrides CMAKE_INSTALL_PREFIX),
# so the file is configured twice: now for everything but the prefix, then by the install script.
list(TRANSFORM DG_PC_PRIVATE_LIBS PREPEND "-l" OUTPUT_VARIABLE DG_PC_LIBS_PRIVATE)
list(APPEND DG_PC_LIBS_PRIVATE -lpthread)
list(JOIN DG_PC_LIBS_PRIVATE " " DG_PC_LIBS_PRIVATE)
foreach(kind LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${kind}}")
    set(DG_PC_${kind} "${CMAKE_INSTALL_${kind}}")
  else()
    set(DG_PC_${kind} "\${prefix}/${CMAKE_INSTALL_${kind}}")
  endif()
endforeach()
set(DG_PC_PREFIX "@DG_PC_PREFIX@")  # kept for the install-time pass
# Two files: diaggauss.pc (the shared library; --static adds Libs.private) and diaggauss-static.pc, whose Libs name
# the archive itself, so that `pkg-config --libs diaggauss-static` links libdiaggauss.a as printed (with
# libdiaggauss.so beside it, -ldiaggauss would pick the shared library).
foreach(pc diaggauss diaggauss-static)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/packaging/${pc}.pc.stage @ONLY)
  install(CODE "
    set(DG_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
    configure_file(\"${PROJECT_BINARY_DIR}/packaging/${pc}.pc.stage\"
                   \"${PROJECT_BINARY_DIR}/packaging/install/${pc}.pc\" @ONLY)
  " COMPONENT devel)
  install(FILES ${PROJECT_BINARY_DIR}/packaging/install/${pc}.pc DESTINATION ${DG_INSTALL_PKGCONFIGDIR}
          COMPONENT devel)
endforeach()
