# Sourced before every command of a README (terminal.ts): restores the terminal's folder,
# variables and functions, and gives `docker` a label on what it creates, for the cleanup.
exec 2>&1
__docs_baseline=" $(compgen -v | tr '\n' ' ') "
# shellcheck source=/dev/null
source "$__DOCS_STATE"

docker() {
  case "$1 $2" in
    "run "* | "create "*) command docker "$1" --label "$__DOCS_LABEL" "${@:2}" ;;
    "container run" | "container create" | "network create" | "volume create")
      command docker "$1" "$2" --label "$__DOCS_LABEL" "${@:3}" ;;
    *) command docker "$@" ;;
  esac
}
export -f docker

# Writes what the next command starts from: the folder, the exported variables, the functions,
# and the shell variables the README set.
__docs_save() {
  {
    printf 'cd -- %q\n' "$PWD"
    export -p
    declare -f
    for __docs_name in $(compgen -v); do
      case "$__docs_baseline" in *" $__docs_name "*) continue ;; esac
      case "$__docs_name" in __docs* | BASH* | FUNCNAME | PIPESTATUS | _) continue ;; esac
      declare -p "$__docs_name" | grep -v '^declare -[a-zA-Z]*r'
    done
  } >"$__DOCS_STATE.new" && mv "$__DOCS_STATE.new" "$__DOCS_STATE"
}
