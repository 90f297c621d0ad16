#!/usr/bin/env bash
# Installs a Debian package that `make test` needs, unless its command is already there:
#
#     scripts/apt_install.sh COMMAND PACKAGE
#
# With apt-get, as root, or with sudo when not root (sudo may ask for your password).
# When it cannot, it says what to install and fails, rather than letting a test fail later
# for a reason that has nothing to do with the product.
set -euo pipefail
command_name=$1
package=$2

command -v "$command_name" >/dev/null 2>&1 && exit 0
echo "Installing $package (Debian package, for \`$command_name\`)..."

if [ "$(id -u)" -eq 0 ]; then
  as_root=(env)
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo env)
else
  as_root=()
fi

if [ ${#as_root[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1 \
    && "${as_root[@]}" apt-get update -qq \
    && "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null; then
  exit 0
fi

cat >&2 <<MESSAGE

Could not install the Debian package '$package', which provides \`$command_name\`.
\`make test\` installs it with apt-get, which needs root (or sudo) on Debian or Ubuntu.
Install it yourself, then run \`make test\` again:

    sudo apt-get install $package

MESSAGE
exit 1
