/*
 * category_fmt.c
 *		Decoders and encoders of the driftmon.category_counts byte and text
 *		forms (see category_fmt.h).  Pure functions over (buffer, length),
 *		no PostgreSQL headers, so test/fuzz can drive them directly.
 */
#include "category_fmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dm_core.h"

/* cc_get_u32: big-endian u32 (bounds checked by the caller). */
static uint32_t
cc_get_u32(const char *p)
{
	const unsigned char *u = (const unsigned char *) p;

	return ((uint32_t) u[0] << 24) | ((uint32_t) u[1] << 16) |
		((uint32_t) u[2] << 8) | (uint32_t) u[3];
}

/* cc_get_i64: big-endian i64 (bounds checked by the caller). */
static int64_t
cc_get_i64(const char *p)
{
	return (int64_t) (((uint64_t) cc_get_u32(p) << 32) | (uint64_t) cc_get_u32(p + 4));
}

/* cc_put_u32: write a big-endian u32. */
static void
cc_put_u32(char *p, uint32_t v)
{
	p[0] = (char) (v >> 24);
	p[1] = (char) ((v >> 16) & 0xff);
	p[2] = (char) ((v >> 8) & 0xff);
	p[3] = (char) (v & 0xff);
}

/* cc_put_i64: write a big-endian i64. */
static void
cc_put_i64(char *p, int64_t v)
{
	cc_put_u32(p, (uint32_t) ((uint64_t) v >> 32));
	cc_put_u32(p + 4, (uint32_t) ((uint64_t) v & 0xffffffffu));
}

/* cc_name_cmp: bytewise order, a proper prefix first. */
static int
cc_name_cmp(const char *a, uint32_t al, const char *b, uint32_t bl)
{
	int			c = memcmp(a, b, al < bl ? al : bl);

	if (c != 0)
		return c;
	return (al > bl) - (al < bl);
}

/* dm_cc_free: release the arrays of a value (safe on a zeroed one). */
void
dm_cc_free(dm_cc *c)
{
	if (c->name)
		dm_free((void *) c->name);
	if (c->len)
		dm_free(c->len);
	if (c->a)
		dm_free(c->a);
	if (c->b)
		dm_free(c->b);
	if (c->owned)
		dm_free(c->owned);
	memset(c, 0, sizeof(*c));
}

#define CC_ERR(code, msg) dm_fmt_error(errbuf, errlen, code, "%s", msg)

/*
 * dm_cc_decode
 *		Validate a byte image completely (structure, order, counts, totals)
 *		and return its flat view.
 */
