/*
 * category_fmt.h
 *		Byte and text formats of the driftmon.category_counts type (also the
 *		serialized state of the categorical aggregates), Postgres-free.
 *
 * Byte format, big-endian: u8 magic 0xC7, u8 version 1, i64 n_reference,
 * n_current, missing_reference, missing_current, u32 k, then k categories
 * strictly ascending by bytes: i64 n_reference, i64 n_current, u32 length,
 * bytes (no NUL byte).  Counts are >= 0, each category counted at least once
 * and the totals equal the sums of the category counts.
 */
#ifndef DM_CATEGORY_FMT_H
#define DM_CATEGORY_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "dm_fmt.h"

#define DM_CC_MAGIC			0xC7
#define DM_CC_VERSION		1
#define DM_CC_HEADER_SIZE	(2 + 4 * 8 + 4)
#define DM_CC_ENTRY_SIZE	(8 + 8 + 4)

/* A flat category_counts value.  Arrays come from dm_alloc. */
typedef struct dm_cc
{
	int64_t		n_ref;
	int64_t		n_cur;
	int64_t		missing_ref;
	int64_t		missing_cur;
	uint32_t	k;
	const char **name;			/* not NUL-terminated */
	uint32_t   *len;
	int64_t    *a;				/* reference count per category */
	int64_t    *b;				/* current count per category */
	int64_t		version;		/* text form: the version read */
	char	   *owned;			/* names' storage (text form), or NULL */
} dm_cc;

/*
 * dm_cc_decode: parse and fully validate a byte image; names point into buf.
 * Codes: TRUNCATED, MAGIC, VERSION, INVALID, TRAILING.  Call dm_cc_free(out)
 * afterwards whatever the result.
 */
int			dm_cc_decode(const char *buf, size_t len, dm_cc *out,
						 char *errbuf, size_t errlen);

/* dm_cc_encoded_size / dm_cc_encode: the byte image of c (no checks). */
size_t		dm_cc_encoded_size(const dm_cc *c);
void		dm_cc_encode(const dm_cc *c, char *out);

/*
 * dm_cc_parse_text: the JSON text form (keys in the output's order,
 * whitespace between tokens, a NUL byte ends the input).  Only the syntax
 * is checked: encode and decode the result to validate it.  Codes: SYNTAX
 * ("Expected X at character N."), VERSION (out->version holds it), RANGE
 * (a count beyond bigint).  Call dm_cc_free(out) afterwards.
 */
int			dm_cc_parse_text(const char *s, size_t len, dm_cc *out,
							 char *errbuf, size_t errlen);

/* dm_cc_format_text: the canonical text form, NUL-terminated, dm_alloc'd. */
char	   *dm_cc_format_text(const dm_cc *c);

/* dm_cc_free: release what a decoder allocated (the struct is zeroed). */
void		dm_cc_free(dm_cc *c);

#endif							/* DM_CATEGORY_FMT_H */
