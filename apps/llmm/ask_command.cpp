#include "ask_command.hpp"

#include "attempt_table.hpp"
#include "exit_codes.hpp"

#include <llmm/llm_manager.hpp>
#include <llmm/message_builder.hpp>

#include <iostream>

namespace llmm::cli {

AskCommand::AskCommand(CLI::App& app) {
  command_ =
      app.add_subcommand("ask", "Send one prompt through an LLMManager and print the answer");
  command_->add_option("prompt", prompt_, "The user message")->required();
  targets_.add_to(*command_);
  command_
      ->add_option("-a,--attach", attachments_,
                   "A file to send with the prompt (image, document or video, detected from its "
                   "content); repeat for several")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command_->add_flag("--json", json_, "Print the whole response as JSON instead of the text");
}

int AskCommand::run() const {
  // The message first: an attachment Bedrock would refuse ends the command before any call.
  MessageBuilder question = user_message();
  question.add_text(prompt_);
  for (const std::string& attachment : attachments_) question.add_attachment(attachment);
  ConverseRequest request;
  request.messages.push_back(question.build());
  for (const std::string& warning : question.warnings())
    std::cerr << "warning: " << warning << '\n';

  const TargetFlags::Setup setup = targets_.resolve();
  const BedrockResponse response = setup.manager->converse(request);

  // -v: the attempts as a table beside the log lines.
  if (targets_.verbosity() > 0) {
    std::cerr << "catalog: " << to_string(setup.manager->catalog().source()) << '\n';
    for (const std::string& warning : setup.manager->catalog_warnings())
      std::cerr << "catalog warning: " << warning << '\n';
    std::cerr << format_attempt_table(response.attempts);
    for (const std::string& warning : response.warnings)
      std::cerr << "warning: " << warning << '\n';
  }
  if (json_) {
    std::cout << response.to_json() << '\n';
  } else if (response.ok()) {
    std::cout << response.text() << '\n';
  }
  if (!response.ok()) {
    std::cerr << "llmm: call failed: " << failure_description(response) << '\n';
    return kExitCallFailed;
  }
  return kExitSuccess;
}

}  // namespace llmm::cli
