/*
 * confusion_fmt.c
 *		Decoders and encoders of the driftmon.confusion byte and text forms
 *		(see confusion_fmt.h).  Pure functions over (buffer, length), no
 *		PostgreSQL headers, so test/fuzz can drive them directly.
 */
#include "confusion_fmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm_core.h"

/* conf_get_u32: little-endian u32 (bounds checked by the caller). */
static uint32_t
conf_get_u32(const char *p)
{
	const unsigned char *u = (const unsigned char *) p;

	return (uint32_t) u[0] | ((uint32_t) u[1] << 8) | ((uint32_t) u[2] << 16) |
		((uint32_t) u[3] << 24);
}

/* conf_get_i64: little-endian i64 (bounds checked by the caller). */
static int64_t
conf_get_i64(const char *p)
{
	return (int64_t) ((uint64_t) conf_get_u32(p) | ((uint64_t) conf_get_u32(p + 4) << 32));
}

/* conf_put_u32: write a little-endian u32. */
static void
conf_put_u32(char *p, uint32_t v)
{
	p[0] = (char) (v & 0xff);
	p[1] = (char) ((v >> 8) & 0xff);
	p[2] = (char) ((v >> 16) & 0xff);
	p[3] = (char) ((v >> 24) & 0xff);
}

/* conf_put_i64: write a little-endian i64. */
static void
conf_put_i64(char *p, int64_t v)
{
	conf_put_u32(p, (uint32_t) ((uint64_t) v & 0xffffffffu));
	conf_put_u32(p + 4, (uint32_t) ((uint64_t) v >> 32));
}

/* dm_conf_label_cmp: bytewise for text (shorter prefix first), else numeric. */
int
dm_conf_label_cmp(int kind, int64_t a, const char *ad, uint32_t al,
				  int64_t b, const char *bd, uint32_t bl)
{
	if (kind == DM_CONF_KIND_TEXT)
	{
		int			c = memcmp(ad, bd, al < bl ? al : bl);

		if (c != 0)
			return c < 0 ? -1 : 1;
		return (al > bl) - (al < bl);
	}
	return (a > b) - (a < b);
}

/* dm_conf_free: release the arrays of a summary (safe on a zeroed one). */
void
dm_conf_free(dm_conf *c)
{
	if (c->ival)
		dm_free(c->ival);
	if (c->tdata)
		dm_free((void *) c->tdata);
	if (c->tlen)
		dm_free(c->tlen);
	if (c->ct)
		dm_free(c->ct);
	if (c->cp)
		dm_free(c->cp);
	if (c->cn)
		dm_free(c->cn);
	if (c->owned)
		dm_free(c->owned);
	memset(c, 0, sizeof(*c));
}

#define CONF_BAD(msg) dm_fmt_error(errbuf, errlen, DM_FMT_INVALID, "%s", msg)
#define CONF_TRUNC() dm_fmt_error(errbuf, errlen, DM_FMT_TRUNCATED, "The value is truncated.")

/*
 * dm_conf_decode
 *		Parse and fully validate a byte image (version, kind, lengths,
 *		strictly sorted labels and cells, positive counts without overflow,
 *		every label used).  Text labels point into buf.
 */
