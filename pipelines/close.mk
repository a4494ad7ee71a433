# The annual closing (issue 15 "Annual closing").
#
# `make close MODEL=NAME IN=DIR CLOSE=DIR [PLAN=FILE] [ISSUED=FILE]` runs
# the year (pipelines/run.mk) and freezes it in CLOSE:
#
#   records/FILE            the pseudonymised records, never the exports
#   exports.sha256          the exports' sha256 (names relative to IN)
#   key.sha256              the key's fingerprint: sha256 of the key file
#   providers.csv, plan.csv, issued.csv (the last two when given)
#   data/                   the data dir the outputs were made with:
#                           models/NAME.json, streams.csv, model.jq, the
#                           profiles the inputs named
#   outputs/                activities*.csv, allocations.csv, invoices.csv,
#                           reports/, rejects/ (not ingest's: those hold
#                           the exports' own fields)
#   summary.json            the run's (times, versions, sums)
#   MANIFEST                model, formats, git describe, build flags, the
#                           programs' sha256, then sha256 of every file
#
# CLOSE is built beside as CLOSE.tmp.PID and renamed into place; an
# existing CLOSE is never overwritten (exit 2).
#
# `make verify-close CLOSE=DIR` checks MANIFEST, rebuilds every output
# from the frozen records, model and reference data with today's programs,
# and compares bytes (all but MANIFEST and summary.json), printing each
# difference.  Any difference fails it (the check's status is 1; make
# itself then exits 2, as make does for any failed recipe).
ifndef ALF_CLOSE_MK
ALF_CLOSE_MK	:= 1

CLOSE_BIN	:= $(if $(ALF_BIN),$(abspath $(ALF_BIN)),$(abspath $(or $(BIN),bin)))
CLOSE_DATADIR	:= $(abspath $(or $(ALF_DATADIR),$(DATADIR),pipelines))
CLOSE_FILES	= $(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) -f pipelines/run.mk
# outputs compared by verify-close: everything a run writes but its
# records (inputs here), logs, summary.json and ingest's rejects
CLOSE_OUTPUTS	= find . \( -path ./records -o -path ./logs -o -path ./rejects/ingest \) -prune \
		  -o -type f ! -name summary.json -print | sed 's|^\./||' | LC_ALL=C sort

