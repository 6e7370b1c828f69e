# ctest driver for sigv4_conformance: generator -> cases.jsonl -> node + @smithy/signature-v4.
# Any missing piece is a failure with the fix in the message, never a skip.
#   cmake -DGENERATOR=… -DNODE=… -DSCRIPT_DIR=… -DWORK_DIR=… -P run_sigv4_conformance.cmake

foreach(var GENERATOR SCRIPT_DIR WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "sigv4_conformance: ${var} not set (run through ctest)")
  endif()
endforeach()
if(NOT NODE)
  message(FATAL_ERROR "sigv4_conformance: node not found: run scripts/bootstrap, then re-run cmake")
endif()
foreach(package @smithy/signature-v4 @aws-crypto/sha256-js)
  if(NOT EXISTS ${SCRIPT_DIR}/node_modules/${package}/package.json)
    message(FATAL_ERROR "sigv4_conformance: ${package} is not installed in "
                        "${SCRIPT_DIR}/node_modules: run scripts/bootstrap (npm ci there)")
  endif()
endforeach()
if(NOT EXISTS ${GENERATOR})
  message(FATAL_ERROR "sigv4_conformance: ${GENERATOR} missing: build the sigv4_cases target")
endif()

set(cases ${WORK_DIR}/sigv4_cases.jsonl)
execute_process(COMMAND ${GENERATOR} OUTPUT_FILE ${cases} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "sigv4_conformance: sigv4_cases failed (${status})")
endif()
execute_process(COMMAND ${NODE} ${SCRIPT_DIR}/sigv4_conformance.mjs ${cases} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "sigv4_conformance: mismatches or errors (exit ${status}); cases in ${cases}")
endif()
