# `make run MODEL=NAME IN=DIR OUT=DIR`: one model's year from the exports
# in IN (the model's `inputs`: which profile reads which file for which
# year; providers.csv beside them) to OUT (issue 15 "Pipelines"):
#
#   OUT/records/FILE          alf-ingest of each input (pseudonymised)
#   OUT/activities.csv        alf-normalize of the model year's records
#   OUT/activities-YYYY.csv   ... of another year's (an input's `year`)
#   OUT/allocations.csv       alf-allocate over all activities
#   OUT/invoices.csv          alf-invoice (PLAN=, ISSUED=: default IN/plan.csv
#                             and IN/issued.csv when they exist)
#   OUT/reports/              budget.txt (+ .html, .xlsx when alf-report
#                             has those formats), closing.txt, reconcile.txt
#   OUT/rejects/              every stage's rejected rows
#   OUT/logs/STEP.log, .rc    each step's diagnostics, times and exit status
#   OUT/summary.json          model, status, counts per step, pot totals,
#                             sha256 of every input and output, tool version
#
# Every step runs in OUT (ingest in IN) with relative file names, so no
# output holds a directory: `src` is FILE:LINE with FILE relative to IN.
# A step's exit 1 (rejects, a failed reconciliation) is recorded and the
# run goes on; 2 and 3 stop it (make then exits 2: the step's own status
# is in OUT/logs/STEP.rc, which is what pipelines/nightly reports).
# Make re-runs only what changed: each file depends on its inputs, the
# model, the data it reads (the input's profile, streams.csv, model.jq),
# the key and the program.  The key is $ALF_KEY_FILE, else the
# demo's local key (pipelines/demo-key).  The programs are $ALF_BIN's when
# set, else $(BIN)'s, built first.
#
# Pipes where they can (issue 15): the model year's largest export goes
# through `alf-ingest | tee | alf-normalize` when its records and the
# activities are both out of date, so normalize works while ingest reads
# (on two cores that is the national year's last region's 2 s idle,
# bench/README-national.md).  Each program keeps its own log and status,
# as a step of its own; tee writes the records (they are an output, and
# the closing freezes them) and normalize reads the stream under their
# name (--label), so every byte is that of a run from files.  Both
# programs write into logs/pipe/ and are published from there only when
# both are through: an ingest that stops with 2 or 3 leaves no records and
# no activities (normalize's log and status of the half stream are
# dropped), a normalize that stops leaves ingest's records, as a run from
# files would.  Everything else passes files: every stage's output is one
# of the run's outputs, and make re-runs one stage alone when only its
# inputs changed (a new providers.csv re-runs normalize, not ingest: the
# records are up to date, and normalize reads them).  RUN_PIPE=0 runs
# every step from files.
#
# RECORDS_FROM=DIR takes the records from DIR instead of ingesting the
# exports (make verify-close rebuilds a closing from its frozen records).
ifndef ALF_RUN_MK
ALF_RUN_MK	:= 1

STAGE_TIMEOUT	?= 1800
RUN_BIN		:= $(if $(ALF_BIN),$(abspath $(ALF_BIN)),$(abspath $(or $(BIN),bin)))
RUN_DATADIR	:= $(abspath $(or $(ALF_DATADIR),$(DATADIR),pipelines))
RUN_GOALS	:= $(filter run run-check close,$(MAKECMDGOALS))