int
dm_cc_decode(const char *p, size_t len, dm_cc *c, char *errbuf, size_t errlen)
{
	const char *end = p + len;
	const char *q;
	int64_t		sum_ref = 0,
				sum_cur = 0;
	uint32_t	i;

	memset(c, 0, sizeof(*c));
	if (len < 2)
		return CC_ERR(DM_FMT_TRUNCATED, "The value is truncated: no header.");
	if ((uint8_t) p[0] != DM_CC_MAGIC)
		return CC_ERR(DM_FMT_MAGIC, "The value does not start with the category_counts magic byte.");
	if ((uint8_t) p[1] != DM_CC_VERSION)
		return dm_fmt_error(errbuf, errlen, DM_FMT_VERSION,
							"Format version %d is not supported (this library reads version %d).",
							(uint8_t) p[1], DM_CC_VERSION);
	if (len < DM_CC_HEADER_SIZE)
		return CC_ERR(DM_FMT_TRUNCATED, "The value is truncated inside the header.");
	c->n_ref = cc_get_i64(p + 2);
	c->n_cur = cc_get_i64(p + 10);
	c->missing_ref = cc_get_i64(p + 18);
	c->missing_cur = cc_get_i64(p + 26);
	c->k = cc_get_u32(p + 34);
	c->version = DM_CC_VERSION;
	if (c->n_ref < 0 || c->n_cur < 0 || c->missing_ref < 0 || c->missing_cur < 0)
		return CC_ERR(DM_FMT_INVALID, "A total count is negative.");
	if ((size_t) c->k > (len - DM_CC_HEADER_SIZE) / DM_CC_ENTRY_SIZE)
		return CC_ERR(DM_FMT_TRUNCATED, "The category count exceeds what the value can hold.");
	c->name = dm_alloc((size_t) (c->k ? c->k : 1) * sizeof(char *));
	c->len = dm_alloc((size_t) (c->k ? c->k : 1) * sizeof(uint32_t));
	c->a = dm_alloc((size_t) (c->k ? c->k : 1) * sizeof(int64_t));
	c->b = dm_alloc((size_t) (c->k ? c->k : 1) * sizeof(int64_t));
	q = p + DM_CC_HEADER_SIZE;
	for (i = 0; i < c->k; i++)
	{
		int64_t		a,
					b;
		uint32_t	l;

		if (end - q < DM_CC_ENTRY_SIZE)
			return CC_ERR(DM_FMT_TRUNCATED, "The value is truncated inside a category.");
		a = cc_get_i64(q);
		b = cc_get_i64(q + 8);
		l = cc_get_u32(q + 16);
		q += DM_CC_ENTRY_SIZE;
		if (a < 0 || b < 0)
			return CC_ERR(DM_FMT_INVALID, "A category count is negative.");
		if (a == 0 && b == 0)
			return CC_ERR(DM_FMT_INVALID, "A category has no row on either side.");
		if ((size_t) (end - q) < l)
			return CC_ERR(DM_FMT_TRUNCATED, "The value is truncated inside a category name.");
		if (memchr(q, '\0', l) != NULL)
			return CC_ERR(DM_FMT_INVALID, "A category name contains a zero byte.");
		if (i > 0 && cc_name_cmp(c->name[i - 1], c->len[i - 1], q, l) >= 0)
			return CC_ERR(DM_FMT_INVALID, "Categories are not strictly ascending by bytes (duplicate or out of order).");
		if (a > INT64_MAX - sum_ref || b > INT64_MAX - sum_cur)
			return CC_ERR(DM_FMT_INVALID, "The category counts overflow bigint.");
		sum_ref += a;
		sum_cur += b;
		c->name[i] = q;
		c->len[i] = l;
		c->a[i] = a;
		c->b[i] = b;
		q += l;
		if ((i & 65535) == 65535)
			DM_CHECK_INTERRUPTS();
	}
	if (q != end)
		return CC_ERR(DM_FMT_TRAILING, "There are trailing bytes after the last category.");
	if (sum_ref != c->n_ref || sum_cur != c->n_cur)
		return dm_fmt_error(errbuf, errlen, DM_FMT_INVALID,
							"Totals (%" PRId64 ", %" PRId64 ") do not match the sums of the category counts (%" PRId64 ", %" PRId64 ").",
							c->n_ref, c->n_cur, sum_ref, sum_cur);
	return DM_FMT_OK;
}

/* dm_cc_encoded_size: length of the byte image of c. */
size_t
dm_cc_encoded_size(const dm_cc *c)
{
	size_t		total = DM_CC_HEADER_SIZE;
	uint32_t	i;

	for (i = 0; i < c->k; i++)
		total += DM_CC_ENTRY_SIZE + (size_t) c->len[i];
	return total;
}

/* dm_cc_encode: write the byte image of c (dm_cc_encoded_size bytes). */
void
dm_cc_encode(const dm_cc *c, char *p)
{
	uint32_t	i;

	p[0] = (char) DM_CC_MAGIC;
	p[1] = (char) DM_CC_VERSION;
	cc_put_i64(p + 2, c->n_ref);
	cc_put_i64(p + 10, c->n_cur);
	cc_put_i64(p + 18, c->missing_ref);
	cc_put_i64(p + 26, c->missing_cur);
	cc_put_u32(p + 34, c->k);
	p += DM_CC_HEADER_SIZE;
	for (i = 0; i < c->k; i++)
	{
		cc_put_i64(p, c->a[i]);
		cc_put_i64(p + 8, c->b[i]);
		cc_put_u32(p + 16, c->len[i]);
		if (c->len[i] > 0)
			memcpy(p + DM_CC_ENTRY_SIZE, c->name[i], c->len[i]);
		p += DM_CC_ENTRY_SIZE + c->len[i];
	}
}

