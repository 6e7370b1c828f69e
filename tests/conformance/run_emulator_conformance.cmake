# ctest driver for emulator_conformance: node + the official AWS SDK for JavaScript v3 against the
# bedrock-emulator binary (emulator_conformance.mjs spawns it on a free port and stops it).
# Any missing piece is a failure with the fix in the message, never a skip.
#   cmake -DEMULATOR=… -DNODE=… -DSCRIPT_DIR=… [-DWIRE=h2] -P run_emulator_conformance.cmake

include(${CMAKE_CURRENT_LIST_DIR}/conformance_prerequisites.cmake)
conformance_require(emulator_conformance VARS EMULATOR
                    PACKAGES @aws-sdk/client-bedrock-runtime @aws-sdk/client-bedrock @smithy/node-http-handler
                    BINARIES ${EMULATOR}=bedrock_emulator)

set(wire_args)
if(DEFINED WIRE)
  set(wire_args --wire=${WIRE})
endif()
execute_process(COMMAND ${NODE} ${SCRIPT_DIR}/emulator_conformance.mjs ${EMULATOR} ${wire_args}
                WORKING_DIRECTORY ${SCRIPT_DIR}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "emulator_conformance: failed checks or errors (exit ${status}); see FAIL lines above")
endif()
