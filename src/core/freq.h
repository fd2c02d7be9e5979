/*
 * freq.h
 *		Category counts for the categorical profile: exact while there are
 *		at most cap distinct categories, then a Misra-Gries frequent-items
 *		summary, plus the count of the rest; and its versioned byte format.
 *
 * Reduction (when more than 2 cap categories are held during aggregation,
 * and down to cap when the profile is finished): c* = the (cap+1)-th largest
 * count is subtracted from every count, non-positive ones are dropped, and
 * the subtracted mass is added to rest.  Each reduction takes at least
 * (cap+1) c* from the counts and lowers any single category by at most c*,
 * so for every category (Misra-Gries; mergeable, Agarwal et al. 2012):
 *     0 <= true count - stored count <= rest / (cap + 1)
 * (a category not stored has a stored count of 0).  rest == 0 means exact.
 * Merges add counts and rests, then reduce; the bound still holds.
 *
 * Byte format, version 1, big-endian:
 *   magic "DMCP" | version u8 = 1 | 3 zero bytes | cap u32 | n u64 (non-NULL
 *   values) | nulls u64 | rest u64 | nitems u32 | nitems x (len u32, len
 *   bytes, count u64), categories strictly ascending bytewise (memcmp, a
 *   prefix first), no NUL byte, count >= 1, sum of counts + rest == n,
 *   n + nulls <= INT64_MAX.
 */
#ifndef DM_FREQ_H
#define DM_FREQ_H

#include <stddef.h>
#include <stdint.h>

#include "nprofile.h"			/* dm_decode_status, byte helpers */

#define DM_FREQ_DEFAULT_CAP 1000
#define DM_FREQ_MAX_CAP 1000000
#define DM_FREQ_MAGIC "DMCP"
#define DM_FREQ_VERSION 1
#define DM_FREQ_HEADER 40

typedef struct dm_freq_entry
{
	uint64_t	hash;
	uint64_t	count;			/* 0 = empty slot */
	const char *key;
	uint32_t	len;
} dm_freq_entry;

typedef struct dm_freq
{
	uint32_t	cap;
	uint64_t	n;
	uint64_t	nulls;
	uint64_t	rest;
	size_t		nslots;			/* power of two */
	size_t		used;
	dm_freq_entry *slots;
	void	   *chunks;			/* arena of key bytes */
	size_t		chunk_free;
	char	   *chunk_ptr;
} dm_freq;

/* A sorted item for encoding and comparisons. */
typedef struct dm_freq_item
{
	const char *key;
	uint32_t	len;
	uint64_t	count;
} dm_freq_item;

extern void dm_freq_init(dm_freq *f, uint32_t cap);
extern void dm_freq_free(dm_freq *f);
extern void dm_freq_add(dm_freq *f, const char *key, size_t len, uint64_t count);

/*
 * dst += src; -1 (nothing changed) when caps differ, -2 (nothing changed)
 * when n + nulls of the result would exceed INT64_MAX (the decoder refuses
 * such profiles too, so every count fits a bigint).
 */
extern int	dm_freq_merge(dm_freq *dst, const dm_freq *src);

/* Reduce to at most cap categories (call before encoding a final value). */
extern void dm_freq_finish(dm_freq *f);

/* Items sorted bytewise; *out allocated with dm_alloc (caller frees). */
extern size_t dm_freq_sorted(const dm_freq *f, dm_freq_item **out);

/* Stored count of a category (0 if absent). */
extern uint64_t dm_freq_count(const dm_freq *f, const char *key, size_t len);

/* Upper bound on true count - stored count for any category. */
extern uint64_t dm_freq_max_error(const dm_freq *f);

extern int	dm_freq_keycmp(const char *a, uint32_t la, const char *b, uint32_t lb);

extern size_t dm_freq_encoded_size(const dm_freq *f);
extern void dm_freq_encode(const dm_freq *f, uint8_t *out);
extern dm_decode_status dm_freq_decode(const uint8_t *buf, size_t len, dm_freq *f,
									   char *err, size_t errlen);

#endif							/* DM_FREQ_H */
