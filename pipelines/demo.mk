# `make demo`: the embedded default, Stockholm 2024 on the bundled
# fixtures (the directive's HÅP, a KliPP placement export, an HR export and
# last year's AKA weeks), every stage's output in out/demo/, the budget
# table printed.  Pseudonyms use $ALF_KEY_FILE, else a local demo key that
# pipelines/demo-key makes on first use (mode 0600, git-ignored).
DEMO_MODEL	?= stockholm-2024
DEMO_IN		?= fixtures/stockholm-2024
DEMO_OUT	?= out/demo
DEMO_YEAR	?= 2024
# a stage's exit 1 (rows rejected) is recorded and the run goes on
OK1		= || [ $$? -eq 1 ]
D		= $(abspath $(DEMO_OUT))
B		= $(abspath $(BIN))
P		= $(abspath $(DEMO_IN))/providers.csv

demo: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(DEMO_OUT)
	@key=$$(pipelines/demo-key) && cd $(DEMO_IN) && \
	{ $(B)/alf-ingest --key-file "$$key" --year $(DEMO_YEAR) \
	    --rejects $(D)/rejects-hap.csv -o $(D)/records-hap.csv hap.csv $(OK1); } && \
	{ $(B)/alf-ingest --key-file "$$key" --profile klipp-placements --year $(DEMO_YEAR) \
	    --rejects $(D)/rejects-klipp.csv -o $(D)/records-klipp.csv klipp-$(DEMO_YEAR).csv $(OK1); } && \
	{ $(B)/alf-ingest --key-file "$$key" --profile hr-service --year $(DEMO_YEAR) \
	    --rejects $(D)/rejects-hr.csv -o $(D)/records-hr.csv hr-$(DEMO_YEAR).csv $(OK1); } && \
	{ $(B)/alf-ingest --key-file "$$key" --profile quantities --year $$(($(DEMO_YEAR) - 1)) \
	    --rejects $(D)/rejects-last-year.csv -o $(D)/records-last-year.csv \
	    kvantiteter-$$(($(DEMO_YEAR) - 1)).csv $(OK1); }
	@awk 'FNR > 1 || NR == 1' $(D)/records-hap.csv $(D)/records-klipp.csv \
	    $(D)/records-hr.csv > $(D)/records.csv
	$(B)/alf-normalize --providers $(P) --year $(DEMO_YEAR) \
	    --rejects $(D)/rejects-activities.csv -o $(D)/activities.csv $(D)/records.csv $(OK1)
	$(B)/alf-normalize --providers $(P) --year $$(($(DEMO_YEAR) - 1)) \
	    -o $(D)/activities-last-year.csv $(D)/records-last-year.csv $(OK1)
	$(B)/alf-allocate --model $(DEMO_MODEL) --providers $(P) \
	    --rejects $(D)/rejects-allocations.csv -o $(D)/allocations.csv \
	    $(D)/activities.csv $(D)/activities-last-year.csv $(OK1)
	$(B)/alf-invoice --model $(DEMO_MODEL) --providers $(P) \
	    --activities $(D)/activities.csv -o $(D)/invoices.csv $(D)/allocations.csv $(OK1)
	$(B)/alf-report budget --model $(DEMO_MODEL) --providers $(P) \
	    -o $(D)/budget.txt $(D)/allocations.csv $(OK1)
	@cat $(D)/budget.txt

.PHONY: demo