ifneq ($(RUN_GOALS),)
RUN_IN		:= $(abspath $(IN))
RUN_OUT		:= $(abspath $(or $(OUT),out/run/$(notdir $(MODEL))))
# a model with a `/` is a path, else a name in the data dir
RUN_MODEL_FILE	:= $(if $(findstring /,$(MODEL)),$(abspath $(MODEL)),$(RUN_DATADIR)/models/$(MODEL).json)
RUN_MODEL	:= $(if $(findstring /,$(MODEL)),$(RUN_MODEL_FILE),$(MODEL))
RUN_P		:= $(RUN_IN)/providers.csv
# the model's year and its inputs, FILE:PROFILE:YEAR each (`records`, or
# none, reads canonical records), from one jq: `year=YYYY` and the inputs
RUN_MODEL_INFO	:= $(shell jq -r '"year=" + (.year // "" | tostring), (.year as $$y | .inputs[]? | [.file, (.profile // "records"), (.year // $$y)] | map(tostring) | join(":"))' '$(RUN_MODEL_FILE)' 2>/dev/null)
RUN_YEAR	:= $(patsubst year=%,%,$(filter year=%,$(RUN_MODEL_INFO)))
RUN_INPUTS	:= $(filter-out year=%,$(RUN_MODEL_INFO))
RUN_YEARS	:= $(RUN_YEAR) $(filter-out $(RUN_YEAR),$(sort $(foreach i,$(RUN_INPUTS),$(word 3,$(subst :, ,$(i))))))
RUN_PLAN	:= $(abspath $(or $(PLAN),$(wildcard $(RUN_IN)/plan.csv)))
RUN_ISSUED	:= $(abspath $(or $(ISSUED),$(wildcard $(RUN_IN)/issued.csv)))
RUN_RECORDS	:= $(if $(RECORDS_FROM),$(abspath $(RECORDS_FROM)))
# the key only matters when exports are read
RUN_KEY		:= $(if $(RUN_RECORDS),,$(abspath $(or $(ALF_KEY_FILE),$(if $(RUN_INPUTS),$(shell pipelines/demo-key)))))
# reports: text always, html and xlsx when this alf-report writes them
REPORT_FORMATS	?= txt $(shell $(RUN_BIN)/alf-report --help 2>&1 | grep -o -w -e html -e xlsx | sort -u)
# in one order whatever the order asked for: the reconciliation lists them
RUN_FORMATS	:= $(foreach f,txt html xlsx,$(filter $(f),$(REPORT_FORMATS)))

run_fname	= $(subst /,_,$(1))
run_file	= $(word 1,$(subst :, ,$(1)))
run_profile	= $(word 2,$(subst :, ,$(1)))
run_iyear	= $(word 3,$(subst :, ,$(1)))
run_acts	= $(RUN_OUT)/activities$(if $(filter $(RUN_YEAR),$(1)),,-$(1)).csv
run_yinputs	= $(foreach i,$(RUN_INPUTS),$(if $(filter $(1),$(call run_iyear,$(i))),$(i)))
run_recs	= $(foreach i,$(call run_yinputs,$(1)),records/$(call run_file,$(i)))

RUN_ACTS	:= $(foreach y,$(RUN_YEARS),$(call run_acts,$(y)))
RUN_REPORTS	:= $(foreach f,$(RUN_FORMATS),$(RUN_OUT)/reports/budget.$(f)) \
		   $(RUN_OUT)/reports/closing.txt
RUN_STEPS	:= $(foreach i,$(RUN_INPUTS),ingest-$(call run_fname,$(call run_file,$(i)))) \
		   $(foreach y,$(RUN_YEARS),normalize$(if $(filter $(RUN_YEAR),$(y)),,-$(y))) \
		   allocate invoice $(foreach f,$(RUN_FORMATS),report-budget-$(f)) \
		   report-closing-txt report-reconcile-txt
RUN_PROGS	:= $(foreach t,ingest normalize allocate invoice report,$(RUN_BIN)/alf-$(t))
# the data every step reads: streams.csv always, model.jq with the model
RUN_STREAMS	:= $(RUN_DATADIR)/streams.csv
RUN_MODELDATA	:= $(RUN_MODEL_FILE) $(RUN_DATADIR)/model.jq $(RUN_STREAMS)
# an input's profile file: a name in the data dir, a path (relative to
# IN, where ingest runs); none for records, or when missing (ingest says so)
run_proffile	= $(if $(filter records,$(call run_profile,$(1))),,$(wildcard $(if $(findstring /,$(call run_profile,$(1))),$(abspath $(RUN_IN)/$(call run_profile,$(1))),$(RUN_DATADIR)/profiles/$(call run_profile,$(1)))))
NOW		= date -u +%Y-%m-%dT%H:%M:%SZ
# RUN_MEASURE=1: each step's wall, user and system seconds and peak RSS
# (KiB) to logs/STEP.time (bench/national.mk reads them)
RUN_TIMER	= $(if $(RUN_MEASURE),/usr/bin/time -f '%e %U %S %M' -o $$l.time)

# model.jq's output, kept for the run's other programs (lib/model.c
# ALF_MODEL_CACHE): the model is read by a dozen steps, jq runs once
RUN_MODELCACHE	= $(abspath $(RUN_OUT))/logs/model-cache

