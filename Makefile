# driftmon: PGXS build.  `make && sudo make install`, then CREATE EXTENSION driftmon.
# `make test` runs every suite against a throwaway cluster (see README.md).

EXTENSION  = driftmon
EXTVERSION = 0.1.0

MODULE_big = driftmon
SRCS       = $(sort $(wildcard src/*.c src/core/*.c))
OBJS       = $(SRCS:.c=.o)

# The install script of the version under development is assembled from the
# fragments in src/sql (one per feature, applied in name order).  Released
# versions and upgrade scripts are plain committed files in sql/.
SQL_PARTS  = $(sort $(wildcard src/sql/*.sql))
DATA       = $(sort sql/$(EXTENSION)--$(EXTVERSION).sql $(wildcard sql/driftmon--*.sql))

# pg_regress: every sql/<name>.sql that is not an install script is a test.
REGRESS      = $(sort $(basename $(notdir $(filter-out sql/driftmon--%,$(wildcard sql/*.sql)))))
REGRESS_OPTS = --load-extension=driftmon --inputdir=. --outputdir=.

PG_CPPFLAGS = -I$(srcdir)/src -I$(srcdir)/src/core -DDRIFTMON_VERSION=\"$(EXTVERSION)\"
PG_CFLAGS  += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifdef WERROR
PG_CFLAGS  += -Werror
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

all: sql/$(EXTENSION)--$(EXTVERSION).sql

# PGXS tracks no header dependencies (without --enable-depend): rebuild every
# object when a header changes, or a struct that grew in one file is read at
# its old size by a stale object (a crash, not a build error).
HEADERS    = $(wildcard src/*.h src/core/*.h)
$(OBJS) $(OBJS:.o=.bc): $(HEADERS)

sql/$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $(SQL_PARTS) > $@

.PHONY: test demo demo-stop bench unit soak
# The test command: deps, build, throwaway cluster, every suite, one summary line.
test:
	bash test/run.sh

# The main command: a sample inference log and what driftmon finds in it.
demo:
	bash test/demo/run.sh

demo-stop:
	bash test/demo/run.sh --stop

bench:
	bash test/bench/run.sh $(BENCH_ARGS)

# Concurrency soak (pgbench inserts + drift queries + monitors scheduled with
# pg_cron), bounded: SOAK_ARGS="--seconds 300".  `make test` runs it for 75 s.
soak:
	bash test/soak/run.sh $(SOAK_ARGS)
