/*
 * state_fmt.c
 *		Decoders and encoders of the serialized aggregate states of numeric
 *		drift, scores and regression metrics (see state_fmt.h).  Pure
 *		functions over (buffer, length), no PostgreSQL headers.
 */
#include "state_fmt.h"

#include <math.h>
#include <string.h>

#include "dm_core.h"
#include "ks_dist.h"
#include "numeric_core.h"

#define ERR(code, msg) dm_fmt_error(errbuf, errlen, code, "%s", msg)

/* rd_i64 / rd_f64: host-order reads of possibly unaligned fields. */
static int64_t
rd_i64(const char *p)
{
	int64_t		v;

	memcpy(&v, p, 8);
	return v;
}

static double
rd_f64(const char *p)
{
	double		v;

	memcpy(&v, p, 8);
	return v;
}

/* ---------- numeric drift ---------- */

/*
 * dm_num_state_decode
 *		Magic, version, parameters, counts, length, then every value finite.
 */
int
dm_num_state_decode(const char *p, size_t len, dm_num_state_img *s,
					char *errbuf, size_t errlen)
{
	int			k;
	int64_t		i;
	const char *v;

	memset(s, 0, sizeof(*s));
	if (len < DM_NUM_STATE_HEADER)
		return ERR(DM_FMT_TRUNCATED, "The state is shorter than its header.");
	if ((unsigned char) p[0] != DM_NUM_STATE_MAGIC)
		return ERR(DM_FMT_MAGIC, "The state does not start with the numeric drift magic byte.");
	if (p[1] != DM_NUM_STATE_VERSION)
		return ERR(DM_FMT_VERSION, "The state has an unknown format version.");
	s->alt = (signed char) p[2];
	s->method = (signed char) p[3];
	s->binning = (signed char) p[4];
	memcpy(&s->bins, p + 8, sizeof(int32_t));
	if (p[5] != 0 && p[5] != 1)
		return ERR(DM_FMT_INVALID, "The state has an invalid sorted flag.");
	s->sorted = p[5];
	if (s->alt < DM_KS_TWO_SIDED || s->alt > DM_KS_GREATER ||
		s->method < DM_KS_AUTO || s->method > DM_KS_ASYMP ||
		s->binning < DM_BINNING_QUANTILE || s->binning > DM_BINNING_STURGES ||
		s->bins < 2 || s->bins > DM_MAX_BINS)
		return ERR(DM_FMT_INVALID, "The state holds invalid parameters.");
	for (k = 0; k < 2; k++)
	{
		s->n[k] = rd_i64(p + 16 + 24 * k);
		s->nulls[k] = rd_i64(p + 24 + 24 * k);
		s->nonfinite[k] = rd_i64(p + 32 + 24 * k);
		if (s->n[k] < 0 || s->nulls[k] < 0 || s->nonfinite[k] < 0 ||
			(size_t) s->n[k] > (len - DM_NUM_STATE_HEADER) / sizeof(double))
			return ERR(DM_FMT_INVALID, "The state holds invalid counts.");
	}
	if ((size_t) s->n[0] + (size_t) s->n[1] != (len - DM_NUM_STATE_HEADER) / sizeof(double) ||
		(len - DM_NUM_STATE_HEADER) % sizeof(double) != 0)
		return ERR(DM_FMT_INVALID, "The state's length does not match its counts.");
	v = p + DM_NUM_STATE_HEADER;
	for (k = 0; k < 2; k++)
	{
		s->values[k] = v;
		s->sorted_ok[k] = s->sorted;
		for (i = 0; i < s->n[k]; i++)
		{
			if (!isfinite(rd_f64(v + 8 * i)))
				return ERR(DM_FMT_INVALID, "The state holds a non-finite value.");
			/* trust the sorted flag only after checking it */
			if (s->sorted_ok[k] && i > 0 && rd_f64(v + 8 * (i - 1)) > rd_f64(v + 8 * i))
				s->sorted_ok[k] = 0;
			if ((i & 65535) == 65535)
				DM_CHECK_INTERRUPTS();
		}
		v += s->n[k] * 8;
	}
	return DM_FMT_OK;
}

/* dm_num_state_size: bytes of the image of s. */
size_t
dm_num_state_size(const dm_num_state_img *s)
{
	return DM_NUM_STATE_HEADER + ((size_t) s->n[0] + (size_t) s->n[1]) * sizeof(double);
}