# The steps' shell functions.  step_start NAME: logs/NAME.log's first
# time stamp.  step_exec NAME DIR CMD...: CMD in DIR, its diagnostics to
# logs/NAME.err; a hung step is stopped after STAGE_TIMEOUT seconds.
# step_end NAME STATUS: the diagnostics to the terminal and the log, the
# last time stamp and the status (a signal or a timeout counts as 3) to
# logs/NAME.rc; true for 0 and 1.
RUN_STEP_FNS	= step_start() { rm -f $(RUN_OUT)/logs/$$1.rc; echo "$$($(NOW)) start $$1" > $(RUN_OUT)/logs/$$1.log; }; \
		  step_exec() { l=$(RUN_OUT)/logs/$$1; d=$$2; shift 2; \
		  (cd "$$d" && ALF_MODEL_CACHE=$(RUN_MODELCACHE) exec $(RUN_TIMER) timeout -k 10 $(STAGE_TIMEOUT) "$$@") 2> $$l.err; }; \
		  step_end() { l=$(RUN_OUT)/logs/$$1; rc=$$2; \
		  case $$rc in 0|1|2|3) ;; *) echo "$$1: stopped (status $$rc)" >> $$l.err; rc=3;; esac; \
		  tee -a $$l.log < $$l.err >&2; rm -f $$l.err; \
		  echo "$$($(NOW)) exit $$rc $$1" >> $$l.log; echo $$rc > $$l.rc; \
		  [ $$rc -le 1 ]; };
# step NAME DIR CMD...: one step, from start to end
RUN_STEP	= $(RUN_STEP_FNS) step() { step_start $$1; step_exec "$$@"; step_end $$1 $$?; }; step

run: run-check $(RUN_OUT)/summary.json
	@echo "run: $(MODEL) in $(RUN_OUT): $$(cat $(RUN_OUT)/logs/status 2>/dev/null || jq -r .status $(RUN_OUT)/summary.json)"

# configuration first: exit 2 naming what is missing
run-check:
	@[ -n "$(MODEL)" ] || { echo "run: MODEL=NAME is required" >&2; exit 2; }
	@[ -f "$(RUN_MODEL_FILE)" ] || { echo "run: no model $(RUN_MODEL_FILE)" >&2; exit 2; }
	@[ -n "$(RUN_YEAR)" ] && [ -n "$(RUN_INPUTS)" ] || { echo "run: $(RUN_MODEL_FILE): no year or no inputs" >&2; exit 2; }
	@[ -d "$(RUN_IN)" ] && [ -n "$(IN)" ] || { echo "run: IN=DIR is required, the directory of the exports ($(IN))" >&2; exit 2; }
	@[ -f "$(RUN_P)" ] || { echo "run: $(RUN_P): no providers.csv beside the exports" >&2; exit 2; }
	@for f in $(if $(RUN_RECORDS),$(addprefix $(RUN_RECORDS)/,$(foreach i,$(RUN_INPUTS),records/$(call run_file,$(i)))),$(addprefix $(RUN_IN)/,$(foreach i,$(RUN_INPUTS),$(call run_file,$(i))))); do \
	    [ -e "$$f" ] || { echo "run: $$f: missing (an input of $(MODEL))" >&2; exit 2; }; done
	@[ -n "$(RUN_RECORDS)" ] || [ -f "$(RUN_KEY)" ] || { echo "run: no key file ($(RUN_KEY)): set ALF_KEY_FILE" >&2; exit 2; }
ifeq ($(ALF_BIN),)
	@$(MAKE) --no-print-directory all
endif
	@mkdir -p $(RUN_OUT)/logs $(RUN_OUT)/records $(RUN_OUT)/rejects $(RUN_OUT)/reports \
	    $(RUN_MODELCACHE)

# the command of an input's ingest, run in IN: ARGS are where it writes
run_ingest_cmd	= $(RUN_BIN)/alf-ingest \
		  $(if $(filter records,$(call run_profile,$(1))),,--profile $(call run_profile,$(1))) \
		  --key-file $(RUN_KEY) --year $(call run_iyear,$(1)) \
		  --rejects $(RUN_OUT)/rejects/ingest/$(call run_file,$(1)) $(2) $(call run_file,$(1))
