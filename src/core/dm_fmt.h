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

#endif							/* DM_FMT_H */