/* dm_num_state_encode: the image of s (padding zeroed). */
void
dm_num_state_encode(const dm_num_state_img *s, char *p)
{
	int			k;
	char	   *v = p + DM_NUM_STATE_HEADER;

	memset(p, 0, DM_NUM_STATE_HEADER);
	p[0] = (char) DM_NUM_STATE_MAGIC;
	p[1] = DM_NUM_STATE_VERSION;
	p[2] = (char) s->alt;
	p[3] = (char) s->method;
	p[4] = (char) s->binning;
	p[5] = (char) (s->sorted ? 1 : 0);
	memcpy(p + 8, &s->bins, sizeof(int32_t));
	for (k = 0; k < 2; k++)
	{
		memcpy(p + 16 + 24 * k, &s->n[k], 8);
		memcpy(p + 24 + 24 * k, &s->nulls[k], 8);
		memcpy(p + 32 + 24 * k, &s->nonfinite[k], 8);
		if (s->n[k] > 0)
			memcpy(v, s->values[k], (size_t) s->n[k] * 8);
		v += s->n[k] * 8;
	}
}

/* ---------- scores ---------- */

/*
 * dm_score_state_decode
 *		Version, flags, non-negative counts, length equal to what the counts
 *		say.
 */
int
dm_score_state_decode(const char *p, size_t len, dm_score_state_img *s,
					  char *errbuf, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (len < DM_SCORE_STATE_HEADER)
		return ERR(DM_FMT_TRUNCATED, "The state is truncated.");
	if (p[0] != DM_SCORE_STATE_VERSION)
		return ERR(DM_FMT_VERSION, "Unknown format version.");
	if ((p[1] & ~3) != 0 || p[2] != 0 || p[3] != 0)
		return ERR(DM_FMT_INVALID, "Unknown flags.");
	s->has_threshold = (p[1] & 1) != 0;
	s->has_arrays = (p[1] & 2) != 0;
	p += 4;
	s->n_skipped = rd_i64(p);
	s->n_outside = rd_i64(p + 8);
	s->threshold = rd_f64(p + 16);
	s->ll.s = rd_f64(p + 24);
	s->ll.c = rd_f64(p + 32);
	s->br.s = rd_f64(p + 40);
	s->br.c = rd_f64(p + 48);
	s->nprob = rd_i64(p + 56);
	s->tp = rd_i64(p + 64);
	s->fp = rd_i64(p + 72);
	s->tn = rd_i64(p + 80);
	s->fn = rd_i64(p + 88);
	s->first_outside = rd_f64(p + 96);
	s->npos = rd_i64(p + 104);
	s->nneg = rd_i64(p + 112);
	/* p + 120, p + 128: reserved, ignored */
	p += 8 * 17;
	if (s->n_skipped < 0 || s->n_outside < 0 || s->nprob < 0 || s->tp < 0 ||
		s->fp < 0 || s->tn < 0 || s->fn < 0 || s->npos < 0 || s->nneg < 0)
		return ERR(DM_FMT_INVALID, "A count is negative.");
	/*
	 * Bound each array count by the bytes present before multiplying:
	 * (npos + nneg) * 8 wraps around 2^64 for npos = 2^61, and a state
	 * claiming 2^61 scores in a 140-byte message used to pass this check
	 * (found by test/fuzz/fuzz_state_bin.c; regressions/state_bin/).
	 */
	if (s->has_arrays ?
		((uint64_t) s->npos > (len - DM_SCORE_STATE_HEADER) / 8 ||
		 (uint64_t) s->nneg > (len - DM_SCORE_STATE_HEADER) / 8 - (uint64_t) s->npos ||
		 (uint64_t) len != DM_SCORE_STATE_HEADER + ((uint64_t) s->npos + (uint64_t) s->nneg) * 8) :
		len != DM_SCORE_STATE_HEADER)
		return ERR(DM_FMT_INVALID, "The state length does not match its counts.");
	if (s->has_arrays)
	{
		s->pos = p;
		s->neg = p + s->npos * 8;
	}
	return DM_FMT_OK;
}

