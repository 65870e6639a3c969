/* Line editing for the monitor: printable characters, backspace, enter,
 * Ctrl-C, and a short history on the arrow keys' escape sequences.  It knows
 * nothing of consoles or hardware: what it would print goes to an echo
 * callback, so the host tests drive it key by key and read the screen. */
#ifndef KERNEL_LINE_EDITOR_H
#define KERNEL_LINE_EDITOR_H

#include <stdbool.h>
#include <stddef.h>

/* 72 characters after the 7-character prompt "toyix> " fill one 80-column
 * VGA row without wrapping, and VGA's backspace cannot go up a row. */
#define LINE_MAX_LEN 72
#define LINE_HISTORY 8

#define KEY_CTRL_C    0x03
#define KEY_BACKSPACE 0x08
#define KEY_DELETE    0x7F /* what most terminals send for backspace */
#define KEY_ESCAPE    0x1B

enum line_result {
	LINE_PENDING,	/* the line goes on */
	LINE_READY,	/* enter: line_editor_line() holds the line */
	LINE_TOO_LONG,	/* enter on a line with characters past LINE_MAX_LEN */
	LINE_CANCELLED, /* Ctrl-C: the line was dropped */
	LINE_LOST,	/* enter on a line some of whose input never arrived */
};

typedef void (*line_echo_fn)(const char *s, size_t len, void *ctx);

enum line_escape { ESC_NONE, ESC_SEEN, ESC_SEQUENCE };

struct line_editor {
	char buf[LINE_MAX_LEN + 1];
	size_t len;
	size_t dropped;		     /* typed past the limit: not kept, not shown, but counted */
	char line[LINE_MAX_LEN + 1]; /* the last finished line */
	size_t typed;		     /* characters typed in the last finished line */
	size_t lost;		     /* input lost (queue full) while this line was typed */
	size_t lost_in_line;	     /* the same for the last finished line */
	enum line_escape escape;
	bool after_cr; /* so that "\r\n" is one enter, not two */

	char history[LINE_HISTORY][LINE_MAX_LEN + 1];
	unsigned history_count;	      /* at most LINE_HISTORY */
	unsigned history_next;	      /* the slot the next entry goes to */
	unsigned browsing;	      /* 0: editing; n: showing the n-th newest entry */
	char draft[LINE_MAX_LEN + 1]; /* the unfinished line, while browsing */

	line_echo_fn echo;
	void *echo_ctx;
};

void line_editor_init(struct line_editor *ed, line_echo_fn echo, void *ctx);
/* Takes one typed character and says whether a line is complete. */
enum line_result line_editor_feed(struct line_editor *ed, char c);
/* The line finished by the last LINE_READY, NUL-terminated. */
const char *line_editor_line(const struct line_editor *ed);
/* How many characters the last finished line had, kept or dropped. */
size_t line_editor_typed(const struct line_editor *ed);
/* `count` characters typed now never arrived: the line (which they may have
 * ended, merging it with the next) is refused at its enter (LINE_LOST). */
void line_editor_input_lost(struct line_editor *ed, size_t count);
/* How many characters the last LINE_LOST line lost. */
size_t line_editor_lost(const struct line_editor *ed);

#endif