int
dm_conf_decode(const char *buf, size_t len, dm_conf *c, char *errbuf, size_t errlen)
{
	const char *p = buf;
	const char *end = buf + len;
	uint32_t	i;
	int64_t		total = 0;
	unsigned char *used;

	memset(c, 0, sizeof(*c));
	if (len < DM_CONF_HEADER)
		return CONF_TRUNC();
	if ((unsigned char) p[0] != DM_CONF_VERSION)
		return dm_fmt_error(errbuf, errlen, DM_FMT_VERSION,
							"Format version %d is not supported (this library reads version %d).",
							(unsigned char) p[0], DM_CONF_VERSION);
	c->kind = (unsigned char) p[1];
	if (c->kind < DM_CONF_KIND_TEXT || c->kind > DM_CONF_KIND_BOOL || p[2] != 0 || p[3] != 0)
		return CONF_BAD("The label kind is invalid.");
	c->n_skipped = conf_get_i64(p + 4);
	c->nlabels = conf_get_u32(p + 12);
	c->ncells = conf_get_u32(p + 16);
	if (c->n_skipped < 0)
		return CONF_BAD("The skipped-row count is negative.");
	if (c->nlabels > (size_t) (end - p - DM_CONF_HEADER) ||
		c->ncells > (size_t) (end - p - DM_CONF_HEADER) / DM_CONF_CELL ||
		c->nlabels > (uint32_t) INT32_MAX / 4)
		return CONF_TRUNC();
	if (c->ncells < c->nlabels && (uint64_t) c->ncells * 2 < c->nlabels)
		return CONF_BAD("A label has no count.");
	p += DM_CONF_HEADER;
	c->ival = dm_alloc((size_t) (c->nlabels ? c->nlabels : 1) * sizeof(int64_t));
	c->tdata = dm_alloc((size_t) (c->nlabels ? c->nlabels : 1) * sizeof(char *));
	c->tlen = dm_alloc((size_t) (c->nlabels ? c->nlabels : 1) * sizeof(uint32_t));
	for (i = 0; i < c->nlabels; i++)
	{
		c->ival[i] = 0;
		c->tdata[i] = NULL;
		c->tlen[i] = 0;
		if (c->kind == DM_CONF_KIND_TEXT)
		{
			if (end - p < 4)
				return CONF_TRUNC();
			c->tlen[i] = conf_get_u32(p);
			p += 4;
			if (c->tlen[i] > (size_t) (end - p))
				return CONF_TRUNC();
			c->tdata[i] = p;
			if (memchr(p, 0, c->tlen[i]) != NULL)
				return CONF_BAD("A text label contains a NUL byte.");
			p += c->tlen[i];
		}
		else if (c->kind == DM_CONF_KIND_INT8)
		{
			if (end - p < 8)
				return CONF_TRUNC();
			c->ival[i] = conf_get_i64(p);
			p += 8;
		}
		else
		{
			if (end - p < 1)
				return CONF_TRUNC();
			if (*p != 0 && *p != 1)
				return CONF_BAD("A boolean label is neither 0 nor 1.");
			c->ival[i] = *p++;
		}
		if (i > 0 && dm_conf_label_cmp(c->kind, c->ival[i - 1], c->tdata[i - 1], c->tlen[i - 1],
									   c->ival[i], c->tdata[i], c->tlen[i]) >= 0)
			return CONF_BAD("The labels are not sorted or contain a duplicate.");
	}
	if ((size_t) (end - p) != (size_t) c->ncells * DM_CONF_CELL)
	{
		if ((size_t) (end - p) < (size_t) c->ncells * DM_CONF_CELL)
			return CONF_TRUNC();
		return dm_fmt_error(errbuf, errlen, DM_FMT_TRAILING, "The value has trailing bytes.");
	}
	c->ct = dm_alloc((size_t) (c->ncells ? c->ncells : 1) * sizeof(uint32_t));
	c->cp = dm_alloc((size_t) (c->ncells ? c->ncells : 1) * sizeof(uint32_t));
	c->cn = dm_alloc((size_t) (c->ncells ? c->ncells : 1) * sizeof(int64_t));
	used = dm_alloc((size_t) (c->nlabels ? c->nlabels : 1));
	memset(used, 0, (size_t) (c->nlabels ? c->nlabels : 1));
	for (i = 0; i < c->ncells; i++)
	{
		int			rc = DM_FMT_OK;

		c->ct[i] = conf_get_u32(p);
		c->cp[i] = conf_get_u32(p + 4);
		c->cn[i] = conf_get_i64(p + 8);
		p += DM_CONF_CELL;
		if (c->ct[i] >= c->nlabels || c->cp[i] >= c->nlabels)
			rc = CONF_BAD("A cell refers to a label that does not exist.");
		else if (i > 0 && (c->ct[i] < c->ct[i - 1] ||
						   (c->ct[i] == c->ct[i - 1] && c->cp[i] <= c->cp[i - 1])))
			rc = CONF_BAD("The cells are not sorted or contain a duplicate.");
		else if (c->cn[i] <= 0)
			rc = CONF_BAD("A cell count is not positive.");
		else if (c->cn[i] > INT64_MAX - total)
			rc = CONF_BAD("The total count overflows.");
		if (rc != DM_FMT_OK)
		{
			dm_free(used);
			return rc;
		}
		total += c->cn[i];
		used[c->ct[i]] = used[c->cp[i]] = 1;
	}
	for (i = 0; i < c->nlabels; i++)
		if (!used[i])
		{
			dm_free(used);
			return CONF_BAD("A label has no count.");
		}
	dm_free(used);
	return DM_FMT_OK;
}

