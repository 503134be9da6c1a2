# Installation (headers, libraries, CLI); the CMake package and pkg-config file come with the embedding work.
install(TARGETS diaggauss diaggauss_static LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/diaggauss DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(FILES ${CMAKE_BINARY_DIR}/generated/diaggauss/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/diaggauss)