/* ---------------------------------------------------------------------
 * Text form
 * ---------------------------------------------------------------------
 */

/* Parser over (s, len); a position at or past len reads as NUL. */
typedef struct CcParser
{
	dm_json_cursor cur;
	char	   *str;			/* the last string read */
	size_t		strlen;
	size_t		strcap;
} CcParser;

/* ccp_expect: consume one punctuation character (after whitespace). */
static int
ccp_expect(CcParser *ps, char c)
{
	char		what[8];

	dm_json_ws(&ps->cur);
	if (dm_json_at(&ps->cur, 0) != c)
	{
		snprintf(what, sizeof(what), "\"%c\"", c);
		return dm_json_expected(&ps->cur, what);
	}
	ps->cur.pos++;
	return DM_FMT_OK;
}

/* ccp_push: append one byte to the current string. */
static void
ccp_push(CcParser *ps, char ch)
{
	if (ps->strlen == ps->strcap)
	{
		size_t		cap = ps->strcap ? ps->strcap * 2 : 64;
		char	   *nb = dm_alloc(cap);

		if (ps->strlen)
			memcpy(nb, ps->str, ps->strlen);
		if (ps->str)
			dm_free(ps->str);
		ps->str = nb;
		ps->strcap = cap;
	}
	ps->str[ps->strlen++] = ch;
}

/* ccp_string: a JSON string (escapes: \" \\ \/ \b \f \n \r \t \u00XX). */
static int
ccp_string(CcParser *ps)
{
	dm_json_ws(&ps->cur);
	if (dm_json_at(&ps->cur, 0) != '"')
		return dm_json_expected(&ps->cur, "a string");
	ps->cur.pos++;
	ps->strlen = 0;
	for (;;)
	{
		char		c = dm_json_at(&ps->cur, 0);

		if (c == '\0')
			return dm_json_expected(&ps->cur, "the end of a string");
		ps->cur.pos++;
		if (c == '"')
			break;
		if (c != '\\')
		{
			ccp_push(ps, c);
			continue;
		}
		c = dm_json_at(&ps->cur, 0);
		ps->cur.pos++;
		switch (c)
		{
			case '"':
			case '\\':
			case '/':
				ccp_push(ps, c);
				break;
			case 'b':
				ccp_push(ps, '\b');
				break;
			case 'f':
				ccp_push(ps, '\f');
				break;
			case 'n':
				ccp_push(ps, '\n');
				break;
			case 'r':
				ccp_push(ps, '\r');
				break;
			case 't':
				ccp_push(ps, '\t');
				break;
			case 'u':
				{
					int			v = 0,
								j;

					for (j = 0; j < 4; j++)
					{
						char		h = dm_json_at(&ps->cur, 0);

						if (h >= '0' && h <= '9')
							v = v * 16 + (h - '0');
						else if (h >= 'a' && h <= 'f')
							v = v * 16 + (h - 'a' + 10);
						else if (h >= 'A' && h <= 'F')
							v = v * 16 + (h - 'A' + 10);
						else
							return dm_json_expected(&ps->cur, "four hexadecimal digits after \\u");
						ps->cur.pos++;
					}
					if (v == 0 || v > 0x7f)
					{
						ps->cur.pos -= 6;
						return dm_json_expected(&ps->cur, "a \\u escape of an ASCII character other than NUL (write other characters as they are)");
					}
					ccp_push(ps, (char) v);
					break;
				}
			default:
				ps->cur.pos -= 2;
				return dm_json_expected(&ps->cur, "a valid escape sequence");
		}
	}
	return DM_FMT_OK;
}

