/*
 * dm_fmt.c
 *		Helpers shared by the decoders and encoders of external bytes: error
 *		messages, the cursor and array growth of the text parsers, and the
 *		JSON string escaping of the text forms of category_counts and
 *		confusion.
 */
#include "dm_fmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dm_core.h"

/* dm_fmt_error: format the message of a decoding error; returns code. */
int
dm_fmt_error(char *errbuf, size_t errlen, int code, const char *fmt,...)
{
	va_list		ap;

	if (errbuf != NULL && errlen > 0)
	{
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* dm_json_expected: the syntax error of a text parser at its position. */
int
dm_json_expected(dm_json_cursor *c, const char *what)
{
	return dm_fmt_error(c->errbuf, c->errlen, DM_FMT_SYNTAX,
						"Expected %s at character %d.", what, (int) c->pos + 1);
}

/* dm_fmt_grow: move n elements of old into a new array of newcap. */
void *
dm_fmt_grow(void *old, size_t n, size_t newcap, size_t elem)
{
	void	   *nb = dm_alloc(newcap * elem);

	if (n)
		memcpy(nb, old, n * elem);
	if (old)
		dm_free(old);
	return nb;
}

/* dm_fmt_json_len: exact length of a JSON string literal of s (quotes included). */
size_t
dm_fmt_json_len(const char *s, uint32_t len)
{
	size_t		n = 2;
	uint32_t	i;

	for (i = 0; i < len; i++)
	{
		unsigned char ch = (unsigned char) s[i];

		n += (ch == '"' || ch == '\\') ? 2 : (ch < 0x20 || ch == 0x7f) ? 6 : 1;
	}
	return n;
}

/* dm_fmt_json_string: write a JSON string literal (control chars \u00XX). */
char *
dm_fmt_json_string(char *o, const char *s, uint32_t len)
{
	uint32_t	i;

	*o++ = '"';
	for (i = 0; i < len; i++)
	{
		unsigned char ch = (unsigned char) s[i];

		if (ch == '"' || ch == '\\')
		{
			*o++ = '\\';
			*o++ = (char) ch;
		}
		else if (ch < 0x20 || ch == 0x7f)
			o += sprintf(o, "\\u%04x", ch);
		else
			*o++ = (char) ch;
	}
	*o++ = '"';
	return o;
}
