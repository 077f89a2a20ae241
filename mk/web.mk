# mk/web.mk - the web pages (assets/web/) and their browser tests.
#
# The tests drive Debian's chromium with playwright-core from npm; the one
# npm package is pinned by tests/web/package-lock.json and installed with
# `npm ci` (node 20 and npm come with the machine's nodejs package).
DEB_TEST += chromium nodejs@node npm@npm curl procps

WEB_NODE_STAMP = tests/web/node_modules/.package-lock.json

CHECK_PREREQS += $(WEB_NODE_STAMP)
BENCH_PREREQS += $(WEB_NODE_STAMP)

$(WEB_NODE_STAMP): tests/web/package.json tests/web/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	    echo "web tests: npm is missing (install node 20 with npm, e.g. the nodejs package)"; exit 1; }
	$(E) "  NPM     tests/web (npm ci)"
	$(Q)cd tests/web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: web-deps
web-deps: $(WEB_NODE_STAMP)
