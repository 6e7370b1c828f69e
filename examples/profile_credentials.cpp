// Credentials from a named profile of the shared files (~/.aws/credentials and ~/.aws/config,
// or AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE): says where they came from (never the
// secret), then makes one call with them. The region is the profile's when none is given.
//   profile_credentials PROFILE [REGION]
#include <llmm/auth_manager.hpp>
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: profile_credentials PROFILE [REGION]\n";
    return 2;
  }
  llmm::AuthConfig auth;
  auth.type = llmm::AuthType::Profile;
  auth.profile_name = argv[1];
  std::vector<std::string> regions;  // empty: the configured region (here the profile's)
  if (argc > 2) regions.emplace_back(argv[2]);

  try {
    llmm::LLMManager manager({.models = {"Nova Pro"}, .regions = regions, .auth = auth});
    const llmm::CredentialsInfo info = manager.auth_manager().credentials_info();
    std::cout << "credentials: " << info.provider << " (" << info.source << ")\n"
              << "region: " << manager.regions().front() << '\n';
    auto response = manager.converse(llmm::ConverseRequest::from_prompt("Hello"));
    if (!response.ok()) {
      std::cerr << response.error->describe() << '\n';
      return 1;
    }
    std::cout << response.text() << '\n';
    return 0;
  } catch (const llmm::ConfigurationError& error) {  // no such profile, no region, ...
    std::cerr << "configuration: " << error.what() << '\n';
    return 2;
  } catch (const llmm::AuthenticationError& error) {  // the profile holds no usable credentials
    std::cerr << "credentials: " << error.what() << '\n';
    return 2;
  }
}