/* dm_conf_encoded_size: length of the byte image of c. */
size_t
dm_conf_encoded_size(const dm_conf *c)
{
	size_t		len = DM_CONF_HEADER + (size_t) c->ncells * DM_CONF_CELL;
	uint32_t	i;

	for (i = 0; i < c->nlabels; i++)
		len += c->kind == DM_CONF_KIND_TEXT ? 4 + (size_t) c->tlen[i] :
			c->kind == DM_CONF_KIND_INT8 ? 8 : 1;
	return len;
}

/* dm_conf_encode: write the byte image of c (dm_conf_encoded_size bytes). */
void
dm_conf_encode(const dm_conf *c, char *p)
{
	uint32_t	i;

	p[0] = DM_CONF_VERSION;
	p[1] = (char) c->kind;
	p[2] = p[3] = 0;
	conf_put_i64(p + 4, c->n_skipped);
	conf_put_u32(p + 12, c->nlabels);
	conf_put_u32(p + 16, c->ncells);
	p += DM_CONF_HEADER;
	for (i = 0; i < c->nlabels; i++)
	{
		if (c->kind == DM_CONF_KIND_TEXT)
		{
			conf_put_u32(p, c->tlen[i]);
			if (c->tlen[i] > 0)
				memcpy(p + 4, c->tdata[i], c->tlen[i]);
			p += 4 + c->tlen[i];
		}
		else if (c->kind == DM_CONF_KIND_INT8)
		{
			conf_put_i64(p, c->ival[i]);
			p += 8;
		}
		else
			*p++ = (char) c->ival[i];
	}
	for (i = 0; i < c->ncells; i++)
	{
		conf_put_u32(p, c->ct[i]);
		conf_put_u32(p + 4, c->cp[i]);
		conf_put_i64(p + 8, c->cn[i]);
		p += DM_CONF_CELL;
	}
}

/* ---------------------------------------------------------------------
 * Text form
 * ---------------------------------------------------------------------
 */

/* Parser over (s, len); a position at or past len reads as NUL. */
typedef struct ConfParser
{
	dm_json_cursor cur;
	/* growing text label storage */
	char	   *lab;
	size_t		lablen;
	size_t		labcap;
	/* non-ASCII \u escapes to the server encoding (NULL: UTF-8) */
	dm_conf_unicode_fn unicode_fn;
	void	   *unicode_arg;
} ConfParser;

/* cp_word: consume lit when it comes next (after whitespace). */
static int
cp_word(ConfParser *ps, const char *lit)
{
	size_t		l = strlen(lit),
				k;

	dm_json_ws(&ps->cur);
	for (k = 0; k < l; k++)
		if (dm_json_at(&ps->cur, k) != (unsigned char) lit[k])
			return 0;
	ps->cur.pos += l;
	return 1;
}

