# ctest driver for eventstream_conformance: generator -> cases.jsonl -> node + @smithy/eventstream-codec
# (which also writes its own encoding of each case) -> DECODE_CHECK, llmm's decoder on those bytes.
# Any missing piece is a failure with the fix in the message, never a skip.
#   cmake -DGENERATOR=… -DDECODE_CHECK=… -DNODE=… -DSCRIPT_DIR=… -DWORK_DIR=… -P run_eventstream_conformance.cmake

foreach(var GENERATOR DECODE_CHECK SCRIPT_DIR WORK_DIR)
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
if(NOT EXISTS ${DECODE_CHECK})
  message(FATAL_ERROR "eventstream_conformance: ${DECODE_CHECK} missing: build the eventstream_decode_check target")
endif()

set(cases ${WORK_DIR}/eventstream_cases.jsonl)
execute_process(COMMAND ${GENERATOR} OUTPUT_FILE ${cases} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "eventstream_conformance: eventstream_cases failed (${status})")
endif()
set(smithy_encoded ${WORK_DIR}/eventstream_smithy_encoded.jsonl)
file(REMOVE ${smithy_encoded})  # never check a stale file
execute_process(COMMAND ${NODE} ${SCRIPT_DIR}/eventstream_conformance.mjs ${cases} ${smithy_encoded}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "eventstream_conformance: mismatches or errors (exit ${status}); cases in ${cases}")
endif()
execute_process(COMMAND ${DECODE_CHECK} ${smithy_encoded} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "eventstream_conformance: llmm's decoder differs on smithy's bytes (exit ${status}); "
                      "input in ${smithy_encoded}")
endif()
