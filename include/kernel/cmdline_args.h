/* Values of the kernel command line for the scenarios (seed=, ops=,
 * bench_iters=, ...).  A value that is there but wrong is never replaced by
 * a default: it is reported in one line, `Command line: key=value: why`, and
 * the scenario ends with the fail code, so a typo cannot pass for a run with
 * the settings the user meant. */
#ifndef KERNEL_CMDLINE_ARGS_H
#define KERNEL_CMDLINE_ARGS_H

#include <stddef.h>
#include <stdint.h>

/* The number given as key=N, decimal or 0x hex, in [min, max]; fallback
 * when the key is absent. */
uint32_t cmdline_arg_u32(const char *key, uint32_t fallback, uint32_t min, uint32_t max);

/* Copies the value of key= into buf; an empty string when absent.  A value
 * longer than size - 1 characters is reported and fails the same way. */
void cmdline_arg_string(const char *key, char *buf, size_t size);

#endif