/* cp_lit: expect a literal token; returns an error code. */
static int
cp_lit(ConfParser *ps, const char *lit)
{
	char		what[32];

	if (cp_word(ps, lit))
		return DM_FMT_OK;
	snprintf(what, sizeof(what), "'%s'", lit);
	return dm_json_expected(&ps->cur, what);
}

/* cp_peek: next non-blank character equals ch (consumed if so). */
static int
cp_peek(ConfParser *ps, char ch)
{
	dm_json_ws(&ps->cur);
	if (dm_json_at(&ps->cur, 0) == (unsigned char) ch)
	{
		ps->cur.pos++;
		return 1;
	}
	return 0;
}

/* cp_int64: a JSON integer (optional minus, digits) fitting in int64. */
static int
cp_int64(ConfParser *ps, int64_t *out)
{
	int			neg = 0;
	uint64_t	v = 0;
	size_t		start;

	dm_json_ws(&ps->cur);
	if (dm_json_at(&ps->cur, 0) == '-')
	{
		neg = 1;
		ps->cur.pos++;
	}
	start = ps->cur.pos;
	while (dm_json_at(&ps->cur, 0) >= '0' && dm_json_at(&ps->cur, 0) <= '9')
	{
		uint64_t	d = (uint64_t) (dm_json_at(&ps->cur, 0) - '0');

		if (v > (UINT64_C(9223372036854775808) - d) / 10)
			return dm_json_expected(&ps->cur, "an integer in the bigint range");
		v = v * 10 + d;
		ps->cur.pos++;
	}
	if (ps->cur.pos == start)
		return dm_json_expected(&ps->cur, "an integer");
	if (!neg && v > (uint64_t) INT64_MAX)
		return dm_json_expected(&ps->cur, "an integer in the bigint range");
	*out = neg ? (int64_t) (0 - v) : (int64_t) v;
	return DM_FMT_OK;
}

/* cp_append: add bytes to the label storage. */
static void
cp_append(ConfParser *ps, const char *b, size_t n)
{
	if (ps->lablen + n > ps->labcap)
	{
		size_t		cap = ps->labcap ? ps->labcap : 64;
		char	   *nb;

		while (cap < ps->lablen + n)
			cap *= 2;
		nb = dm_alloc(cap);
		if (ps->lablen)
			memcpy(nb, ps->lab, ps->lablen);
		if (ps->lab)
			dm_free(ps->lab);
		ps->lab = nb;
		ps->labcap = cap;
	}
	memcpy(ps->lab + ps->lablen, b, n);
	ps->lablen += n;
}

