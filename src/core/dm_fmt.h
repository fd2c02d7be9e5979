/*
 * dm_fmt.h
 *		Result codes shared by the decoders of external bytes (the text and
 *		binary forms of the SQL-visible types and the serialized aggregate
 *		states).
 *
 * Every decoder is a pure function over (buf, len): it never reads past
 * len, allocates only through dm_alloc, and on failure returns one of the
 * codes below with a one-sentence message (the errdetail the glue raises)
 * in errbuf.  The glue maps a code to the SQLSTATE and errmsg it always
 * raised, so the byte-level checks can be fuzzed without a server.
 */
#ifndef DM_FMT_H
#define DM_FMT_H

#include <stddef.h>
#include <stdint.h>

#define DM_FMT_OK			0
#define DM_FMT_TRUNCATED	1	/* input ends before a field */
#define DM_FMT_VERSION		2	/* unsupported format version */
#define DM_FMT_INVALID		3	/* a field holds an impossible value */
#define DM_FMT_TRAILING		4	/* bytes after the last field */
#define DM_FMT_SYNTAX		5	/* text form: unexpected character */
#define DM_FMT_RANGE		6	/* text form: number out of range */
#define DM_FMT_MAGIC		7	/* wrong magic byte */

/* dm_fmt_error: write a printf-style message into errbuf, return code. */
int			dm_fmt_error(char *errbuf, size_t errlen, int code, const char *fmt,...)
#ifdef __GNUC__
			__attribute__((format(printf, 4, 5)))
#endif
			;

/*
 * dm_fmt_json_len: exact length of the JSON string literal of s[0..len)
 * as dm_fmt_json_string writes it (quotes included).
 */
size_t		dm_fmt_json_len(const char *s, uint32_t len);

/*
 * dm_fmt_json_string: write s[0..len) at o as a JSON string literal: '"' and
 * '\' backslash-escaped, control characters and DEL as \u00XX, other bytes
 * (UTF-8 included) as they are.  Returns the end of what was written (no
 * NUL); o must have dm_fmt_json_len(s, len) bytes free, plus one for the
 * NUL that sprintf may add.
 */
char	   *dm_fmt_json_string(char *o, const char *s, uint32_t len);

/*
 * A text parser's cursor over (s, len): reading at or past len gives NUL,
 * so the parsers of the text forms never read past their input.
 */
typedef struct dm_json_cursor
{
	const char *s;
	size_t		len;
	size_t		pos;
	char	   *errbuf;
	size_t		errlen;
} dm_json_cursor;

/* dm_json_at: the byte at pos + k, or NUL past the end. */
static inline unsigned char
dm_json_at(const dm_json_cursor *c, size_t k)
{
	return c->pos + k < c->len ? (unsigned char) c->s[c->pos + k] : 0;
}

/* dm_json_ws: skip JSON whitespace. */
static inline void
dm_json_ws(dm_json_cursor *c)
{
	unsigned char ch;

	while ((ch = dm_json_at(c, 0)) == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
		c->pos++;
}

/* dm_json_expected: DM_FMT_SYNTAX, "Expected <what> at character <pos + 1>." */
int			dm_json_expected(dm_json_cursor *c, const char *what);

/*
 * dm_fmt_grow: a copy of the first n elements of old (from dm_alloc, or
 * NULL) in a new dm_alloc array of newcap elements; old is freed.
 */
void	   *dm_fmt_grow(void *old, size_t n, size_t newcap, size_t elem);

#endif							/* DM_FMT_H */
