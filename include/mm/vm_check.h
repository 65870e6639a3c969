#ifndef MM_VM_CHECK_H
#define MM_VM_CHECK_H

#include <stdbool.h>

/* Walks every space's page directory and tables, the regions and the frame
 * records and checks that they agree: every present PDE's frame is a page
 * table, each table's entry count is right, no PTE maps a free frame, each
 * mapped frame's count equals the PTEs pointing at it across all spaces, each
 * user page of a process's space lies in a region that allows its PTE (and a
 * writable private page is its frame's only mapping), and the PMM's free
 * counts add up.  Prints the first disagreement and returns false. */
bool vm_check(void);

#endif