/* ccp_count: a non-negative bigint. */
static int
ccp_count(CcParser *ps, int64_t *out)
{
	int64_t		v = 0;
	size_t		start;

	dm_json_ws(&ps->cur);
	start = ps->cur.pos;
	if (dm_json_at(&ps->cur, 0) < '0' || dm_json_at(&ps->cur, 0) > '9')
		return dm_json_expected(&ps->cur, "a non-negative integer");
	while (dm_json_at(&ps->cur, 0) >= '0' && dm_json_at(&ps->cur, 0) <= '9')
	{
		int			d = dm_json_at(&ps->cur, 0) - '0';

		if (v > (INT64_MAX - d) / 10)
		{
			ps->cur.pos = start;
			return dm_fmt_error(ps->cur.errbuf, ps->cur.errlen, DM_FMT_RANGE,
								"The number at character %d exceeds the range of bigint.",
								(int) start + 1);
		}
		v = v * 10 + d;
		ps->cur.pos++;
	}
	*out = v;
	return DM_FMT_OK;
}

/* ccp_key: consume "name": and check it is the expected key. */
static int
ccp_key(CcParser *ps, const char *name)
{
	char		what[64];
	size_t		at;
	int			rc;

	dm_json_ws(&ps->cur);
	at = ps->cur.pos;
	if ((rc = ccp_string(ps)) != DM_FMT_OK)
		return rc;
	if (ps->strlen != strlen(name) || memcmp(ps->str, name, ps->strlen) != 0)
	{
		ps->cur.pos = at;
		snprintf(what, sizeof(what), "the key \"%s\"", name);
		return dm_json_expected(&ps->cur, what);
	}
	return ccp_expect(ps, ':');
}

/*
 * ccp_body: the parser proper; names are stored as offsets (in len's
 * place, fixed up by dm_cc_parse_text) into ps's name storage.
 */
static int
ccp_body(CcParser *ps, dm_cc *c, size_t **offp, char **store, size_t *storelen)
{
	static const char *const keys[4] = {"n_reference", "n_current",
	"missing_reference", "missing_current"};
	int64_t    *hdr[4];
	size_t		cap = 0,
				scap = 0;
	int			i,
				rc;

#define TRY(x) do { if ((rc = (x)) != DM_FMT_OK) return rc; } while (0)
	hdr[0] = &c->n_ref;
	hdr[1] = &c->n_cur;
	hdr[2] = &c->missing_ref;
	hdr[3] = &c->missing_cur;
	TRY(ccp_expect(ps, '{'));
	TRY(ccp_key(ps, "version"));
	TRY(ccp_count(ps, &c->version));
	if (c->version != DM_CC_VERSION)
		return dm_fmt_error(ps->cur.errbuf, ps->cur.errlen, DM_FMT_VERSION,
							"This library reads version %d.", DM_CC_VERSION);
	for (i = 0; i < 4; i++)
	{
		TRY(ccp_expect(ps, ','));
		TRY(ccp_key(ps, keys[i]));
		TRY(ccp_count(ps, hdr[i]));
	}
	TRY(ccp_expect(ps, ','));
	TRY(ccp_key(ps, "categories"));
	TRY(ccp_expect(ps, '['));
	dm_json_ws(&ps->cur);
	if (dm_json_at(&ps->cur, 0) == ']')
	{
		ps->cur.pos++;
	}
	else
	{
		for (;;)
		{
			if (c->k == cap)
			{
				size_t		nc = cap ? cap * 2 : 8;

				c->a = dm_fmt_grow(c->a, c->k, nc, sizeof(int64_t));
				c->b = dm_fmt_grow(c->b, c->k, nc, sizeof(int64_t));
				c->len = dm_fmt_grow(c->len, c->k, nc, sizeof(uint32_t));
				*offp = dm_fmt_grow(*offp, c->k, nc, sizeof(size_t));
				cap = nc;
			}
			TRY(ccp_expect(ps, '['));
			TRY(ccp_string(ps));
			TRY(ccp_expect(ps, ','));
			TRY(ccp_count(ps, &c->a[c->k]));
			TRY(ccp_expect(ps, ','));
			TRY(ccp_count(ps, &c->b[c->k]));
			TRY(ccp_expect(ps, ']'));
			if (*storelen + ps->strlen > scap)
			{
				size_t		ns = scap ? scap : 64;

				while (ns < *storelen + ps->strlen)
					ns *= 2;
				*store = dm_fmt_grow(*store, *storelen, ns, 1);
				scap = ns;
			}
			if (ps->strlen)
				memcpy(*store + *storelen, ps->str, ps->strlen);
			(*offp)[c->k] = *storelen;
			c->len[c->k] = (uint32_t) ps->strlen;
			*storelen += ps->strlen;
			if (c->k == UINT32_MAX)
				return dm_json_expected(&ps->cur, "fewer categories");
			c->k++;
			dm_json_ws(&ps->cur);
			if (dm_json_at(&ps->cur, 0) == ',')
			{
				ps->cur.pos++;
				continue;
			}
			if (dm_json_at(&ps->cur, 0) == ']')
			{
				ps->cur.pos++;
				break;
			}
			return dm_json_expected(&ps->cur, "\",\" or \"]\"");
		}
	}
	TRY(ccp_expect(ps, '}'));
	dm_json_ws(&ps->cur);
	if (dm_json_at(&ps->cur, 0) != '\0')
		return dm_json_expected(&ps->cur, "the end of the input");
#undef TRY
	return DM_FMT_OK;
}