close:
	@[ -n "$(CLOSE)" ] && [ -n "$(MODEL)" ] && [ -n "$(IN)" ] || \
	    { echo "close: MODEL=NAME IN=DIR CLOSE=DIR are required" >&2; exit 2; }
	@[ ! -e "$(CLOSE)" ] || { echo "close: $(CLOSE) exists: a closing is never overwritten" >&2; exit 2; }
	@set -e; c=$(abspath $(CLOSE)); t=$$c.tmp.$$$$; rm -rf $$t; mkdir -p $$t; \
	trap 'rm -rf $$t' EXIT; \
	$(CLOSE_FILES) run MODEL='$(MODEL)' IN='$(IN)' OUT=$$t/run >&2 || \
	    { echo "close: the run failed (logs in $$t/run/logs, removed)" >&2; sed -n 's/^/  /p' $$t/run/logs/*.log >&2 || true; exit 3; }; \
	r=$$t/run; name=$$(jq -r .model $$r/summary.json); \
	mf=$(if $(findstring /,$(MODEL)),$(abspath $(MODEL)),$(CLOSE_DATADIR)/models/$(MODEL).json); \
	mkdir -p $$t/data/models $$t/data/profiles $$t/outputs; \
	cp -R $$r/records $$t/records; \
	cp $(abspath $(IN))/providers.csv $$t/providers.csv; \
	p='$(or $(PLAN),$(wildcard $(IN)/plan.csv))'; [ -z "$$p" ] || cp "$$p" $$t/plan.csv; \
	i='$(or $(ISSUED),$(wildcard $(IN)/issued.csv))'; [ -z "$$i" ] || cp "$$i" $$t/issued.csv; \
	cp $$mf $$t/data/models/$$name.json; \
	cp $(CLOSE_DATADIR)/streams.csv $(CLOSE_DATADIR)/model.jq $$t/data/; \
	for p in $$(jq -r '.inputs[].profile // empty' $$mf | sort -u); do \
	    [ ! -f $(CLOSE_DATADIR)/profiles/$$p ] || cp $(CLOSE_DATADIR)/profiles/$$p $$t/data/profiles/; done; \
	(cd $$r && $(CLOSE_OUTPUTS) | xargs cp --parents -t $$t/outputs); \
	cp $$r/summary.json $$t/summary.json; \
	jq -r '.inputs[] | "\(.sha256)  \(.file)"' $$r/summary.json > $$t/exports.sha256; \
	jq -r '.key_sha256' $$r/summary.json > $$t/key.sha256; \
	formats=$$(ls $$r/reports | sed -n 's/^budget\.//p' | LC_ALL=C sort | tr '\n' ' '); \
	rm -rf $$r; \
	{ echo "# alf closing: sha256sum -c MANIFEST checks the files"; \
	  echo "# model $$name"; \
	  echo "# formats $$formats"; \
	  echo "# version $$(git describe --always --dirty --tags 2>/dev/null || echo unknown)"; \
	  echo "# tool $$($(CLOSE_BIN)/alf-ingest --version)"; \
	  echo "# build $$($(CLOSE_BIN)/alf-ingest --build)"; \
	  echo "# made $$(date -u +%Y-%m-%dT%H:%M:%SZ) on $$(uname -n)"; \
	  for b in ingest normalize allocate invoice report; do \
	    echo "# program $$(sha256sum $(CLOSE_BIN)/alf-$$b | cut -d' ' -f1) alf-$$b"; done; \
	  cd $$t && find . -type f ! -name MANIFEST | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum; \
	} > $$t/MANIFEST; \
	find $$t -type f -exec chmod a-w {} +; \
	mv -T $$t $$c; trap - EXIT; \
	echo "close: $(CLOSE): $$(grep -c '^[0-9a-f]' $$c/MANIFEST) files frozen, key $$(cut -c1-16 $$c/key.sha256)…"

verify-close:
	@[ -n "$(CLOSE)" ] && [ -f "$(CLOSE)/MANIFEST" ] || \
	    { echo "verify-close: CLOSE=DIR, a closing with a MANIFEST, is required" >&2; exit 2; }
	@c=$(abspath $(CLOSE)); t=$$(mktemp -d); trap 'chmod -R u+w $$t; rm -rf $$t' EXIT; bad=0; \
	(cd $$c && grep -v '^#' MANIFEST | sha256sum -c --quiet -) >&2 || \
	    { echo "verify-close: $(CLOSE): files differ from MANIFEST" >&2; bad=1; }; \
	name=$$(sed -n 's/^# model //p' $$c/MANIFEST); \
	formats=$$(sed -n 's/^# formats //p' $$c/MANIFEST); \
	ALF_DATADIR=$$c/data $(CLOSE_FILES) run MODEL=$$name IN=$$c RECORDS_FROM=$$c \
	    OUT=$$t/run REPORT_FORMATS="$$formats" > $$t/make.log 2>&1 || \
	    { cat $$t/make.log >&2; echo "verify-close: the rebuild failed" >&2; exit 3; }; \
	(cd $$c/outputs && $(CLOSE_OUTPUTS)) > $$t/frozen; \
	(cd $$t/run && $(CLOSE_OUTPUTS)) > $$t/rebuilt; \
	if ! cmp -s $$t/frozen $$t/rebuilt; then bad=1; \
	    echo "verify-close: the rebuild writes other files:"; diff $$t/frozen $$t/rebuilt | sed -n 's/^[<>]/ &/p'; fi; \
	n=0; for f in $$(cat $$t/frozen); do \
	    [ -f $$t/run/$$f ] || continue; \
	    if ! cmp -s $$c/outputs/$$f $$t/run/$$f; then n=$$((n + 1)); bad=1; \
	        echo "verify-close: outputs/$$f differs:"; \
	        case $$f in *.xlsx) cmp $$c/outputs/$$f $$t/run/$$f | sed 's/^/  /';; \
	        *) diff -u --label frozen/$$f --label rebuilt/$$f $$c/outputs/$$f $$t/run/$$f | head -n 40;; esac; fi; \
	done; \
	if [ $$bad -eq 0 ]; then echo "verify-close: $(CLOSE): $$(wc -l < $$t/frozen) outputs rebuilt byte for byte"; \
	else echo "verify-close: $(CLOSE): $$n outputs differ" >&2; exit 1; fi

.PHONY: close verify-close
endif
