#!/bin/sh
# Install the Debian packages named as arguments that are not installed yet.
# Quiet and quick when everything is there.  An argument PKG@CMD is skipped
# when the command CMD is already on PATH (node and npm may come from
# elsewhere, and Debian's npm package conflicts with such a node).
missing=""
for a in "$@"; do
	p=${a%%@*}
	case "$a" in *@*) command -v "${a#*@}" >/dev/null 2>&1 && continue ;; esac
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$s" in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || exit 1
$SUDO apt-get install -y -qq --no-install-recommends $missing || exit 1
