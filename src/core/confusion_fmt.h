/*
 * confusion_fmt.h
 *		Byte and text formats of the driftmon.confusion type (also the
 *		serialized state of the confusion aggregates), Postgres-free.
 *
 * Byte format, little-endian: u8 version (1), u8 kind (1 text, 2 bigint,
 * 3 boolean), u16 0, i64 skipped, u32 n_labels, u32 n_cells, the labels
 * strictly ascending (bigint i64 | boolean u8 0/1 | text u32 length +
 * bytes, bytewise order), the cells strictly ascending by (true, predicted):
 * u32 true, u32 predicted, i64 count > 0.  Every label is used by a cell and
 * the total count fits in int64, so equal summaries have equal bytes.
 */
#ifndef DM_CONFUSION_FMT_H
#define DM_CONFUSION_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "dm_fmt.h"

#define DM_CONF_VERSION		1
#define DM_CONF_KIND_TEXT	1
#define DM_CONF_KIND_INT8	2
#define DM_CONF_KIND_BOOL	3
#define DM_CONF_HEADER		20
#define DM_CONF_CELL		16

/* A sorted, flat confusion summary.  Arrays come from dm_alloc. */
typedef struct dm_conf
{
	int			kind;
	int64_t		n_skipped;
	uint32_t	nlabels;
	uint32_t	ncells;
	int64_t    *ival;			/* bigint / boolean labels */
	const char **tdata;			/* text labels (not NUL-terminated) */
	uint32_t   *tlen;
	uint32_t   *ct;
	uint32_t   *cp;
	int64_t    *cn;
	char	   *owned;			/* text labels' storage (text form), or NULL */
} dm_conf;

/* dm_conf_label_cmp: order of two labels of one kind (bytewise for text). */
int			dm_conf_label_cmp(int kind, int64_t a, const char *ad, uint32_t al,
							  int64_t b, const char *bd, uint32_t bl);

/*
 * dm_conf_decode: parse and fully validate a byte image.  Text labels point
 * into buf.  Codes: TRUNCATED, VERSION, INVALID, TRAILING.  Call
 * dm_conf_free(out) afterwards whatever the result.
 */
int			dm_conf_decode(const char *buf, size_t len, dm_conf *out,
						   char *errbuf, size_t errlen);

/* dm_conf_encoded_size / dm_conf_encode: the byte image of c (no checks). */
size_t		dm_conf_encoded_size(const dm_conf *c);
void		dm_conf_encode(const dm_conf *c, char *out);

/*
 * dm_conf_parse_text: the JSON text form (keys in the output's order,
 * whitespace between tokens; a NUL byte ends the input).  Only the syntax
 * and label indexes are checked: encode and decode the result to validate
 * it.  Codes: SYNTAX (message "Expected X at character N."), VERSION,
 * INVALID.  Call dm_conf_free(out) afterwards whatever the result.
 */
int			dm_conf_parse_text(const char *s, size_t len, dm_conf *out,
							   char *errbuf, size_t errlen);

/*
 * dm_conf_unicode_fn: write the server-encoding bytes of code point cpt
 * (>= 0x80) to out (room for 32 bytes), return how many.  The text input of
 * a database whose encoding is not UTF-8 passes one, so a \u escape means
 * the character, not its UTF-8 bytes read in another encoding.
 */
typedef size_t (*dm_conf_unicode_fn) (unsigned int cpt, char *out, void *arg);

/*
 * dm_conf_parse_text_enc: dm_conf_parse_text with the non-ASCII \u escapes
 * converted by fn (NULL: written as UTF-8, as dm_conf_parse_text does).
 */
int			dm_conf_parse_text_enc(const char *s, size_t len, dm_conf *out,
								   char *errbuf, size_t errlen,
								   dm_conf_unicode_fn fn, void *arg);

/*
 * dm_conf_sort_labels: put the labels of a parsed text form in ascending
 * order (remapping and re-sorting the cells), for a summary written by a
 * database whose encoding orders its labels' bytes differently.  The cells
 * must be strictly ascending by the indexes as written.  Codes: OK (sorted
 * or already so; duplicates are left for dm_conf_decode to refuse), INVALID
 * (cells out of order).
 */
int			dm_conf_sort_labels(dm_conf *c, char *errbuf, size_t errlen);

/* dm_conf_format_text: the canonical text form, NUL-terminated, dm_alloc'd. */
char	   *dm_conf_format_text(const dm_conf *c);

/* dm_conf_free: release what a decoder allocated (the struct is zeroed). */
void		dm_conf_free(dm_conf *c);

#endif							/* DM_CONFUSION_FMT_H */