/* cp_string: a JSON string into the label storage (no surrogates, no NUL). */
static int
cp_string(ConfParser *ps)
{
	dm_json_ws(&ps->cur);
	if (dm_json_at(&ps->cur, 0) != '"')
		return dm_json_expected(&ps->cur, "a string");
	ps->cur.pos++;
	for (;;)
	{
		unsigned char ch = dm_json_at(&ps->cur, 0);
		char		out;

		if (ch == '\0')
			return dm_json_expected(&ps->cur, "a closing '\"'");
		if (ch == '"')
		{
			ps->cur.pos++;
			return DM_FMT_OK;
		}
		if (ch < 0x20)
			return dm_json_expected(&ps->cur, "an escaped control character");
		if (ch != '\\')
		{
			out = (char) ch;
			cp_append(ps, &out, 1);
			ps->cur.pos++;
			continue;
		}
		ps->cur.pos++;
		switch (dm_json_at(&ps->cur, 0))
		{
			case '"':
			case '\\':
			case '/':
				out = (char) dm_json_at(&ps->cur, 0);
				cp_append(ps, &out, 1);
				break;
			case 'b':
				cp_append(ps, "\b", 1);
				break;
			case 'f':
				cp_append(ps, "\f", 1);
				break;
			case 'n':
				cp_append(ps, "\n", 1);
				break;
			case 'r':
				cp_append(ps, "\r", 1);
				break;
			case 't':
				cp_append(ps, "\t", 1);
				break;
			case 'u':
				{
					unsigned int cpt = 0;
					int			k;
					char		utf8[3];

					for (k = 1; k <= 4; k++)
					{
						unsigned char h = dm_json_at(&ps->cur, (size_t) k);

						cpt <<= 4;
						if (h >= '0' && h <= '9')
							cpt |= (unsigned) (h - '0');
						else if (h >= 'a' && h <= 'f')
							cpt |= (unsigned) (h - 'a' + 10);
						else if (h >= 'A' && h <= 'F')
							cpt |= (unsigned) (h - 'A' + 10);
						else
							return dm_json_expected(&ps->cur, "four hex digits after \\u");
					}
					if (cpt == 0 || (cpt >= 0xd800 && cpt <= 0xdfff))
						return dm_json_expected(&ps->cur, "a non-zero, non-surrogate \\u escape");
					if (cpt < 0x80)
					{
						utf8[0] = (char) cpt;
						cp_append(ps, utf8, 1);
					}
					else if (ps->unicode_fn != NULL)
					{
						char		enc[32];

						cp_append(ps, enc, ps->unicode_fn(cpt, enc, ps->unicode_arg));
					}
					else if (cpt < 0x800)
					{
						utf8[0] = (char) (0xc0 | (cpt >> 6));
						utf8[1] = (char) (0x80 | (cpt & 0x3f));
						cp_append(ps, utf8, 2);
					}
					else
					{
						utf8[0] = (char) (0xe0 | (cpt >> 12));
						utf8[1] = (char) (0x80 | ((cpt >> 6) & 0x3f));
						utf8[2] = (char) (0x80 | (cpt & 0x3f));
						cp_append(ps, utf8, 3);
					}
					ps->cur.pos += 4;
					break;
				}
			default:
				return dm_json_expected(&ps->cur, "a valid escape sequence");
		}
		ps->cur.pos++;
	}
}

/*
 * conf_parse_body
 *		The parser proper; on error returns the code with labels and cells
 *		read so far left in c / ps for dm_conf_free.
 */
