# alf: the education-funds pipeline.  `make` builds bin/, `make test` runs
# the suite, `make asan` runs it again on sanitized binaries.
PREFIX	?= /usr/local
DATADIR	?= $(CURDIR)/pipelines
VERSION	:= $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)
CC	?= cc
CFLAGS	?= -O2 -g
WARN	= -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror
CPPFLAGS += -Ilib -DALF_VERSION='"$(VERSION)"' -DALF_DATADIR='"$(DATADIR)"' \
	    -DALF_BUILD='"CC=$(CC) CFLAGS=$(CFLAGS)"'
LDLIBS	= -pthread -lcsv -lcrypto $(shell pkg-config --libs libxml-2.0 xlsxwriter 2>/dev/null)
CPPFLAGS += $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
BUILD	?= build
BIN	?= bin

TOOLS	= ingest normalize allocate invoice report
LIBSRC	= $(wildcard lib/*.c)
LIBOBJ	= $(LIBSRC:lib/%.c=$(BUILD)/lib/%.o)
PROGS	= $(TOOLS:%=$(BIN)/alf-%)

all: $(PROGS)

$(BIN)/alf-%: $(BUILD)/tools/%.o $(LIBOBJ) | $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(BUILD)/FLAGS
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -MMD -MP -c -o $@ $<

# rebuild when the version, the data directory or the flags change
FLAGS_NOW := $(VERSION) $(DATADIR) $(CC) $(CFLAGS)
FLAGS_OLD := $(shell cat $(BUILD)/FLAGS 2>/dev/null)
ifneq ($(FLAGS_NOW),$(FLAGS_OLD))
$(shell mkdir -p $(BUILD) && echo '$(FLAGS_NOW)' > $(BUILD)/FLAGS)
endif
$(BUILD)/FLAGS: ;

$(BIN):
	@mkdir -p $@

-include $(wildcard $(BUILD)/*/*.d)

include pipelines/deps.mk
include pipelines/test.mk
include pipelines/demo.mk
-include pipelines/bench.mk
include pipelines/run.mk
include pipelines/close.mk
include pipelines/fuzz.mk
include pipelines/valgrind.mk
-include bench/national.mk

# the long proofs: fuzzing for longer, valgrind over the suite, national scale
stress: fuzz valgrind bench-national
.PHONY: stress

# installed programs look for their data in $(PREFIX)/share/alf
install:
	$(MAKE) BUILD=build-install BIN=bin-install DATADIR=$(PREFIX)/share/alf all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/alf/models \
	    $(DESTDIR)$(PREFIX)/share/alf/profiles
	install -m 755 $(TOOLS:%=bin-install/alf-%) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 pipelines/model.jq pipelines/streams.csv \
	    $(DESTDIR)$(PREFIX)/share/alf/
	install -m 644 pipelines/models/*.json $(DESTDIR)$(PREFIX)/share/alf/models/
	for f in pipelines/profiles/*; do [ -f "$$f" ] && \
	    install -m 644 "$$f" $(DESTDIR)$(PREFIX)/share/alf/profiles/; done; true

clean:
	rm -rf $(BUILD) $(BIN) build-asan bin-asan build-install bin-install out

.PHONY: all install clean FORCE
