/*
 * nprofile.h
 *		Numeric profile: moments plus a KLL quantile sketch, and its
 *		versioned, validated byte format (the driftmon.numeric_profile type).
 *
 * Byte format, version 1, all integers and doubles big-endian:
 *   magic "DMNP" (4) | version u8 = 1 | 3 zero bytes
 *   k u32 | n u64 (finite values) | nulls u64 | nonfinite u64
 *   min f64 | max f64 | mean f64 | m2 f64 (sum of squared deviations)
 *   rng u64 | det_budget f64 | var_budget f64 | nlevels u32
 *   len[0..nlevels) u32 | items f64, level 0 first, each level ascending
 * Decoding validates every field (see dm_nprof_decode).
 */
#ifndef DM_NPROFILE_H
#define DM_NPROFILE_H

#include "kll.h"

#include <stddef.h>
#include <stdint.h>

#define DM_NPROF_MAGIC "DMNP"
#define DM_NPROF_VERSION 1
#define DM_NPROF_HEADER 96

typedef struct dm_nprof
{
	uint64_t	nulls;
	uint64_t	nonfinite;		/* NaN, +inf, -inf: counted, not sketched */
	double		min;			/* 0 when n == 0 */
	double		max;
	double		mean;
	double		m2;
	dm_kll		kll;			/* kll.n is the number of finite values */
} dm_nprof;

/*
 * Values profile_agg buffers before each dm_nprof_add; the profile of a
 * drift aggregate's side is built in batches of the same size.
 */
#define DM_NPROF_BATCH 8192

/* Decoding failures: which errcode the glue should raise. */
typedef enum dm_decode_status
{
	DM_DECODE_OK = 0,
	DM_DECODE_CORRUPT = 1,		/* malformed / inconsistent */
	DM_DECODE_VERSION = 2,		/* unknown magic or version */
	DM_DECODE_PARAM = 3			/* parameter out of range */
} dm_decode_status;

extern void dm_nprof_init(dm_nprof *p, uint32_t k);
extern void dm_nprof_free(dm_nprof *p);

/*
 * Sample standard deviation (n - 1); NaN when n < 2, +Infinity when it
 * cannot be represented (see nprofile.c).
 */
extern double dm_nprof_stddev(const dm_nprof *p);

/* Add finite values (callers count NULL and non-finite values themselves). */
extern void dm_nprof_add(dm_nprof *p, const double *v, size_t n);

/*
 * dst += src; -1 (nothing changed) when the parameters differ, -2 (nothing
 * changed) when all rows together would exceed INT64_MAX.
 */
extern int	dm_nprof_merge(dm_nprof *dst, const dm_nprof *src);

/*
 * The sketch's sorted view with the profile's exact min and max as its
 * extremes (rank 0 and n - 1), for every query on a profile.  Needs n > 0.
 */
extern void dm_nprof_view(const dm_nprof *p, dm_kll_view *v);

extern size_t dm_nprof_encoded_size(const dm_nprof *p);

/* Encode (normalises level 0 first); out has dm_nprof_encoded_size bytes. */
extern void dm_nprof_encode(dm_nprof *p, uint8_t *out);

/*
 * Decode and validate buf[0..len) into p (initialised here); on failure
 * writes a message to err and returns the status (p is then freed).
 */
extern dm_decode_status dm_nprof_decode(const uint8_t *buf, size_t len, dm_nprof *p,
										char *err, size_t errlen);

/* Big-endian helpers shared with the categorical codec. */
extern void dm_put_u32(uint8_t *p, uint32_t x);
extern void dm_put_u64(uint8_t *p, uint64_t x);
extern void dm_put_f64(uint8_t *p, double x);
extern uint32_t dm_get_u32(const uint8_t *p);
extern uint64_t dm_get_u64(const uint8_t *p);
extern double dm_get_f64(const uint8_t *p);

#endif							/* DM_NPROFILE_H */
