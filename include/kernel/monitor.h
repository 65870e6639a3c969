/* The Toyix monitor: a command line on the PS/2 keyboard and on COM1 to look
 * at and change the address space (mappings, frames, heap, memory words)
 * and to run, list, look into and end processes.
 * Every command checks its arguments and the page tables before it touches
 * anything: bad input gets one `error: ` line and changes nothing. */
#ifndef KERNEL_MONITOR_H
#define KERNEL_MONITOR_H

#define MONITOR_PROMPT "toyix> "

/* Prints the one-line hint and the first prompt; from then on typed lines
 * are commands.  kernel_main calls it when no test= scenario was chosen. */
void monitor_start(void);

/* One typed character from an input source (enum input_source).  Before
 * monitor_start() characters are only echoed, as the bare kernel did. */
void monitor_input(char c, int source);
/* `count` characters from source were lost after the last one passed to
 * monitor_input (the input queue was full): the line they belonged to is
 * refused with an error instead of running with a hole in it. */
void monitor_input_lost(int source, unsigned count);

#endif
