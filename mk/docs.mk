# The generated parts of docs/: `make docs` rewrites docs/config.md from
# `kiosk config doc`; tests/e2e/docs.sh checks it and the rest against the code.
.PHONY: docs
docs: $(BUILD)/kiosk
	$(Q)python3 -c 'import re,subprocess,sys; p="docs/config.md"; t=open(p,encoding="utf-8").read(); d=subprocess.run([sys.argv[1],"config","doc"],capture_output=True,text=True,check=True).stdout; open(p,"w",encoding="utf-8").write(re.sub(r"(<!-- generated: kiosk config doc -->\n).*?(<!-- end -->)", lambda m: m.group(1)+d+m.group(2), t, flags=re.S))' $(BUILD)/kiosk
	$(E) "  DOCS    docs/config.md"
