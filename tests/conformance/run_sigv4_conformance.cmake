# ctest driver for sigv4_conformance: generator -> cases.jsonl -> node + @smithy/signature-v4.
# Any missing piece is a failure with the fix in the message, never a skip.
#   cmake -DGENERATOR=… -DNODE=… -DSCRIPT_DIR=… -DWORK_DIR=… -P run_sigv4_conformance.cmake

include(${CMAKE_CURRENT_LIST_DIR}/conformance_prerequisites.cmake)
conformance_require(sigv4_conformance VARS GENERATOR WORK_DIR
                    PACKAGES @smithy/signature-v4 @aws-crypto/sha256-js
                    BINARIES ${GENERATOR}=sigv4_cases)

set(cases ${WORK_DIR}/sigv4_cases.jsonl)
execute_process(COMMAND ${GENERATOR} OUTPUT_FILE ${cases} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "sigv4_conformance: sigv4_cases failed (${status})")
endif()
execute_process(COMMAND ${NODE} ${SCRIPT_DIR}/sigv4_conformance.mjs ${cases} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "sigv4_conformance: mismatches or errors (exit ${status}); cases in ${cases}")
endif()
