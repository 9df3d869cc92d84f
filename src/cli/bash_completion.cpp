#include "cli/bash_completion.hpp"

#include <vector>

#include "cli/cli_util.hpp"

namespace hapmat::cli {

namespace {

// The script's fixed part. `option` is the option whose value is being
// typed: readline splits `--index=tbi` into `--index`, `=` and `tbi`.
constexpr const char* kHead =
    R"(# bash completion for hapmat, rendered from its command line by hapmat_docs.
_hapmat() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local command="" option="" words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      COMMANDS) command=${COMP_WORDS[i]}; break ;;
    esac
  done
  if [[ $cur == = ]]; then
    option=$prev cur=""
  elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
    option=${COMP_WORDS[COMP_CWORD-2]}
  else
    option=$prev
  fi
  case "$command:$option" in
)";

constexpr const char* kTail = R"(  esac
  if [[ -z $command || $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
}
complete -o default -F _hapmat hapmat
)";

std::string join(const std::vector<std::string>& words, const char* between) {
  std::string text;
  for (const std::string& word : words) {
    text += (text.empty() ? "" : between) + word;
  }
  return text;
}

// The case branches of one command: its options' fixed values, then, for an
// option that takes a free value, nothing (a file name, by default), and
// its words: the options and subcommands it takes.
std::string branches(const CLI::App& command, const std::string& key) {
  std::string text, valued;
  std::vector<std::string> words;
  for (const CLI::Option* option : command.get_options()) {
    if (!option->nonpositional()) continue;
    std::vector<std::string> names = optionNames(*option);
    words.insert(words.end(), names.begin(), names.end());
    std::vector<std::string> choices = choicesOf(*option);
    std::string pattern = key + ":" + join(names, ("|" + key + ":").c_str());
    if (!choices.empty()) {
      text += "    " + pattern + ")\n      COMPREPLY=($(compgen -W \"" +
              join(choices, " ") + "\" -- \"$cur\"))\n      return ;;\n";
    } else if (takesValue(*option)) {
      valued += (valued.empty() ? "" : "|") + pattern;
    }
  }
  if (!valued.empty()) text += "    " + valued + ")\n      return ;;\n";
  for (const CLI::App* subcommand : subcommandsOf(command)) {
    words.push_back(subcommand->get_name());
  }
  return text + "    " + key + ":*)\n      words=\"" + join(words, " ") +
         "\" ;;\n";
}

}  // namespace

std::string bashCompletion(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* subcommand : subcommandsOf(app)) {
    names.push_back(subcommand->get_name());
  }
  std::string script = kHead;
  script.replace(script.find("COMMANDS"), 8, join(names, "|"));
  for (const CLI::App* subcommand : subcommandsOf(app)) {
    script += branches(*subcommand, subcommand->get_name());
  }
  return script + branches(app, "") + kTail;
}

}  // namespace hapmat::cli
