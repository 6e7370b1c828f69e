# ctest driver for converse_body_conformance: converse_body_conformance.mjs starts the emulator
# with --log-bodies on a free port, runs converse_body_cases against it (llmm's LLMManager sends
# every case), sends the same inputs through the JS SDK's ConverseCommand and compares the two
# logged bodies. Any missing piece is a failure with the fix in the message, never a skip.
#   cmake -DEMULATOR=… -DGENERATOR=… -DNODE=… -DSCRIPT_DIR=… -DWORK_DIR=… [-DSEED=…] [-DCOUNT=…]
#         -P run_converse_body_conformance.cmake

include(${CMAKE_CURRENT_LIST_DIR}/conformance_prerequisites.cmake)
conformance_require(converse_body_conformance VARS EMULATOR GENERATOR WORK_DIR
                    PACKAGES @aws-sdk/client-bedrock-runtime @smithy/node-http-handler
                    BINARIES ${EMULATOR}=bedrock_emulator ${GENERATOR}=converse_body_cases)

set(extra)
if(SEED)
  list(APPEND extra --seed ${SEED})
endif()
if(COUNT)
  list(APPEND extra --count ${COUNT})
endif()
execute_process(COMMAND ${NODE} ${SCRIPT_DIR}/converse_body_conformance.mjs
                        --emulator ${EMULATOR} --generator ${GENERATOR} --work ${WORK_DIR} ${extra}
                WORKING_DIRECTORY ${SCRIPT_DIR}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "converse_body_conformance: differences or errors (exit ${status}); see the "
                      "DIFF/FAIL lines above; cases in ${WORK_DIR}/converse_body_cases.jsonl")
endif()
