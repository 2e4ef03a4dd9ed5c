# SPDX-License-Identifier: Apache-2.0
# Fuzz targets (tests/fuzz/fuzz_<name>.c). `make fuzz-short`: a deterministic pass through the
# fallback driver, part of `make test`. `make fuzz`: long libFuzzer runs with clang, by hand.

FUZZ_TARGETS := fdt vgic_mmio pl011 smccc mmio_bus vm_config
# Inputs per target and PRNG seed of the short pass; seconds per target of the long runs.
FUZZ_RUNS ?= 20000
FUZZ_SEED ?= 1
FUZZ_TIME ?= 60
FUZZ_CLANG ?= clang

FUZZ_OUT := $(HOSTB)/fuzz
FUZZ_LF := $(HOSTB)/libfuzzer
# The code under test: every portable host object except the unit tests and their main().
FUZZ_LIB_SRCS := $(filter-out tests/unit/%,$(HOST_SRCS))
FUZZ_LIB_OBJS := $(patsubst %.c,$(HOSTB)/%.o,$(FUZZ_LIB_SRCS))
FUZZ_DRIVER_OBJS := $(HOSTB)/tests/fuzz/driver.o $(HOSTB)/tests/fuzz/mutate.o
FUZZ_TARGET_OBJS := $(FUZZ_TARGETS:%=$(HOSTB)/tests/fuzz/fuzz_%.o)
FUZZ_SHORT_BINS := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/fuzz-%)

# ---------------------------------------------------------------- short pass (host compiler)
$(FUZZ_OUT)/fuzz-%: $(HOSTB)/tests/fuzz/fuzz_%.o $(FUZZ_DRIVER_OBJS) $(FUZZ_LIB_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HCC) $(HCFLAGS) $^ -o $@

# One line per target: `ok fuzz.<name>` or `not ok fuzz.<name>: <what crashed>`.
fuzz-short: $(FUZZ_SHORT_BINS)
	@st=0; for t in $(FUZZ_TARGETS); do \
		$(FUZZ_OUT)/fuzz-$$t $$t tests/fuzz/corpus/$$t $(FUZZ_OUT) $(FUZZ_RUNS) $(FUZZ_SEED) \
			|| st=1; \
	done; exit $$st

# ---------------------------------------------------------------- libFuzzer (clang)
FUZZ_LF_CFLAGS := $(filter-out -fsanitize=%,$(HCFLAGS)) -fsanitize=fuzzer-no-link,address,undefined
FUZZ_LF_LIB_OBJS := $(patsubst %.c,$(FUZZ_LF)/%.o,$(FUZZ_LIB_SRCS))
FUZZ_LF_BINS := $(FUZZ_TARGETS:%=$(FUZZ_LF)/fuzz-%)

$(FUZZ_LF)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CLANG) $(FUZZ_LF_CFLAGS) -c $< -o $@

$(FUZZ_LF)/fuzz-%: $(FUZZ_LF)/tests/fuzz/fuzz_%.o $(FUZZ_LF_LIB_OBJS)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CLANG) $(FUZZ_LF_CFLAGS) -fsanitize=fuzzer $^ -o $@

# FUZZ_TIME seconds per target; new inputs go to $(FUZZ_LF)/corpus/<name>, crashes next to it.
fuzz: $(FUZZ_LF_BINS)
	@st=0; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_LF)/corpus/$$t; \
		if $(FUZZ_LF)/fuzz-$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_LF)/crash-$$t- $(FUZZ_LF)/corpus/$$t \
			tests/fuzz/corpus/$$t >$(FUZZ_LF)/$$t.log 2>&1; then \
			echo "ok fuzz.$$t"; \
		else \
			tail -n 40 $(FUZZ_LF)/$$t.log >&2; st=1; \
			echo "not ok fuzz.$$t: $$(grep -m1 -E 'ERROR:|panic:|fuzz invariant:|runtime error' \
				$(FUZZ_LF)/$$t.log) (log $(FUZZ_LF)/$$t.log)"; \
		fi; \
	done; exit $$st

-include $(FUZZ_TARGET_OBJS:.o=.d) $(FUZZ_DRIVER_OBJS:.o=.d) $(FUZZ_LF_LIB_OBJS:.o=.d) \
	$(FUZZ_LF_BINS:$(FUZZ_LF)/fuzz-%=$(FUZZ_LF)/tests/fuzz/fuzz_%.d)

# Keep the objects make would otherwise delete as intermediates of the pattern rules above.
.SECONDARY: $(FUZZ_TARGET_OBJS) $(FUZZ_DRIVER_OBJS) $(FUZZ_LF_LIB_OBJS) \
	$(FUZZ_TARGETS:%=$(FUZZ_LF)/tests/fuzz/fuzz_%.o)

.PHONY: fuzz fuzz-short