# what an input's records are made from
run_ingest_deps	= $(RUN_IN)/$(call run_file,$(1)) $(RUN_MODEL_FILE) $(call run_proffile,$(1)) $(RUN_STREAMS) $(RUN_KEY) $(RUN_BIN)/alf-ingest
# ingest: each export as its profile reads it, from inside IN
define run_ingest
ifeq ($(RUN_RECORDS),)
$(RUN_OUT)/records/$(call run_file,$(1)): $(call run_ingest_deps,$(1)) | run-check
	@mkdir -p $$(dir $$@) $(dir $(RUN_OUT)/rejects/ingest/$(call run_file,$(1)))
	@$$(RUN_STEP) ingest-$(call run_fname,$(call run_file,$(1))) $(RUN_IN) $(call run_ingest_cmd,$(1),-o $$@)
else
$(RUN_OUT)/records/$(call run_file,$(1)): $(RUN_RECORDS)/records/$(call run_file,$(1)) | run-check
	@mkdir -p $$(dir $$@)
	cp $$< $$@
endif
endef
$(foreach i,$(RUN_INPUTS),$(eval $(call run_ingest,$(i))))

# the command of a year's normalize, run in OUT: its records files
run_norm_step	= normalize$(if $(filter $(RUN_YEAR),$(1)),,-$(1))
run_norm_cmd	= $(RUN_BIN)/alf-normalize --providers $(RUN_P) --year $(1) \
		  --rejects $(2)rejects/activities$(if $(filter $(RUN_YEAR),$(1)),,-$(1)).csv \
		  -o $(2)$(notdir $(call run_acts,$(1))) $(3)

# the piped input: the model year's largest export (ls -S, ties by name),
# when the exports are read and RUN_PIPE is not 0
RUN_PIPE	?= 1
RUN_PIPED_FILE	:= $(if $(filter-out 0,$(RUN_PIPE)),$(if $(RUN_RECORDS),,$(firstword $(shell cd '$(RUN_IN)' 2>/dev/null && \
		   ls -S -- $(foreach i,$(call run_yinputs,$(RUN_YEAR)),$(call run_file,$(i))) 2>/dev/null))))
RUN_PIPED	:= $(firstword $(foreach i,$(call run_yinputs,$(RUN_YEAR)),$(if $(filter $(RUN_PIPED_FILE),$(call run_file,$(i))),$(i))))

