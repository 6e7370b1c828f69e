# ctest driver for eventstream_conformance: generator -> cases.jsonl -> node + @smithy/eventstream-codec
# (which also writes its own encoding of each case) -> DECODE_CHECK, llmm's decoder on those bytes.
# Any missing piece is a failure with the fix in the message, never a skip.
#   cmake -DGENERATOR=… -DDECODE_CHECK=… -DNODE=… -DSCRIPT_DIR=… -DWORK_DIR=… -P run_eventstream_conformance.cmake

include(${CMAKE_CURRENT_LIST_DIR}/conformance_prerequisites.cmake)
# @smithy/core is the codec's own dependency (it holds the implementation and getChunkedStream).
conformance_require(eventstream_conformance VARS GENERATOR DECODE_CHECK WORK_DIR
                    PACKAGES @smithy/eventstream-codec @smithy/core
                    BINARIES ${GENERATOR}=eventstream_cases ${DECODE_CHECK}=eventstream_decode_check)

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
