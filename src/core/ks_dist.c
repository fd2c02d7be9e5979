/*
 * ks_dist.c
 *		STUB: to be replaced by the KS distribution implementation.
 */
#include "ks_dist.h"

#include <math.h>

double
dm_ks_2samp_pvalue(int64_t n1, int64_t n2, int64_t h,
				   dm_ks_alternative alt, dm_ks_method method,
				   dm_ks_method *method_used)
{
	if (method_used)
		*method_used = DM_KS_ASYMP;
	return NAN;
}

double
dm_kstwo_sf(double d, int64_t n)
{
	return NAN;
}

double
dm_kstwo_cdf(double d, int64_t n)
{
	return NAN;
}
