#ifndef MM_VM_CHECK_H
#define MM_VM_CHECK_H

#include <stdbool.h>

/* Walks the page directory, the page tables and the frame records and checks
 * that they agree: every present PDE's frame is a page table, each table's
 * entry count is right, each mapped frame's count equals the PTEs pointing at
 * it, and the PMM's free counts add up.  Prints the first disagreement. */
bool vm_check(void);

#endif
