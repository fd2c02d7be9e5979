/*
 * dm_core.h
 *		Services the Postgres-free numerical core needs from its host.
 *
 * The core never includes PostgreSQL headers, so it can be unit-tested and
 * fuzzed alone.  It allocates through dm_alloc/dm_free and polls for
 * cancellation through DM_CHECK_INTERRUPTS() in long loops; inside the
 * server the glue points these at palloc/pfree and CHECK_FOR_INTERRUPTS (so
 * an error may longjmp out of the core: core code must not hold malloc'd
 * memory across those calls), in tests they are malloc/free and a no-op.
 */
#ifndef DM_CORE_H
#define DM_CORE_H

#include <stddef.h>
#include <stdint.h>

/* Allocation hook: never returns NULL inside the server (it raises). */
extern void *(*dm_alloc) (size_t size);
extern void (*dm_free) (void *ptr);

/* Cancellation hook, called every DM_INTERRUPT_EVERY iterations of a loop. */
extern void (*dm_interrupt) (void);

#define DM_INTERRUPT_EVERY 65536

#define DM_CHECK_INTERRUPTS() \
	do { if (dm_interrupt) dm_interrupt(); } while (0)

/*
 * Neumaier compensated sum, mergeable: the accumulator of every long sum in
 * the core (metrics, Wasserstein, moments).
 */
typedef struct dm_ksum
{
	double		s;
	double		c;
} dm_ksum;

/* dm_ksum_add: add x, keeping the rounding error of the sum in c. */
static inline void
dm_ksum_add(dm_ksum *k, double x)
{
	double		t = k->s + x;
	double		a = k->s > 0 ? k->s : -k->s;
	double		b = x > 0 ? x : -x;

	if (a >= b)
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

/* dm_ksum_merge: add another compensated sum (its value and its error). */
static inline void
dm_ksum_merge(dm_ksum *k, const dm_ksum *o)
{
	dm_ksum_add(k, o->s);
	k->c += o->c;
}

/* dm_ksum_value: the sum, its error term added back. */
static inline double
dm_ksum_value(const dm_ksum *k)
{
	return k->s + k->c;
}

#endif							/* DM_CORE_H */
