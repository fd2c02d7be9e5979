/*
 * ks_dd.h
 *		Double-double arithmetic for the Kolmogorov-Smirnov distributions.
 *
 * A value is the unevaluated sum hi + lo with |lo| <= ulp(hi) / 2, which
 * carries about 106 bits.  The algorithms are the classical error-free
 * transformations: Knuth's TwoSum, Dekker's FastTwoSum and TwoProduct
 * (Dekker 1971, "A floating-point technique for extending the available
 * precision"), assembled as in Hida, Li & Bailey's QD library (2001).
 * TwoProduct uses a hardware fma when the target has one (FP_FAST_FMA) and
 * Dekker's splitting otherwise, so it is exact either way.  Internal to the
 * core: every function is static inline.
 */
#ifndef DM_KS_DD_H
#define DM_KS_DD_H

#include <math.h>

typedef struct dm_dd
{
	double		hi;
	double		lo;
} dm_dd;

/* dm_dd_make: the pair (hi, lo) as is (caller guarantees normalisation). */
static inline dm_dd
dm_dd_make(double hi, double lo)
{
	dm_dd		r;

	r.hi = hi;
	r.lo = lo;
	return r;
}

/* dm_two_sum: a + b = s + e exactly (Knuth), no condition on |a|, |b|. */
static inline dm_dd
dm_two_sum(double a, double b)
{
	double		s = a + b;
	double		bb = s - a;

	return dm_dd_make(s, (a - (s - bb)) + (b - bb));
}

/* dm_quick_two_sum: a + b = s + e exactly when |a| >= |b| (Dekker). */
static inline dm_dd
dm_quick_two_sum(double a, double b)
{
	double		s = a + b;

	return dm_dd_make(s, b - (s - a));
}

/* dm_two_prod: a * b = p + e exactly (Dekker's TwoProduct or an fma). */
static inline dm_dd
dm_two_prod(double a, double b)
{
	double		p = a * b;
#ifdef FP_FAST_FMA
	return dm_dd_make(p, fma(a, b, -p));
#else
	const double split = 134217729.0;	/* 2^27 + 1 */
	double		t,
				ah,
				al,
				bh,
				bl;

	t = split * a;
	ah = t - (t - a);
	al = a - ah;
	t = split * b;
	bh = t - (t - b);
	bl = b - bh;
	return dm_dd_make(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl);
#endif
}

/* dm_dd_from: a double as a double-double. */
static inline dm_dd
dm_dd_from(double a)
{
	return dm_dd_make(a, 0.0);
}

/* dm_dd_add: a + b for double-doubles (the accurate "IEEE" variant). */
static inline dm_dd
dm_dd_add(dm_dd a, dm_dd b)
{
	dm_dd		s = dm_two_sum(a.hi, b.hi);
	dm_dd		t = dm_two_sum(a.lo, b.lo);

	s.lo += t.hi;
	s = dm_quick_two_sum(s.hi, s.lo);
	s.lo += t.lo;
	return dm_quick_two_sum(s.hi, s.lo);
}

/* dm_dd_neg: -a. */
static inline dm_dd
dm_dd_neg(dm_dd a)
{
	return dm_dd_make(-a.hi, -a.lo);
}

/* dm_dd_sub: a - b. */
static inline dm_dd
dm_dd_sub(dm_dd a, dm_dd b)
{
	return dm_dd_add(a, dm_dd_neg(b));
}

/* dm_dd_add_d: a + b with b a double. */
static inline dm_dd
dm_dd_add_d(dm_dd a, double b)
{
	dm_dd		s = dm_two_sum(a.hi, b);

	s.lo += a.lo;
	return dm_quick_two_sum(s.hi, s.lo);
}

/* dm_dd_mul: a * b. */
static inline dm_dd
dm_dd_mul(dm_dd a, dm_dd b)
{
	dm_dd		p = dm_two_prod(a.hi, b.hi);

	p.lo += a.hi * b.lo + a.lo * b.hi;
	return dm_quick_two_sum(p.hi, p.lo);
}

/* dm_dd_mul_d: a * b with b a double. */
static inline dm_dd
dm_dd_mul_d(dm_dd a, double b)
{
	dm_dd		p = dm_two_prod(a.hi, b);

	p.lo += a.lo * b;
	return dm_quick_two_sum(p.hi, p.lo);
}

/* dm_dd_div: a / b (long division with three partial quotients). */
static inline dm_dd
dm_dd_div(dm_dd a, dm_dd b)
{
	double		q1,
				q2,
				q3;
	dm_dd		r;

	q1 = a.hi / b.hi;
	r = dm_dd_sub(a, dm_dd_mul_d(b, q1));
	q2 = r.hi / b.hi;
	r = dm_dd_sub(r, dm_dd_mul_d(b, q2));
	q3 = r.hi / b.hi;
	r = dm_quick_two_sum(q1, q2);
	return dm_dd_add_d(r, q3);
}

/* dm_dd_div_d_d: a / b for doubles a, b, correct to double-double. */
static inline dm_dd
dm_dd_div_d_d(double a, double b)
{
	double		q1 = a / b;
	dm_dd		p = dm_two_prod(q1, b);
	double		r = (a - p.hi) - p.lo;

	return dm_quick_two_sum(q1, r / b);
}

/* dm_dd_frexp: a = m * 2^e with m.hi in [0.5, 1); returns m, sets *e. */
static inline dm_dd
dm_dd_frexp(dm_dd a, int *e)
{
	double		hi = frexp(a.hi, e);

	return dm_dd_make(hi, ldexp(a.lo, -*e));
}

/* dm_dd_ldexp: a * 2^e. */
static inline dm_dd
dm_dd_ldexp(dm_dd a, int e)
{
	return dm_dd_make(ldexp(a.hi, e), ldexp(a.lo, e));
}

/* dm_dd_floor: the largest integer <= a. */
static inline dm_dd
dm_dd_floor(dm_dd a)
{
	double		hi = floor(a.hi);

	if (hi == a.hi)
		return dm_quick_two_sum(hi, floor(a.lo));
	return dm_dd_make(hi, 0.0);
}

/* dm_dd_to_double: the nearest double. */
static inline double
dm_dd_to_double(dm_dd a)
{
	return a.hi + a.lo;
}

#endif							/* DM_KS_DD_H */
