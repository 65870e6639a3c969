#include "lib/cmdline.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool contains_equals(const char *w, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (w[i] == '=')
			return true;
	return false;
}

void cmdline_for_each(const char *cmdline, void (*fn)(const char *word, size_t len, void *ctx),
		      void *ctx)
{
	if (!cmdline)
		return;
	bool first = true;
	const char *p = cmdline;
	for (;;) {
		while (is_space(*p))
			p++;
		if (!*p)
			return;
		const char *word = p;
		while (*p && !is_space(*p))
			p++;
		size_t len = (size_t)(p - word);
		if (!(first && !contains_equals(word, len)))
			fn(word, len, ctx);
		first = false;
	}
}

struct lookup {
	const char *key;
	size_t key_len;
	char *buf;
	size_t size;
	bool found;
};

static void match_key(const char *word, size_t len, void *ctx)
{
	struct lookup *l = ctx;
	if (len <= l->key_len || word[l->key_len] != '=')
		return;
	for (size_t i = 0; i < l->key_len; i++)
		if (word[i] != l->key[i])
			return;
	size_t vlen = len - l->key_len - 1;
	if (vlen + 1 > l->size) {
		l->found = false; /* a later, fitting duplicate may still win */
		return;
	}
	for (size_t i = 0; i < vlen; i++)
		l->buf[i] = word[l->key_len + 1 + i];
	l->buf[vlen] = '\0';
	l->found = true;
}

bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
	struct lookup l = {key, 0, buf, size, false};
	while (key[l.key_len])
		l.key_len++;
	if (!size || !l.key_len)
		return false;
	cmdline_for_each(cmdline, match_key, &l);
	return l.found;
}
