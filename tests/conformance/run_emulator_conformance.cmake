# ctest driver for emulator_conformance: node + the official AWS SDK for JavaScript v3 against the
# bedrock-emulator binary (emulator_conformance.mjs spawns it on a free port and stops it).
# Any missing piece is a failure with the fix in the message, never a skip.
#   cmake -DEMULATOR=… -DNODE=… -DSCRIPT_DIR=… -P run_emulator_conformance.cmake

foreach(var EMULATOR SCRIPT_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "emulator_conformance: ${var} not set (run through ctest)")
  endif()
endforeach()
if(NOT NODE)
  message(FATAL_ERROR "emulator_conformance: node not found: run scripts/bootstrap, then re-run cmake")
endif()
foreach(package @aws-sdk/client-bedrock-runtime @aws-sdk/client-bedrock @smithy/node-http-handler)
  if(NOT EXISTS ${SCRIPT_DIR}/node_modules/${package}/package.json)
    message(FATAL_ERROR "emulator_conformance: ${package} is not installed in "
                        "${SCRIPT_DIR}/node_modules: run scripts/bootstrap (npm ci there)")
  endif()
endforeach()
if(NOT EXISTS ${EMULATOR})
  message(FATAL_ERROR "emulator_conformance: ${EMULATOR} missing: build the bedrock_emulator target")
endif()

execute_process(COMMAND ${NODE} ${SCRIPT_DIR}/emulator_conformance.mjs ${EMULATOR}
                WORKING_DIRECTORY ${SCRIPT_DIR}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "emulator_conformance: failed checks or errors (exit ${status}); see FAIL lines above")
endif()
