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

static bool is_dashes(const char *w, size_t len)
{
	return len == 2 && w[0] == '-' && w[1] == '-';
}

static void strip_quotes(const char **word, size_t *len)
{
	if (*len && (*word)[0] == '"') {
		(*word)++;
		(*len)--;
		if (*len && (*word)[*len - 1] == '"')
			(*len)--;
	}
}

/* The words before "--" (kernel: true) or after it (kernel: false). */
static void for_each_word(const char *cmdline, bool kernel,
			  void (*fn)(const char *word, size_t len, void *ctx), void *ctx)
{
	if (!cmdline)
		return;
	bool first = true, after_dashes = false;
	const char *p = cmdline;
	for (;;) {
		while (is_space(*p))
			p++;
		if (!*p)
			return;
		/* As Linux's next_arg: double quotes hold spaces inside a
		 * word, and a word that starts with one loses it and the one
		 * that ends it. */
		const char *word = p;
		bool quoted = false;
		while (*p && (quoted || !is_space(*p))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		size_t len = (size_t)(p - word);
		strip_quotes(&word, &len);
		if (!after_dashes && is_dashes(word, len)) {
			after_dashes = true;
		} else if (after_dashes != kernel && !(first && !contains_equals(word, len))) {
			fn(word, len, ctx);
		}
		first = false;
	}
}

void cmdline_for_each(const char *cmdline, void (*fn)(const char *word, size_t len, void *ctx),
		      void *ctx)
{
	for_each_word(cmdline, true, fn, ctx);
}

void cmdline_for_each_init_arg(const char *cmdline,
			       void (*fn)(const char *word, size_t len, void *ctx), void *ctx)
{
	for_each_word(cmdline, false, fn, ctx);
}

struct lookup {
	const char *key;
	size_t key_len;
	const char *value; /* of the last `key=` word so far */
	size_t value_len;
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
	l->value = word + l->key_len + 1;
	l->value_len = len - l->key_len - 1;
	strip_quotes(&l->value, &l->value_len); /* key="a b" is a b */
	l->found = true;
}

bool cmdline_find(const char *cmdline, const char *key, const char **value, size_t *len)
{
	struct lookup l = {key, 0, NULL, 0, false};
	if (!key)
		return false;
	while (key[l.key_len])
		l.key_len++;
	if (!l.key_len)
		return false;
	cmdline_for_each(cmdline, match_key, &l);
	if (l.found) {
		*value = l.value;
		*len = l.value_len;
	}
	return l.found;
}

bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
	const char *value;
	size_t len;
	if (!size || !cmdline_find(cmdline, key, &value, &len) || len + 1 > size)
		return false;
	for (size_t i = 0; i < len; i++)
		buf[i] = value[i];
	buf[len] = '\0';
	return true;
}

struct word_search {
	const char *word;
	bool found;
};

static void match_word(const char *word, size_t len, void *ctx)
{
	struct word_search *w = ctx;
	size_t i = 0;
	while (i < len && w->word[i] == word[i])
		i++;
	if (i == len && !w->word[i])
		w->found = true;
}

bool cmdline_has_word(const char *cmdline, const char *word)
{
	struct word_search w = {word, false};
	if (word && *word)
		cmdline_for_each(cmdline, match_word, &w);
	return w.found;
}
