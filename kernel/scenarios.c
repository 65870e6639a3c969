/* The scenarios that check the boot itself and the two fault tests of SPEC section 2. */
#include "arch/cpu.h"
#include "drivers/console.h"
#include "kernel/boot.h"
#include "kernel/scenario.h"
#include "lib/crc32.h"
#include "mm/pmm.h"
#include "arch/layout.h"

static void boot_reached_idle(void)
{
	scenario_finish(true);
}
SCENARIO(boot, "boot", STAGE_IDLE, boot_reached_idle);

static void trigger_ud2(void)
{
	console_writeln("Triggering test exception with UD2...");
	__asm__ volatile("ud2");
	console_writeln("UD2 returned: the exception was not caught");
	scenario_finish(false);
}
SCENARIO(ud2, "ud2", STAGE_IRQ_CONFIGURED, trigger_ud2);

static void trigger_page_fault(void)
{
	console_writeln("Triggering test page fault at 0xC0000000...");
	volatile uint32_t *unmapped = (volatile uint32_t *)LAYOUT_PAGE_FAULT_TEST;
	uint32_t value = *unmapped;
	kprintf("Read 0x%08X from an unmapped page: no fault was raised\n", value);
	scenario_finish(false);
}
SCENARIO(pagefault, "pagefault", STAGE_MEMORY_READY, trigger_page_fault);

/* A module (GRUB module or QEMU -initrd) must reach the idle loop byte for
 * byte: the PMM reserved its frames, so nothing allocated on top of it.  The
 * runner compares the CRC printed here with the file's own. */
static void check_module(void)
{
	const struct boot_module *m = &boot_info.modules[0];
	if (boot_info.module_count == 0 || !m->data) {
		console_writeln("Module: none was loaded (or it could not be mapped)");
		scenario_finish(false);
	}
	enum frame_state state = pmm_frame_state(m->phys & ~PAGE_OFFSET_MASK);
	kprintf("Module: %u bytes at 0x%08X, crc32 0x%08X, frames %s\n", m->size, m->phys,
		crc32(m->data, m->size), pmm_state_name(state));
	scenario_finish(state == FRAME_RESERVED);
}
SCENARIO(module, "module", STAGE_IDLE, check_module);
