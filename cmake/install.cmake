# Install rules: `cmake --install build [--prefix DIR]`. Components (the .deb packages of
# cmake/cpack.cmake): dev → libllmm-dev (headers, libllmm.a, the .so link, CMake package,
# llmm.pc), lib → libllmmMAJOR.MINOR (libllmm.so.MAJOR.MINOR), apps → llmm (CLI, emulator).
include(CMakePackageConfigHelpers)

set(LLMM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/llmm)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/llmm
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
        FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/generated/include/llmm/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/llmm COMPONENT dev)

# Each library has its own export set, both naming their target llmm::llmm; llmmConfig.cmake
# includes one of them.
install(TARGETS llmm_static EXPORT llmm-static-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(EXPORT llmm-static-targets NAMESPACE llmm:: DESTINATION ${LLMM_CMAKE_DIR}
        COMPONENT dev)
if(TARGET llmm_shared)
  install(TARGETS llmm_shared EXPORT llmm-shared-targets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib
                  NAMELINK_COMPONENT dev)
  install(EXPORT llmm-shared-targets NAMESPACE llmm:: DESTINATION ${LLMM_CMAKE_DIR}
          COMPONENT dev)
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/llmmConfig.cmake.in
  ${PROJECT_BINARY_DIR}/generated/llmmConfig.cmake INSTALL_DESTINATION ${LLMM_CMAKE_DIR})
# 0.x: a minor release may break the API, so only the same MAJOR.MINOR satisfies a request.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/generated/llmmConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/generated/llmmConfig.cmake
              ${PROJECT_BINARY_DIR}/generated/llmmConfigVersion.cmake
        DESTINATION ${LLMM_CMAKE_DIR} COMPONENT dev)

# llmm.pc, relocatable: the prefix is found from the file's own directory.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(LLMM_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(LLMM_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(LLMM_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  set(LLMM_PC_PREFIX "\${pcfiledir}")
  string(REPLACE "/" ";" llmm_pc_parts "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
  foreach(part IN LISTS llmm_pc_parts)
    if(part)
      string(APPEND LLMM_PC_PREFIX "/..")
    endif()
  endforeach()
  set(LLMM_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(LLMM_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/llmm.pc.in ${PROJECT_BINARY_DIR}/generated/llmm.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/generated/llmm.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

foreach(app llmm_cli bedrock_emulator)
  if(TARGET ${app})
    install(TARGETS ${app} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT apps)
  endif()
endforeach()
