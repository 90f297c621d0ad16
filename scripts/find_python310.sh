#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, the only version Rasa 3.6 runs on.
# Looks where users' machines have it: $PYTHON310, python3.10 on PATH, then pyenv.
set -u
is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }

candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for d in $(ls -d "$root"/versions/3.10* 2>/dev/null | sort -rV); do
    candidates+=("$d/bin/python3.10")
  done
fi
for py in "${candidates[@]}"; do
  if is_310 "$py"; then echo "$py"; exit 0; fi
done

cat >&2 <<'MSG'
No Python 3.10 found. Rasa 3.6 runs on Python 3.10 only.
Install one, then run the command again:
  - with pyenv:   pyenv install 3.10
  - on Debian/Ubuntu: apt-get install python3.10 python3.10-venv (or the deadsnakes PPA)
  - or point to one: PYTHON310=/path/to/python3.10 make run
MSG
exit 1
