/*
 * dm_sort.h
 *		Sorting of float8 samples for the exact drift and quality statistics.
 */
#ifndef DM_SORT_H
#define DM_SORT_H

#include <stddef.h>

/*
 * Sort v[0..n-1] ascending in place.  -0.0 is stored as +0.0 so that equal
 * values are adjacent; NaN must not be passed (callers count and drop it).
 * LSD radix sort of the IEEE-754 bits: O(n), n doubles of scratch memory.
 */
extern void dm_sort_doubles(double *v, size_t n);

#endif							/* DM_SORT_H */
