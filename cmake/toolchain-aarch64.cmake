# Cross-build for aarch64 with Debian's g++-aarch64-linux-gnu and the arm64 multiarch -dev packages
# (dpkg --add-architecture arm64; libhwy-dev:arm64 libgtest-dev:arm64 libbenchmark-dev:arm64 libxsimd-dev:arm64).
# ctest runs the binaries through qemu-aarch64-static with the multiarch root (-L /): the cross toolchain's own
# loader in /usr/aarch64-linux-gnu/lib and the multiarch libc6:arm64 that the :arm64 -dev packages pull in are
# different builds, and mixing them (-L /usr/aarch64-linux-gnu) hangs the first pthread_create under qemu 7.2.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static;-L;/)
