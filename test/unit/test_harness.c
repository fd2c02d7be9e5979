/*
 * test_harness.c
 *		Checks the TAP helpers themselves, so a broken comparison helper
 *		cannot make every other unit test pass vacuously.
 */
#include "tap.h"

int
main(void)
{
	/* tap_close must accept equal values and reject different ones. */
	tap_ok(fabs(1.0 - 1.0) <= 0.0, "identical doubles compare equal");
	tap_ok(!(fabs(1.0 - 1.1) <= 1e-12 * 1.0), "1.0 and 1.1 differ at rtol 1e-12");
	tap_ok(isnan(NAN) && !isnan(1.0), "NaN is recognised");
	return tap_done();
}
