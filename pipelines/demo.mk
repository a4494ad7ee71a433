# `make demo`: the embedded default, Stockholm 2024 on the bundled
# fixtures, every stage's output in out/demo/, the budget table printed.
DEMO_MODEL	?= stockholm-2024
DEMO_IN		?= fixtures/stockholm-2024
DEMO_OUT	?= out/demo
# a stage's exit 1 (rows rejected) is recorded and the run goes on
OK1		= || [ $$? -eq 1 ]

demo: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(DEMO_OUT)
	cd $(DEMO_IN) && $(CURDIR)/$(BIN)/alf-ingest --year 2024 \
	    --rejects $(abspath $(DEMO_OUT))/records.rejects.csv \
	    -o $(abspath $(DEMO_OUT))/records.csv hap.csv $(OK1)
	$(BIN)/alf-normalize --providers $(DEMO_IN)/providers.csv --year 2024 \
	    --rejects $(DEMO_OUT)/activities.rejects.csv \
	    -o $(DEMO_OUT)/activities.csv $(DEMO_OUT)/records.csv $(OK1)
	$(BIN)/alf-allocate --model $(DEMO_MODEL) --providers $(DEMO_IN)/providers.csv \
	    --rejects $(DEMO_OUT)/allocations.rejects.csv \
	    -o $(DEMO_OUT)/allocations.csv $(DEMO_OUT)/activities.csv $(OK1)
	$(BIN)/alf-invoice --model $(DEMO_MODEL) --providers $(DEMO_IN)/providers.csv \
	    -o $(DEMO_OUT)/invoices.csv $(DEMO_OUT)/allocations.csv $(OK1)
	$(BIN)/alf-report budget --model $(DEMO_MODEL) --providers $(DEMO_IN)/providers.csv \
	    -o $(DEMO_OUT)/budget.txt $(DEMO_OUT)/allocations.csv $(OK1)
	@cat $(DEMO_OUT)/budget.txt

.PHONY: demo
