#!/bin/sh
# make style: check, never rewrite, the C layout against .clang-format.
#
#   mk/style.sh BASE    the lines changed since this branch left git revision
#                       BASE (committed or not; the merge base, so others'
#                       later work on BASE is not yours) that clang-format
#                       would lay out otherwise,
#                       as a diff; new code keeps the house style without a
#                       reformat of the tree.
#   mk/style.sh         every C file: how many of its lines differ.
# Exit status 1 when anything differs, 2 when clang-format is missing.
# (.clang-format follows the code; the lines it would change in the tree
# as it is are mostly a different choice of where to wrap.)
FILES='kiosk screens include tests'
command -v clang-format >/dev/null 2>&1 ||
	{ echo "style: clang-format is missing (make deps)"; exit 2; }
if [ -n "${1:-}" ]; then
	base=$(git merge-base "$1" HEAD 2>/dev/null) ||
		{ echo "style: no git revision '$1' in common with HEAD"; exit 2; }
	out=$(git diff -U0 --no-color "$base" -- $FILES | grep -av '^Binary files' |
		clang-format-diff -p1 -regex '.*\.[ch]' 2>&1)
	if [ -n "$out" ]; then
		echo "$out"
		echo "style: the lines above (changed since $1) differ from .clang-format"
		exit 1
	fi
	echo "style: the lines changed since $1 follow .clang-format"
	exit 0
fi
tot=0; nf=0
for f in $(git ls-files $FILES | grep -E '\.[ch]$'); do
	n=$(clang-format "$f" | diff -a "$f" - | grep -ac '^<')
	[ "$n" -gt 0 ] || continue
	printf '%6d  %s\n' "$n" "$f"
	tot=$((tot + n)); nf=$((nf + 1))
done
[ $tot -eq 0 ] && { echo "style: every file follows .clang-format"; exit 0; }
echo "style: $tot lines in $nf files differ from .clang-format (clang-format FILE | diff FILE - shows them)"
exit 1
