/*
 * state_fmt.h
 *		Serialized aggregate states passed between parallel workers and the
 *		leader (host byte order): numeric drift, score (roc_auc & co.) and
 *		regression metrics.  Postgres-free decoders and encoders.
 *
 * The executor alone produces and consumes these bytes, but they are still
 * validated completely (a corrupt message must raise an error, never
 * crash), and the decoders are fuzzed (test/fuzz/fuzz_state_bin.c).
 */
#ifndef DM_STATE_FMT_H
#define DM_STATE_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "dm_fmt.h"
#include "metrics.h"

/*
 * Numeric drift state: u8 magic 0xD7, u8 version 1, i8 alternative, i8
 * method, i8 binning, 3 zero bytes, i32 bins, 4 zero bytes, then per side
 * (reference, current) i64 n, i64 nulls, i64 nonfinite (header 64 bytes),
 * then n_reference and n_current finite doubles.
 */
#define DM_NUM_STATE_MAGIC		0xD7
#define DM_NUM_STATE_VERSION	1
#define DM_NUM_STATE_HEADER		64

typedef struct dm_num_state_img
{
	int			alt;
	int			method;
	int			binning;
	int32_t		bins;
	int			sorted;			/* byte 5: 1 if the sender sorted both sides */
	int			sorted_ok[2];	/* decode: the flag was set AND side k is sorted */
	int64_t		n[2];
	int64_t		nulls[2];
	int64_t		nonfinite[2];
	const char *values[2];		/* n[k] doubles, possibly unaligned */
} dm_num_state_img;

/* Codes: TRUNCATED, MAGIC, VERSION, INVALID (parameters, counts, values). */
int			dm_num_state_decode(const char *buf, size_t len, dm_num_state_img *out,
								char *errbuf, size_t errlen);
size_t		dm_num_state_size(const dm_num_state_img *s);
void		dm_num_state_encode(const dm_num_state_img *s, char *out);

/*
 * Score state: u8 version 1, u8 flags (1 has threshold, 2 has arrays), u16
 * 0, then 17 8-byte fields (counts as i64, sums as f64; see the struct),
 * then with flag 2 npos + nneg doubles (positive scores, then negative).
 */
#define DM_SCORE_STATE_VERSION	1
#define DM_SCORE_STATE_HEADER	(4 + 8 * 17)

typedef struct dm_score_state_img
{
	int			has_threshold;
	int			has_arrays;
	int64_t		n_skipped;
	int64_t		n_outside;
	double		threshold;
	dm_ksum		ll;
	dm_ksum		br;
	int64_t		nprob;
	int64_t		tp,
				fp,
				tn,
				fn;
	double		first_outside;
	int64_t		npos;
	int64_t		nneg;
	const char *pos;			/* npos doubles (has_arrays), unaligned */
	const char *neg;			/* nneg doubles (has_arrays), unaligned */
} dm_score_state_img;

/* Codes: TRUNCATED, VERSION, INVALID (flags, counts, length). */
int			dm_score_state_decode(const char *buf, size_t len, dm_score_state_img *out,
								  char *errbuf, size_t errlen);
size_t		dm_score_state_size(const dm_score_state_img *s);
void		dm_score_state_encode(const dm_score_state_img *s, char *out);

/*
 * Regression state (128 bytes): u8 version 1, 7 zero bytes, i64 n_skipped,
 * i64 n, 13 f64 (shift_y, mean_y, five (sum, compensation) pairs, max_abs).
 */
#define DM_REG_STATE_VERSION	1
#define DM_REG_STATE_BYTES		(8 + 8 + 8 + 8 * 13)

/* Codes: TRUNCATED (wrong length or version), INVALID. */
int			dm_reg_state_decode(const char *buf, size_t len, int64_t *n_skipped,
								dm_reg_state *out, char *errbuf, size_t errlen);
void		dm_reg_state_encode(int64_t n_skipped, const dm_reg_state *s, char *out);

#endif							/* DM_STATE_FMT_H */
