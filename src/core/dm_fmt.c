/*
 * dm_fmt.c
 *		Helpers shared by the decoders of external bytes.
 */
#include "dm_fmt.h"

#include <stdarg.h>
#include <stdio.h>

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