static int
conf_parse_body(ConfParser *ps, dm_conf *c, size_t **offp)
{
	uint32_t	labcap = 8,
				cellcap = 8;
	int64_t		ver;
	size_t	   *off;
	int			rc;

#define TRY(x) do { if ((rc = (x)) != DM_FMT_OK) return rc; } while (0)
	TRY(cp_lit(ps, "{"));
	TRY(cp_lit(ps, "\"version\""));
	TRY(cp_lit(ps, ":"));
	TRY(cp_int64(ps, &ver));
	if (ver != DM_CONF_VERSION)
		return dm_fmt_error(ps->cur.errbuf, ps->cur.errlen, DM_FMT_VERSION,
							"Format version %" PRId64 " is not supported (this library reads version %d).",
							ver, DM_CONF_VERSION);
	TRY(cp_lit(ps, ","));
	TRY(cp_lit(ps, "\"kind\""));
	TRY(cp_lit(ps, ":"));
	if (cp_word(ps, "\"text\""))
		c->kind = DM_CONF_KIND_TEXT;
	else if (cp_word(ps, "\"bigint\""))
		c->kind = DM_CONF_KIND_INT8;
	else if (cp_word(ps, "\"boolean\""))
		c->kind = DM_CONF_KIND_BOOL;
	else
		return dm_json_expected(&ps->cur, "\"text\", \"bigint\" or \"boolean\"");
	TRY(cp_lit(ps, ","));
	TRY(cp_lit(ps, "\"skipped\""));
	TRY(cp_lit(ps, ":"));
	TRY(cp_int64(ps, &c->n_skipped));
	TRY(cp_lit(ps, ","));
	TRY(cp_lit(ps, "\"labels\""));
	TRY(cp_lit(ps, ":"));
	TRY(cp_lit(ps, "["));
	c->ival = dm_alloc(labcap * sizeof(int64_t));
	c->tlen = dm_alloc(labcap * sizeof(uint32_t));
	off = *offp = dm_alloc(labcap * sizeof(size_t));
	if (!cp_peek(ps, ']'))
	{
		do
		{
			if (c->nlabels == labcap)
			{
				c->ival = dm_fmt_grow(c->ival, c->nlabels, (size_t) labcap * 2, sizeof(int64_t));
				c->tlen = dm_fmt_grow(c->tlen, c->nlabels, (size_t) labcap * 2, sizeof(uint32_t));
				off = *offp = dm_fmt_grow(off, c->nlabels, (size_t) labcap * 2, sizeof(size_t));
				labcap *= 2;
			}
			c->ival[c->nlabels] = 0;
			off[c->nlabels] = ps->lablen;
			if (c->kind == DM_CONF_KIND_TEXT)
				TRY(cp_string(ps));
			else if (c->kind == DM_CONF_KIND_INT8)
				TRY(cp_int64(ps, &c->ival[c->nlabels]));
			else
			{
				if (cp_word(ps, "true"))
					c->ival[c->nlabels] = 1;
				else if (!cp_word(ps, "false"))
					return dm_json_expected(&ps->cur, "true or false");
			}
			c->tlen[c->nlabels] = (uint32_t) (ps->lablen - off[c->nlabels]);
			c->nlabels++;
		} while (cp_peek(ps, ','));
		TRY(cp_lit(ps, "]"));
	}
	TRY(cp_lit(ps, ","));
	TRY(cp_lit(ps, "\"cells\""));
	TRY(cp_lit(ps, ":"));
	TRY(cp_lit(ps, "["));
	c->ct = dm_alloc(cellcap * sizeof(uint32_t));
	c->cp = dm_alloc(cellcap * sizeof(uint32_t));
	c->cn = dm_alloc(cellcap * sizeof(int64_t));
	if (!cp_peek(ps, ']'))
	{
		do
		{
			int64_t		t,
						p;

			if (c->ncells == cellcap)
			{
				c->ct = dm_fmt_grow(c->ct, c->ncells, (size_t) cellcap * 2, sizeof(uint32_t));
				c->cp = dm_fmt_grow(c->cp, c->ncells, (size_t) cellcap * 2, sizeof(uint32_t));
				c->cn = dm_fmt_grow(c->cn, c->ncells, (size_t) cellcap * 2, sizeof(int64_t));
				cellcap *= 2;
			}
			TRY(cp_lit(ps, "["));
			TRY(cp_int64(ps, &t));
			TRY(cp_lit(ps, ","));
			TRY(cp_int64(ps, &p));
			TRY(cp_lit(ps, ","));
			TRY(cp_int64(ps, &c->cn[c->ncells]));
			TRY(cp_lit(ps, "]"));
			if (t < 0 || p < 0 || t >= (int64_t) c->nlabels || p >= (int64_t) c->nlabels)
				return dm_fmt_error(ps->cur.errbuf, ps->cur.errlen, DM_FMT_INVALID,
									"A cell refers to a label that does not exist.");
			c->ct[c->ncells] = (uint32_t) t;
			c->cp[c->ncells] = (uint32_t) p;
			c->ncells++;
		} while (cp_peek(ps, ','));
		TRY(cp_lit(ps, "]"));
	}
	TRY(cp_lit(ps, "}"));
	dm_json_ws(&ps->cur);
	if (dm_json_at(&ps->cur, 0) != '\0')
		return dm_json_expected(&ps->cur, "the end of the input");
#undef TRY
	return DM_FMT_OK;
}

/*
 * dm_conf_parse_text
 *		The JSON text form written by dm_conf_format_text, \u escapes written
 *		as UTF-8.  Labels and cells are not validated beyond their indexes:
 *		encode and decode to do so.
 */