/* dm_score_state_size: bytes of the image of s. */
size_t
dm_score_state_size(const dm_score_state_img *s)
{
	return DM_SCORE_STATE_HEADER +
		(s->has_arrays ? ((size_t) s->npos + (size_t) s->nneg) * 8 : 0);
}

/* wr_i64 / wr_f64: host-order writes, advancing *p. */
static void
wr_i64(char **p, int64_t v)
{
	memcpy(*p, &v, 8);
	*p += 8;
}

static void
wr_f64(char **p, double v)
{
	memcpy(*p, &v, 8);
	*p += 8;
}

/* dm_score_state_encode: the image of s (reserved fields zero). */
void
dm_score_state_encode(const dm_score_state_img *s, char *p)
{
	p[0] = DM_SCORE_STATE_VERSION;
	p[1] = (char) ((s->has_threshold ? 1 : 0) | (s->has_arrays ? 2 : 0));
	p[2] = p[3] = 0;
	p += 4;
	wr_i64(&p, s->n_skipped);
	wr_i64(&p, s->n_outside);
	wr_f64(&p, s->threshold);
	wr_f64(&p, s->ll.s);
	wr_f64(&p, s->ll.c);
	wr_f64(&p, s->br.s);
	wr_f64(&p, s->br.c);
	wr_i64(&p, s->nprob);
	wr_i64(&p, s->tp);
	wr_i64(&p, s->fp);
	wr_i64(&p, s->tn);
	wr_i64(&p, s->fn);
	wr_f64(&p, s->first_outside);
	wr_i64(&p, s->npos);
	wr_i64(&p, s->nneg);
	wr_i64(&p, 0);
	wr_i64(&p, 0);
	if (s->has_arrays)
	{
		if (s->npos)
			memcpy(p, s->pos, (size_t) s->npos * 8);
		p += s->npos * 8;
		if (s->nneg)
			memcpy(p, s->neg, (size_t) s->nneg * 8);
	}
}

/* ---------- regression ---------- */

/* dm_reg_state_decode: length, version, reserved bytes, counts. */
int
dm_reg_state_decode(const char *p, size_t len, int64_t *n_skipped,
					dm_reg_state *s, char *errbuf, size_t errlen)
{
	double		f[13];
	int			i;

	memset(s, 0, sizeof(*s));
	*n_skipped = 0;
	if (len != DM_REG_STATE_BYTES || p[0] != DM_REG_STATE_VERSION)
		return dm_fmt_error(errbuf, errlen, DM_FMT_TRUNCATED,
							"Expected %d bytes of format version %d.",
							DM_REG_STATE_BYTES, DM_REG_STATE_VERSION);
	for (i = 1; i < 8; i++)
		if (p[i] != 0)
			return ERR(DM_FMT_INVALID, "Reserved bytes are not zero.");
	*n_skipped = rd_i64(p + 8);
	s->n = rd_i64(p + 16);
	memcpy(f, p + 24, sizeof(f));
	if (*n_skipped < 0 || s->n < 0)
		return ERR(DM_FMT_INVALID, "A count is negative.");
	s->shift_y = f[0];
	s->mean_y = f[1];
	s->m2_y.s = f[2];
	s->m2_y.c = f[3];
	s->sum_abs.s = f[4];
	s->sum_abs.c = f[5];
	s->sum_sq.s = f[6];
	s->sum_sq.c = f[7];
	s->sum_ape.s = f[8];
	s->sum_ape.c = f[9];
	s->sum_err.s = f[10];
	s->sum_err.c = f[11];
	s->max_abs = f[12];
	return DM_FMT_OK;
}

/* dm_reg_state_encode: the 128-byte image. */
void
dm_reg_state_encode(int64_t n_skipped, const dm_reg_state *s, char *p)
{
	double		f[13] = {s->shift_y, s->mean_y, s->m2_y.s, s->m2_y.c, s->sum_abs.s, s->sum_abs.c,
		s->sum_sq.s, s->sum_sq.c, s->sum_ape.s, s->sum_ape.c,
	s->sum_err.s, s->sum_err.c, s->max_abs};

	memset(p, 0, DM_REG_STATE_BYTES);
	p[0] = DM_REG_STATE_VERSION;
	memcpy(p + 8, &n_skipped, 8);
	memcpy(p + 16, &s->n, 8);
	memcpy(p + 24, f, sizeof(f));
}
