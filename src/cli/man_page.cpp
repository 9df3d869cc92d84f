#include "cli/man_page.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

#include "cli/cli_util.hpp"
#include "hapmat/version.hpp"

namespace hapmat::cli {

namespace {

constexpr const char* kExitStatus =
    ".SH EXIT STATUS\n"
    "0 success; 1 bad input or an I/O failure; 2 a usage error, such as a "
    "bad option; 128 + N when killed by signal N (SIGINT, SIGTERM, SIGHUP), "
    "the temporary output removed.\n";

// Text as roff reads it: a backslash is roff's escape, `\-` keeps a
// hyphen-minus that can be copied into a shell, and a line may not start
// with a control character.
std::string roff(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::string bold(std::string_view text) { return "\\fB" + roff(text) + "\\fR"; }
std::string italic(std::string_view text) {
  return "\\fI" + roff(text) + "\\fR";
}

// "TEXT:{a|b}" is shown as its choices, "TEXT:FILE" as FILE, "UINT:INT in
// [0 - 4096]" as UINT.
std::string valueOf(const CLI::Option& option) {
  std::vector<std::string> choices = choicesOf(option);
  if (choices.empty()) {
    std::string type = option.get_type_name();
    if (type.find(":FILE") != std::string::npos) return italic("FILE");
    return italic(type.substr(0, type.find(':')));
  }
  std::string value;
  for (const std::string& choice : choices) {
    value += (value.empty() ? "" : "|") + bold(choice);
  }
  return value;
}

// "\fB-o\fR, \fB--output\fR \fIFILE\fR", "\fB--index\fR[=\fBauto\fR|...]".
std::string optionTerm(const CLI::Option& option) {
  std::string names;
  for (const std::string& name : optionNames(option)) {
    names += (names.empty() ? "" : ", ") + bold(name);
  }
  if (takesValue(option)) return names + " " + valueOf(option);
  if (!choicesOf(option).empty()) return names + "[=" + valueOf(option) + "]";
  return names;
}

std::string optionEntry(const CLI::Option& option) {
  std::string entry = ".TP\n" + optionTerm(option) + "\n" +
                      roff(option.get_description()) + "\n";
  if (takesValue(option) && !option.get_default_str().empty()) {
    entry += ".br\nDefault: " + bold(option.get_default_str()) + ".\n";
  }
  return entry;
}

bool isVector(const CLI::Option& option) {
  return option.get_items_expected_max() >=
         CLI::detail::expected_max_vector_size;
}

std::string synopsis(const CLI::App& command) {
  std::string line = ".SH SYNOPSIS\n.B hapmat";
  if (command.get_parent() != nullptr) line += " " + command.get_name();
  line += "\n[\\fIOPTIONS\\fR]";
  if (!subcommandsOf(command).empty()) line += " [\\fICOMMAND\\fR]";
  for (const CLI::Option* option : command.get_options()) {
    if (option->nonpositional()) continue;
    line += " " + italic(option->get_name());
    if (isVector(*option)) line += "\\&...";
  }
  return line + "\n";
}

std::string argumentsAndOptions(const CLI::App& command) {
  std::string arguments, options;
  for (const CLI::Option* option : command.get_options()) {
    if (option->nonpositional()) {
      options += optionEntry(*option);
    } else {
      arguments += ".TP\n" + italic(option->get_name()) + "\n" +
                   roff(option->get_description()) + "\n";
    }
  }
  std::string text;
  if (!arguments.empty()) text += ".SH ARGUMENTS\n" + arguments;
  return text + ".SH OPTIONS\n" + options;
}

std::string commands(const CLI::App& command) {
  std::vector<const CLI::App*> subcommands = subcommandsOf(command);
  if (subcommands.empty()) return "";
  std::string text = ".SH COMMANDS\n";
  for (const CLI::App* subcommand : subcommands) {
    text += ".TP\n" + bold(subcommand->get_name()) + "\n" +
            roff(subcommand->get_description()) + "\n.br\nSee " +
            bold(manPageName(*subcommand)) + "(1).\n";
  }
  return text;
}

// Every page names the others.
std::string seeAlso(const CLI::App& command) {
  const CLI::App& top =
      command.get_parent() != nullptr ? *command.get_parent() : command;
  std::vector<std::string> pages;
  for (const CLI::App* page : subcommandsOf(top)) {
    if (page != &command) pages.push_back(manPageName(*page));
  }
  if (&top != &command) pages.insert(pages.begin(), manPageName(top));
  std::string text = ".SH SEE ALSO\n";
  for (std::size_t i = 0; i < pages.size(); ++i) {
    text += bold(pages[i]) + "(1)" + (i + 1 < pages.size() ? ",\n" : "\n");
  }
  return text +
         ".PP\nThe format contract, the cluster recipes and the other "
         "documents are installed in share/hapmat/docs.\n";
}

// The NAME line's summary: the top command's description starts with
// "hapmat: ", which the page's name already says.
std::string summary(const CLI::App& command) {
  std::string text = command.get_description();
  std::string prefix = command.get_name() + ": ";
  if (text.starts_with(prefix)) text.erase(0, prefix.size());
  return text;
}

// "hapmat: converts ..." reads "hapmat converts ..." as a sentence.
std::string description(const CLI::App& command) {
  std::string text = summary(command);
  if (text.size() < command.get_description().size()) {
    text = command.get_name() + " " + text;
  }
  return text;
}

}  // namespace

std::string manPageName(const CLI::App& command) {
  return command.get_parent() != nullptr ? "hapmat-" + command.get_name()
                                         : command.get_name();
}

std::string manPage(const CLI::App& command) {
  std::string name = manPageName(command);
  std::string title = name;
  std::transform(title.begin(), title.end(), title.begin(), [](char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  return ".TH " + roff(title) + " 1 \"\" \"hapmat " + kVersion +
         "\" \"User Commands\"\n"
         // Neither hyphenated nor justified: option names stay whole.
         ".nh\n.ad l\n.SH NAME\n" +
         roff(name) + " \\- " + roff(summary(command)) + "\n" +
         synopsis(command) + ".SH DESCRIPTION\n" + roff(description(command)) +
         "\n" + commands(command) + argumentsAndOptions(command) + kExitStatus +
         seeAlso(command);
}

}  // namespace hapmat::cli