int
dm_conf_parse_text(const char *s, size_t len, dm_conf *c, char *errbuf, size_t errlen)
{
	return dm_conf_parse_text_enc(s, len, c, errbuf, errlen, NULL, NULL);
}

/*
 * dm_conf_parse_text_enc
 *		dm_conf_parse_text with a converter for non-ASCII \u escapes: a
 *		database in another encoding than UTF-8 must store the character in
 *		its own encoding, as every other label of the summary is.
 */
int
dm_conf_parse_text_enc(const char *s, size_t len, dm_conf *c, char *errbuf, size_t errlen,
					   dm_conf_unicode_fn fn, void *arg)
{
	ConfParser	ps;
	size_t	   *off = NULL;
	int			rc;
	uint32_t	i;

	memset(c, 0, sizeof(*c));
	memset(&ps, 0, sizeof(ps));
	ps.unicode_fn = fn;
	ps.unicode_arg = arg;
	ps.cur.s = s;
	ps.cur.len = len;
	ps.cur.errbuf = errbuf;
	ps.cur.errlen = errlen;
	rc = conf_parse_body(&ps, c, &off);
	c->owned = ps.lab;
	if (rc == DM_FMT_OK)
	{
		c->tdata = dm_alloc((size_t) (c->nlabels ? c->nlabels : 1) * sizeof(char *));
		for (i = 0; i < c->nlabels; i++)
			c->tdata[i] = ps.lab ? ps.lab + off[i] : "";
	}
	if (off)
		dm_free(off);
	return rc;
}

/* the summary whose labels sort_label_cmp orders (qsort has no argument) */
static const dm_conf *sort_labels_of;

/* sort_label_cmp: qsort comparator of label indexes of sort_labels_of. */
static int
sort_label_cmp(const void *x, const void *y)
{
	const dm_conf *c = sort_labels_of;
	uint32_t	a = *(const uint32_t *) x,
				b = *(const uint32_t *) y;
	int			r = dm_conf_label_cmp(c->kind, c->ival[a], c->tdata[a], c->tlen[a],
									  c->ival[b], c->tdata[b], c->tlen[b]);

	return r != 0 ? r : (a > b) - (a < b);
}

/* sort_cell_cmp: qsort comparator of (true, predicted, count) triples. */
static int
sort_cell_cmp(const void *x, const void *y)
{
	const uint64_t *a = (const uint64_t *) x,
			   *b = (const uint64_t *) y;

	return (a[0] > b[0]) - (a[0] < b[0]);
}

/*
 * dm_conf_sort_labels
 *		Labels in ascending order, cells remapped and re-sorted.  A summary's
 *		text crosses encodings as characters: a label order that is
 *		ascending in WIN1252 bytes ("\u20ac" 0x80 < "\u00e9" 0xe9) is not in
 *		UTF-8 bytes (c3 a9 < e2 82 ac), and such a dump must still load.
 */
