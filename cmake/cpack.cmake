# Debian packages: `cd build && cpack -G DEB` writes llmm_VERSION_ARCH.deb (the CLI and the
# emulator), libllmmMAJOR.MINOR_... (libllmm.so.MAJOR.MINOR, when LLMM_BUILD_SHARED) and
# libllmm-dev_... (headers, libllmm.a, the CMake package, llmm.pc), from the install components
# of cmake/install.cmake. Binary dependencies are computed by dpkg-shlibdeps (dpkg-dev, file).
set(LLMM_SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})

set(CPACK_PACKAGE_NAME llmm)
set(CPACK_PACKAGE_VENDOR "llmm")
set(CPACK_PACKAGE_CONTACT "llmm maintainers <llmm@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Reliable Amazon Bedrock Converse client, CLI and emulator")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)

set(CPACK_COMPONENTS_ALL dev)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libllmm-dev)
set(CPACK_COMPONENT_DEV_DESCRIPTION
  "llmm: C++20 Amazon Bedrock client library, development files\n"
  "Headers, the static library, the CMake package (find_package(llmm), llmm::llmm) and llmm.pc.")
# What find_package(llmm) asks for when it links libllmm.a: libcurl and libcrypto.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "libcurl4-openssl-dev (>= ${LLMM_CURL_RUNTIME_MIN}) | libcurl-dev, libssl-dev (>= 1.1.1)")
if(TARGET llmm_shared)
  list(APPEND CPACK_COMPONENTS_ALL lib)
  set(CPACK_DEBIAN_LIB_PACKAGE_NAME libllmm${LLMM_SOVERSION})
  set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
  # dpkg-shlibdeps sees symbols only; the curl options used need this (CMakeLists.txt).
  set(CPACK_DEBIAN_LIB_PACKAGE_DEPENDS "libcurl4 (>= ${LLMM_CURL_RUNTIME_MIN})")
  set(CPACK_COMPONENT_LIB_DESCRIPTION "llmm: C++20 Amazon Bedrock client library (libllmm.so.${LLMM_SOVERSION})")
  set(CPACK_COMPONENT_DEV_DEPENDS lib)
endif()
if(TARGET llmm_cli)
  list(APPEND CPACK_COMPONENTS_ALL apps)
  set(CPACK_DEBIAN_APPS_PACKAGE_NAME llmm)
  set(CPACK_DEBIAN_APPS_PACKAGE_SECTION net)
  set(CPACK_DEBIAN_APPS_PACKAGE_DEPENDS "libcurl4 (>= ${LLMM_CURL_RUNTIME_MIN})")
  set(CPACK_COMPONENT_APPS_DESCRIPTION
    "llmm: Amazon Bedrock from the command line, and a local Bedrock emulator\n"
    "The llmm CLI (ask, stream, models, config show, demo) and bedrock-emulator.")
endif()

include(CPack)
