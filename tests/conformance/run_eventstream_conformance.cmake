# ctest driver for eventstream_conformance: generator -> cases.jsonl -> node + @smithy/eventstream-codec.
# Any missing piece is a failure with the fix in the message, never a skip.
#   cmake -DGENERATOR=… -DNODE=… -DSCRIPT_DIR=… -DWORK_DIR=… -P run_eventstream_conformance.cmake

foreach(var GENERATOR SCRIPT_DIR WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "eventstream_conformance: ${var} not set (run through ctest)")
  endif()
endforeach()
if(NOT NODE)
  message(FATAL_ERROR "eventstream_conformance: node not found: run scripts/bootstrap, then re-run cmake")
endif()
# @smithy/core is the codec's own dependency (it holds the implementation and getChunkedStream).
foreach(package @smithy/eventstream-codec @smithy/core)
  if(NOT EXISTS ${SCRIPT_DIR}/node_modules/${package}/package.json)
    message(FATAL_ERROR "eventstream_conformance: ${package} is not installed in "
                        "${SCRIPT_DIR}/node_modules: run scripts/bootstrap (npm ci there)")
  endif()
endforeach()
if(NOT EXISTS ${GENERATOR})
  message(FATAL_ERROR "eventstream_conformance: ${GENERATOR} missing: build the eventstream_cases target")
endif()

set(cases ${WORK_DIR}/eventstream_cases.jsonl)
execute_process(COMMAND ${GENERATOR} OUTPUT_FILE ${cases} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "eventstream_conformance: eventstream_cases failed (${status})")
endif()
execute_process(COMMAND ${NODE} ${SCRIPT_DIR}/eventstream_conformance.mjs ${cases}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "eventstream_conformance: mismatches or errors (exit ${status}); cases in ${cases}")
endif()