int
dm_conf_sort_labels(dm_conf *c, char *errbuf, size_t errlen)
{
	uint32_t   *order,
			   *rank;
	uint64_t   *cells;
	int64_t    *ival;
	const char **tdata;
	uint32_t   *tlen;
	uint32_t	i,
				k = c->nlabels;
	int			sorted = 1;

	for (i = 1; i < c->ncells; i++)
		if (c->ct[i] < c->ct[i - 1] || (c->ct[i] == c->ct[i - 1] && c->cp[i] <= c->cp[i - 1]))
			return CONF_BAD("The cells are not sorted or contain a duplicate.");
	for (i = 1; i < k && sorted; i++)
		if (dm_conf_label_cmp(c->kind, c->ival[i - 1], c->tdata[i - 1], c->tlen[i - 1],
							  c->ival[i], c->tdata[i], c->tlen[i]) > 0)
			sorted = 0;
	if (sorted)
		return DM_FMT_OK;

	order = dm_alloc((size_t) k * sizeof(uint32_t));
	rank = dm_alloc((size_t) k * sizeof(uint32_t));
	for (i = 0; i < k; i++)
		order[i] = i;
	sort_labels_of = c;
	qsort(order, k, sizeof(uint32_t), sort_label_cmp);
	sort_labels_of = NULL;
	ival = dm_alloc((size_t) k * sizeof(int64_t));
	tdata = dm_alloc((size_t) k * sizeof(char *));
	tlen = dm_alloc((size_t) k * sizeof(uint32_t));
	for (i = 0; i < k; i++)
	{
		rank[order[i]] = i;
		ival[i] = c->ival[order[i]];
		tdata[i] = c->tdata[order[i]];
		tlen[i] = c->tlen[order[i]];
	}
	dm_free(c->ival);
	dm_free((void *) c->tdata);
	dm_free(c->tlen);
	c->ival = ival;
	c->tdata = tdata;
	c->tlen = tlen;

	/* cells as (rank true << 32 | rank predicted, count) pairs, re-sorted */
	cells = dm_alloc((size_t) (c->ncells ? c->ncells : 1) * 2 * sizeof(uint64_t));
	for (i = 0; i < c->ncells; i++)
	{
		cells[2 * i] = ((uint64_t) rank[c->ct[i]] << 32) | rank[c->cp[i]];
		cells[2 * i + 1] = (uint64_t) c->cn[i];
	}
	qsort(cells, c->ncells, 2 * sizeof(uint64_t), sort_cell_cmp);
	for (i = 0; i < c->ncells; i++)
	{
		c->ct[i] = (uint32_t) (cells[2 * i] >> 32);
		c->cp[i] = (uint32_t) cells[2 * i];
		c->cn[i] = (int64_t) cells[2 * i + 1];
	}
	dm_free(cells);
	dm_free(order);
	dm_free(rank);
	return DM_FMT_OK;
}

/*
 * dm_conf_format_text
 *		{"version":1,"kind":"text","skipped":0,"labels":["a","b"],
 *		 "cells":[[0,0,5],[0,1,2]]}: labels as JSON strings, numbers or
 *		booleans by kind; cells are [true index, predicted index, count].
 */
char *
dm_conf_format_text(const dm_conf *c)
{
	size_t		cap = 128 + (size_t) c->ncells * 48;
	char	   *buf,
			   *o;
	uint32_t	i;
	static const char *const kinds[] = {"?", "text", "bigint", "boolean"};

	for (i = 0; i < c->nlabels; i++)
		cap += c->kind == DM_CONF_KIND_TEXT ? 1 + dm_fmt_json_len(c->tdata[i], c->tlen[i]) : 24;
	buf = o = dm_alloc(cap);
	o += sprintf(o, "{\"version\":%d,\"kind\":\"%s\",\"skipped\":%" PRId64 ",\"labels\":[",
				 DM_CONF_VERSION, kinds[c->kind >= 1 && c->kind <= 3 ? c->kind : 0],
				 c->n_skipped);
	for (i = 0; i < c->nlabels; i++)
	{
		if (i > 0)
			*o++ = ',';
		if (c->kind == DM_CONF_KIND_TEXT)
			o = dm_fmt_json_string(o, c->tdata[i], c->tlen[i]);
		else if (c->kind == DM_CONF_KIND_INT8)
			o += sprintf(o, "%" PRId64, c->ival[i]);
		else
			o += sprintf(o, "%s", c->ival[i] ? "true" : "false");
	}
	o += sprintf(o, "],\"cells\":[");
	for (i = 0; i < c->ncells; i++)
		o += sprintf(o, "%s[%u,%u,%" PRId64 "]", i > 0 ? "," : "",
					 c->ct[i], c->cp[i], c->cn[i]);
	sprintf(o, "]}");
	return buf;
}