/*
 * dm_cc_parse_text
 *		The JSON text form written by dm_cc_format_text; validate the result
 *		by encoding and decoding it.
 */
int
dm_cc_parse_text(const char *s, size_t len, dm_cc *c, char *errbuf, size_t errlen)
{
	CcParser	ps;
	size_t	   *off = NULL;
	char	   *store = NULL;
	size_t		storelen = 0;
	uint32_t	i;
	int			rc;

	memset(c, 0, sizeof(*c));
	memset(&ps, 0, sizeof(ps));
	ps.cur.s = s;
	ps.cur.len = len;
	ps.cur.errbuf = errbuf;
	ps.cur.errlen = errlen;
	rc = ccp_body(&ps, c, &off, &store, &storelen);
	c->owned = store;
	c->name = dm_alloc((size_t) (c->k ? c->k : 1) * sizeof(char *));
	for (i = 0; i < c->k; i++)
		c->name[i] = store ? store + off[i] : "";
	if (off)
		dm_free(off);
	if (ps.str)
		dm_free(ps.str);
	return rc;
}

/*
 * dm_cc_format_text
 *		{"version":1,"n_reference":N,"n_current":N,"missing_reference":N,
 *		 "missing_current":N,"categories":[["a",n_ref,n_cur],...]}
 */
char *
dm_cc_format_text(const dm_cc *c)
{
	size_t		cap = 200;
	char	   *buf,
			   *o;
	uint32_t	i;

	for (i = 0; i < c->k; i++)
		cap += 48 + dm_fmt_json_len(c->name[i], c->len[i]);
	buf = o = dm_alloc(cap);
	o += sprintf(o, "{\"version\":%d,\"n_reference\":%" PRId64 ",\"n_current\":%" PRId64
				 ",\"missing_reference\":%" PRId64 ",\"missing_current\":%" PRId64
				 ",\"categories\":[",
				 DM_CC_VERSION, c->n_ref, c->n_cur, c->missing_ref, c->missing_cur);
	for (i = 0; i < c->k; i++)
	{
		if (i > 0)
			*o++ = ',';
		*o++ = '[';
		o = dm_fmt_json_string(o, c->name[i], c->len[i]);
		o += sprintf(o, ",%" PRId64 ",%" PRId64 "]", c->a[i], c->b[i]);
	}
	sprintf(o, "]}");
	return buf;
}
