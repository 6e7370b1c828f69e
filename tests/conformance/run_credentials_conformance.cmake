# ctest driver for credentials_conformance: node + the AWS SDK for JavaScript v3's own credential
# providers (IMDS, container, web identity, role profile, credential_process, SSO) against the
# bedrock-emulator binary's credential services (credentials_conformance.mjs spawns it on a free
# port, in an isolated HOME, and stops it). Any missing piece is a failure with the fix in the
# message, never a skip.
#   cmake -DEMULATOR=… -DNODE=… -DSCRIPT_DIR=… -P run_credentials_conformance.cmake

include(${CMAKE_CURRENT_LIST_DIR}/conformance_prerequisites.cmake)
conformance_require(credentials_conformance VARS EMULATOR
                    PACKAGES @aws-sdk/client-bedrock-runtime @smithy/node-http-handler
                             @smithy/credential-provider-imds @aws-sdk/credential-provider-http
                             @aws-sdk/credential-provider-ini @aws-sdk/credential-provider-process
                             @aws-sdk/credential-provider-sso @aws-sdk/credential-provider-web-identity
                    BINARIES ${EMULATOR}=bedrock_emulator)

execute_process(COMMAND ${NODE} ${SCRIPT_DIR}/credentials_conformance.mjs ${EMULATOR}
                WORKING_DIRECTORY ${SCRIPT_DIR}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "credentials_conformance: failed checks or errors (exit ${status}); see FAIL lines above")
endif()