# the pipe's end, pipe_end ISTEP NSTEP RECORDS: each side's status from
# logs/pipe/ (tee's counts as ingest's: the records are its output), then
# the outputs published from logs/pipe/ when both are through (0 or 1);
# an ingest that stopped drops normalize's log of the half stream
RUN_PIPE_END	= pipe_end() { p=$(RUN_OUT)/logs/pipe; ra=$$(cat $$p/a.st); \
		  [ "$$(cat $$p/t.st)" = 0 ] || { cat $$p/t.err >> $(RUN_OUT)/logs/$$1.err; \
		    echo "$$1: $$3: the records could not be written" >> $(RUN_OUT)/logs/$$1.err; ra=3; }; \
		  if ! step_end $$1 $$ra; then rm -f $(RUN_OUT)/logs/$$2.*; rm -rf $$p; return 1; fi; \
		  rb=$$(cat $$p/b.st); mv $$p/$$3 $(RUN_OUT)/$$3; rm $$p/*.st $$p/t.err; \
		  step_end $$2 $$rb && (cd $$p && find . -type f -exec mv {} $(RUN_OUT)/{} \;); \
		  r=$$?; rm -rf $$p; return $$r; }; pipe_end

# normalize: one budget year's records, from inside OUT.  The model year
# with a piped input depends on what that input's records are made of and
# is made with them unless they are up to date (or made alone by
# `make OUT/records/FILE`): then normalize reads the files.
define run_normalize
ifeq ($(if $(filter $(RUN_YEAR),$(1)),$(RUN_PIPED)),)
$(call run_acts,$(1)): $(addprefix $(RUN_OUT)/,$(call run_recs,$(1))) $(RUN_P) $(RUN_STREAMS) $(RUN_BIN)/alf-normalize | run-check
	@$$(RUN_STEP) $(call run_norm_step,$(1)) $(RUN_OUT) $(call run_norm_cmd,$(1),,$(call run_recs,$(1)))
else
$(call run_acts,$(1)): $(addprefix $(RUN_OUT)/,$(filter-out records/$(RUN_PIPED_FILE),$(call run_recs,$(1)))) \
    $(call run_ingest_deps,$(RUN_PIPED)) $(if $(wildcard $(RUN_OUT)/records/$(RUN_PIPED_FILE)),,run-piped-missing) \
    $(RUN_P) $(RUN_STREAMS) $(RUN_BIN)/alf-normalize | run-check
	@r=$(RUN_OUT)/records/$(RUN_PIPED_FILE); \
	if [ -f $$$$r ] && [ -z "$$$$(find $(call run_ingest_deps,$(RUN_PIPED)) -newer $$$$r -print -quit)" ]; then \
	    $$(RUN_STEP) $(call run_norm_step,$(1)) $(RUN_OUT) $(call run_norm_cmd,$(1),,$(call run_recs,$(1))); \
	else \
	    p=$(RUN_OUT)/logs/pipe; i=ingest-$(call run_fname,$(RUN_PIPED_FILE)); n=$(call run_norm_step,$(1)); \
	    rm -rf $$$$p; mkdir -p $(dir $(RUN_OUT)/rejects/ingest/$(RUN_PIPED_FILE)) $$$$(dirname $$$$r) \
	        $$$$p/rejects $$$$(dirname $$$$p/records/$(RUN_PIPED_FILE)); \
	    $$(RUN_STEP_FNS) step_start $$$$i; step_start $$$$n; \
	    { step_exec $$$$i $(RUN_IN) $(call run_ingest_cmd,$(RUN_PIPED),); echo $$$$? > $$$$p/a.st; } | \
	    { tee -p $$$$p/records/$(RUN_PIPED_FILE) 2> $$$$p/t.err; echo $$$$? > $$$$p/t.st; } | \
	    { step_exec $$$$n $(RUN_OUT) $(call run_norm_cmd,$(1),logs/pipe/,--label records/$(RUN_PIPED_FILE) \
	        $(patsubst records/$(RUN_PIPED_FILE),-,$(call run_recs,$(1)))); echo $$$$? > $$$$p/b.st; }; \
	    $$(RUN_PIPE_END) $$$$i $$$$n records/$(RUN_PIPED_FILE); \
	fi
endif
endef
$(foreach y,$(RUN_YEARS),$(eval $(call run_normalize,$(y))))
# records missing while the activities are not: made again with them
run-piped-missing:
.PHONY: run-piped-missing

$(RUN_OUT)/allocations.csv: $(RUN_ACTS) $(RUN_MODELDATA) $(RUN_P) $(RUN_BIN)/alf-allocate | run-check
	@$(RUN_STEP) allocate $(RUN_OUT) $(RUN_BIN)/alf-allocate --model $(RUN_MODEL) \
	    --providers $(RUN_P) --rejects rejects/allocations.csv -o allocations.csv \
	    $(notdir $(RUN_ACTS))

$(RUN_OUT)/invoices.csv: $(RUN_OUT)/allocations.csv $(call run_acts,$(RUN_YEAR)) $(RUN_PLAN) $(RUN_ISSUED) $(RUN_MODELDATA) $(RUN_P) $(RUN_BIN)/alf-invoice | run-check
	@$(RUN_STEP) invoice $(RUN_OUT) $(RUN_BIN)/alf-invoice --model $(RUN_MODEL) \
	    --providers $(RUN_P) --activities activities.csv \
	    $(if $(RUN_PLAN),--plan $(RUN_PLAN)) $(if $(RUN_ISSUED),--issued $(RUN_ISSUED)) \
	    --rejects rejects/invoices.csv -o invoices.csv allocations.csv

run_fmt		= $(if $(filter txt,$(1)),text,$(1))
$(RUN_OUT)/reports/budget.%: $(RUN_OUT)/allocations.csv $(RUN_MODELDATA) $(RUN_P) $(RUN_BIN)/alf-report | run-check
	@mkdir -p $(dir $@)
	@$(RUN_STEP) report-budget-$* $(RUN_OUT) $(RUN_BIN)/alf-report budget \
	    --model $(RUN_MODEL) --providers $(RUN_P) --format $(call run_fmt,$*) \
	    -o reports/budget.$* allocations.csv

$(RUN_OUT)/reports/closing.txt: $(RUN_OUT)/allocations.csv $(RUN_OUT)/invoices.csv $(RUN_MODELDATA) $(RUN_P) $(RUN_BIN)/alf-report | run-check
	@mkdir -p $(dir $@)
	@$(RUN_STEP) report-closing-txt $(RUN_OUT) $(RUN_BIN)/alf-report closing \
	    --model $(RUN_MODEL) --providers $(RUN_P) -o reports/closing.txt \
	    allocations.csv invoices.csv

# counts of every step before the reconciliation, which checks they add
# up: one line per step that has a log (stage, exit, then its summary
# line's five counts), by one awk over the logs, not three processes a
# step; RUN_COUNTS_JQ turns those lines ($c) into an array of objects
RUN_COUNTS	= awk -v names='$(1)' 'BEGIN { n = split(names, s, " "); \
		  for (i = 1; i <= n; i++) { f = "logs/" s[i] ".log"; \
		    if ((getline l < f) < 0) continue; c = ""; \
		    do if (l ~ /^alf-[a-z]*: [0-9]* read, [0-9]* accepted, [0-9]* rejected, [0-9]* merged; [0-9]* written$$/) { \
		      c = l; sub(/^alf-[a-z]*: /, "", c); gsub(/[^0-9]+/, " ", c); sub(/ $$/, "", c) } \
		    while ((getline l < f) > 0); close(f); \
		    r = "logs/" s[i] ".rc"; e = (getline x < r); close(r); \
		    print s[i] " " (e > 0 ? x : e == 0 ? "" : "3") " " c } }'
RUN_COUNTS_JQ	= [$$c | split("\n")[] | select(length > 0) | split(" ") | {program: ("alf-" + (.[0] | sub("-.*"; ""))), stage: .[0], exit: (.[1] | tonumber)} \
		    + (if (.[6] // "") != "" then {read: (.[2] | tonumber), accepted: (.[3] | tonumber), rejected: (.[4] | tonumber), merged: (.[5] | tonumber), written: (.[6] | tonumber)} else {} end)]

$(RUN_OUT)/logs/stages.json: $(RUN_OUT)/invoices.csv $(RUN_REPORTS) | run-check
	@cd $(RUN_OUT) && $(call RUN_COUNTS,$(filter-out report-reconcile-txt,$(RUN_STEPS))) | \
	    jq -R -s $(if $(RUN_RECORDS),--slurpfile prev $(RUN_RECORDS)/summary.json,--argjson prev '[]') \
	    '. as $$c | {stages: ([$$prev[0].stages[]? | select(.program == "alf-ingest")] + $(RUN_COUNTS_JQ))}' > $@.tmp && mv $@.tmp $@

$(RUN_OUT)/reports/reconcile.txt: $(RUN_OUT)/logs/stages.json | run-check
	@$(RUN_STEP) report-reconcile-txt $(RUN_OUT) $(RUN_BIN)/alf-report reconcile \
	    --model $(RUN_MODEL) --providers $(RUN_P) --summary logs/stages.json \
	    -o reports/reconcile.txt allocations.csv invoices.csv

RUN_SUMMARY_JQ	= {model: $$model, year: ($$year | tonumber), status: $$status, exit: $$exit, version: $$version, key_sha256: (if $$key_sha256 == "" then null else $$key_sha256 end), records_from_closing: ($$records_from == "yes"), stages: $$stages, pots: $$pots, inputs: $$inputs, reference: $$reference, outputs: $$outputs}
# pot totals: the allocations' amounts summed per line by bc, exact
# decimals (awk's numbers are doubles, and money never is one); amounts
# are kronor with two decimals, >= 0 (CONTRACTS "allocations.csv").  An
# internal line's pot reaches allocations.csv only through the blend
# lines that name it (VGR's vgr-old and vgr-new, carried by vgr): it is
# marked so, allocated null, not shown as 0.00 allocated.
# sha256 of the files named on standard input, as [{file, sha256}]: by
# openssl, whose SHA-256 uses the CPU's SHA instructions (four times
# sha256sum's speed here; a national run hashes gigabytes)
RUN_SHA		= xargs -r openssl dgst -sha256 -r
# its lines as [{file, sha256}], in the summary's one jq
RUN_SHA_JQ	= def shas: split("\n") | map(select(length > 0) | capture("^(?<sha256>[0-9a-f]{64}) \\*(?<file>.*)$$") | {file, sha256});
# the pot lines' TSV (line, pot, internal, carried by, allocated) as JSON
RUN_POTS_JQ	= def pots: split("\n") | map(select(length > 0) | split("\t") | if .[2] == "1" then {line: .[0], pot: .[1], allocated: null, internal: true, carried_by: (.[3] | split("|"))} else {line: .[0], pot: .[1], allocated: .[4]} end);
RUN_DATAFILES	= $(RUN_DATADIR)/streams.csv $(RUN_DATADIR)/model.jq \
		  $(foreach i,$(RUN_INPUTS),$(call run_proffile,$(i)))

$(RUN_OUT)/summary.json: $(RUN_OUT)/reports/reconcile.txt | run-check
	@cd $(RUN_OUT) && \
	$(call RUN_COUNTS,$(RUN_STEPS)) > logs/counts-all.txt && \
	worst=$$(cat $(addprefix logs/,$(addsuffix .rc,$(RUN_STEPS))) 2>/dev/null | sort -n | tail -n 1) && \
	status=$$(case $$worst in 0) echo ok;; 1) echo rejects;; *) echo failed;; esac) && \
	ins=$$($(if $(RUN_RECORDS),cd $(RUN_RECORDS) && find records -type f | LC_ALL=C sort,cd $(RUN_IN) && printf '%s\n' $(foreach i,$(RUN_INPUTS),$(call run_file,$(i)))) | $(RUN_SHA) || :) && \
	refs=$$(printf '%s\n' $(RUN_P) $(RUN_MODEL_FILE) $(sort $(RUN_DATAFILES)) $(RUN_PLAN) $(RUN_ISSUED) | $(RUN_SHA) || :) && \
	outs=$$(find . -path ./logs -prune -o -type f ! -name summary.json ! -name '*.tmp*' -print | \
	    sed 's|^\./||' | LC_ALL=C sort | $(RUN_SHA) || :) && \
	pots=$$(jq -r '[.lines[]?] as $$all | $$all[] | select(.pot != null) | .id as $$id | [.id, .pot, (if .internal then "1" else "" end), ([$$all[] | select(.method == "blend" and (.from == $$id or .to == $$id)) | .id] | join("|"))] | @tsv' $(RUN_MODEL_FILE) > logs/pots.tsv && \
	    awk -F , 'BEGIN { while ((getline l < "logs/pots.tsv") > 0) { split(l, f, "\t"); \
	            pot[f[1]] = ++n; print "s[" n "] = 0" } } \
	        FNR > 1 && ($$2 in pot) { print "s[" pot[$$2] "] += " $$NF } \
	        END { for (i = 1; i <= n; i++) print "s[" i "]" }' allocations.csv | \
	    BC_LINE_LENGTH=0 bc | paste logs/pots.tsv - | \
	    awk -F '\t' '{ v = $$5; if (v !~ /\./) v = v ".00"; if (v ~ /^\./) v = "0" v; print $$1 "\t" $$2 "\t" $$3 "\t" $$4 "\t" v }') && \
	jq -n --arg model "$(notdir $(basename $(RUN_MODEL_FILE)))" --arg year "$(RUN_YEAR)" \
	    --arg status "$$status" \
	    --argjson exit "$$worst" \
	    --arg version "$$($(RUN_BIN)/alf-ingest --version | awk '{print $$2}')" \
	    --arg key_sha256 "$(if $(RUN_KEY),$$(sha256sum < $(RUN_KEY) | cut -d' ' -f1))" \
	    --arg records_from "$(if $(RUN_RECORDS),yes)" \
	    --rawfile c logs/counts-all.txt --arg ins "$$ins" --arg refs "$$refs" \
	    --arg outs "$$outs" --arg potstsv "$$pots" \
	    '$(RUN_SHA_JQ) $(RUN_POTS_JQ) $(RUN_COUNTS_JQ) as $$stages | ($$ins | shas) as $$inputs | ($$refs | shas) as $$reference | ($$outs | shas) as $$outputs | ($$potstsv | pots) as $$pots | $(RUN_SUMMARY_JQ)' \
	    > summary.json.tmp && mv summary.json.tmp summary.json && \
	echo "$$status" > logs/status

.PHONY: run run-check
endif
endif
