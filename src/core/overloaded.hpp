#pragma once
// The usual visitor helper: std::visit(Overloaded{[](const A&) {...}, [](const B&) {...}}, v).

namespace llmm::core {

template <typename... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace llmm::core
