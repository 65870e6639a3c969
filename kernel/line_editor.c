#include "kernel/line_editor.h"

#include "lib/string.h"

#define FIRST_PRINTABLE ' '
#define LAST_PRINTABLE	'~'
#define CSI_INTRODUCER	'['  /* ESC [ A: normal cursor-key mode */
#define SS3_INTRODUCER	'O'  /* ESC O A: application cursor-key mode */
#define CSI_FINAL_FIRST 0x40 /* bytes below this are parameters */
#define CSI_FINAL_LAST	0x7E
#define CSI_PARAM_FIRST 0x20
#define ARROW_UP	'A'
#define ARROW_DOWN	'B'

static const char ERASE_ONE[] = "\b \b";
static const char CANCEL_ECHO[] = "^C\n";

static void echo(struct line_editor *ed, const char *s, size_t len)
{
	if (ed->echo && len)
		ed->echo(s, len, ed->echo_ctx);
}

void line_editor_init(struct line_editor *ed, line_echo_fn echo_fn, void *ctx)
{
	memset(ed, 0, sizeof(*ed));
	ed->echo = echo_fn;
	ed->echo_ctx = ctx;
}

static void start_line(struct line_editor *ed)
{
	ed->len = 0;
	ed->dropped = 0;
	ed->lost = 0;
	ed->buf[0] = '\0';
	ed->browsing = 0;
}

/* Takes the visible line off the screen, one backspace per character: VGA
 * and every serial terminal understand that, no terminal escape needed. */
static void erase_shown(struct line_editor *ed)
{
	for (size_t i = 0; i < ed->len; i++)
		echo(ed, ERASE_ONE, sizeof(ERASE_ONE) - 1);
}

/* Replaces the line being edited (screen and buffer) with text. */
static void show(struct line_editor *ed, const char *text)
{
	erase_shown(ed);
	size_t n = strlen(text);
	memcpy(ed->buf, text, n + 1);
	ed->len = n;
	ed->dropped = 0;
	echo(ed, ed->buf, n);
}

static void insert(struct line_editor *ed, char c)
{
	/* Past the limit keys are still taken but only counted: enter then
	 * refuses the line, and backspace first takes back the unseen ones. */
	if (ed->len == LINE_MAX_LEN) {
		ed->dropped++;
		return;
	}
	ed->buf[ed->len++] = c;
	ed->buf[ed->len] = '\0';
	echo(ed, &c, 1);
}

static void backspace(struct line_editor *ed)
{
	if (ed->dropped) {
		ed->dropped--;
	} else if (ed->len) {
		ed->buf[--ed->len] = '\0';
		echo(ed, ERASE_ONE, sizeof(ERASE_ONE) - 1);
	}
}

/* ---- history: a ring of the last LINE_HISTORY distinct lines -------------- */

static const char *history_entry(const struct line_editor *ed, unsigned back)
{
	unsigned slot = (ed->history_next + LINE_HISTORY - back) % LINE_HISTORY;
	return ed->history[slot];
}

static void history_add(struct line_editor *ed, const char *line, size_t len)
{
	if (!len)
		return;
	/* Entering the same line again (a recalled one, typically) keeps one copy. */
	if (ed->history_count && strcmp(history_entry(ed, 1), line) == 0)
		return;
	memcpy(ed->history[ed->history_next], line, len + 1);
	ed->history_next = (ed->history_next + 1) % LINE_HISTORY;
	if (ed->history_count < LINE_HISTORY)
		ed->history_count++;
}

static void history_older(struct line_editor *ed)
{
	if (ed->browsing == ed->history_count)
		return;
	if (ed->browsing == 0)
		memcpy(ed->draft, ed->buf, ed->len + 1);
	ed->browsing++;
	show(ed, history_entry(ed, ed->browsing));
}

static void history_newer(struct line_editor *ed)
{
	if (ed->browsing == 0)
		return;
	ed->browsing--;
	show(ed, ed->browsing ? history_entry(ed, ed->browsing) : ed->draft);
}

/* ---- escape sequences ----------------------------------------------------- */

/* Consumes c when it belongs to an escape sequence.  A sequence other than
 * up/down (other arrows, function keys) is read to its end and ignored; a
 * lone ESC followed by an ordinary key gives that key back. */
static bool escape_consumes(struct line_editor *ed, char c)
{
	switch (ed->escape) {
	case ESC_NONE:
		if (c != KEY_ESCAPE)
			return false;
		ed->escape = ESC_SEEN;
		return true;
	case ESC_SEEN:
		if (c == CSI_INTRODUCER || c == SS3_INTRODUCER) {
			ed->escape = ESC_SEQUENCE;
			return true;
		}
		ed->escape = ESC_NONE;
		return c == KEY_ESCAPE ? escape_consumes(ed, c) : false;
	case ESC_SEQUENCE:
		if (c >= CSI_PARAM_FIRST && c < CSI_FINAL_FIRST)
			return true;
		ed->escape = ESC_NONE;
		if (c < CSI_FINAL_FIRST || c > CSI_FINAL_LAST)
			return false; /* a broken sequence: take c as typed */
		if (c == ARROW_UP)
			history_older(ed);
		else if (c == ARROW_DOWN)
			history_newer(ed);
		return true;
	}
	return false;
}

/* ---- the keys ------------------------------------------------------------- */

static enum line_result finish(struct line_editor *ed)
{
	echo(ed, "\n", 1);
	ed->typed = ed->len + ed->dropped;
	ed->lost_in_line = ed->lost;
	enum line_result result = ed->lost ? LINE_LOST : ed->dropped ? LINE_TOO_LONG : LINE_READY;
	if (result == LINE_READY) {
		memcpy(ed->line, ed->buf, ed->len + 1);
		history_add(ed, ed->line, ed->len);
	} else {
		ed->line[0] = '\0';
	}
	start_line(ed);
	return result;
}

enum line_result line_editor_feed(struct line_editor *ed, char c)
{
	bool after_cr = ed->after_cr;
	ed->after_cr = c == '\r';
	if (escape_consumes(ed, c))
		return LINE_PENDING;

	switch (c) {
	case '\n':
		if (after_cr)
			return LINE_PENDING;
		return finish(ed);
	case '\r': return finish(ed);
	case KEY_BACKSPACE:
	case KEY_DELETE: backspace(ed); return LINE_PENDING;
	case KEY_CTRL_C:
		echo(ed, CANCEL_ECHO, sizeof(CANCEL_ECHO) - 1);
		start_line(ed);
		return LINE_CANCELLED;
	default:
		if (c >= FIRST_PRINTABLE && c <= LAST_PRINTABLE)
			insert(ed, c);
		return LINE_PENDING; /* other control characters: ignored */
	}
}

const char *line_editor_line(const struct line_editor *ed)
{
	return ed->line;
}

size_t line_editor_typed(const struct line_editor *ed)
{
	return ed->typed;
}

void line_editor_input_lost(struct line_editor *ed, size_t count)
{
	ed->lost += count;
}

size_t line_editor_lost(const struct line_editor *ed)
{
	return ed->lost_in_line;
}
