/*
 * tap.h
 *		A minimal TAP producer for the C unit tests of the numerical core.
 *
 * test/run.sh counts "ok" / "not ok" lines; tap_done() makes the exit status
 * non-zero when anything failed so a crash or a failure is never silent.
 */
#ifndef DRIFTMON_TAP_H
#define DRIFTMON_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int	tap_n = 0;
static int	tap_failed = 0;

/* tap_ok: report one test; returns cond so callers can print diagnostics. */
static inline int
tap_ok(int cond, const char *fmt,...)
{
	va_list		ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

/* tap_close: |got - want| <= atol + rtol * |want|, NaN equal only to NaN. */
static inline int
tap_close(double got, double want, double rtol, double atol, const char *what)
{
	int			ok;

	if (isnan(want))
		ok = isnan(got);
	else if (isinf(want))
		ok = (got == want);
	else
		ok = fabs(got - want) <= atol + rtol * fabs(want);
	if (!tap_ok(ok, "%s", what))
		printf("#   got %.17g want %.17g\n", got, want);
	return ok;
}

/* tap_done: print the plan and return the process exit status. */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif							/* DRIFTMON_TAP_H */
