#include "exit_codes.hpp"

#include <llmm/exceptions.hpp>

#include <iostream>
#include <stdexcept>

namespace llmm::cli {

int run_guarded(const std::function<int()>& command) {
  try {
    return command();
  } catch (const ConfigurationError& error) {
    std::cerr << "llmm: configuration error: " << error.what() << '\n';
  } catch (const CatalogUnavailableError& error) {
    // Only with the bundled fallback disabled, or a broken build: the setup cannot work as given.
    std::cerr << "llmm: catalog unavailable: " << error.what() << '\n';
  } catch (const AuthenticationError& error) {
    std::cerr << "llmm: credentials error: " << error.what() << '\n';
  } catch (const RequestValidationError& error) {
    std::cerr << "llmm: invalid request: " << error.what() << '\n';
  } catch (const std::invalid_argument& error) {
    std::cerr << "llmm: invalid argument: " << error.what() << '\n';
  } catch (const std::exception& error) {
    std::cerr << "llmm: error: " << error.what() << '\n';
    return kExitCallFailed;
  }
  return kExitConfiguration;
}

int exit_for_parse_error(const CLI::App& app, const CLI::ParseError& error) {
  const int code = app.exit(error);
  // CallForHelp, CallForAllHelp and CallForVersion exit with CLI11's Success (0).
  return code == 0 ? kExitSuccess : kExitConfiguration;
}

}  // namespace llmm::cli
