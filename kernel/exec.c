/* execve's memory side (kernel/exec.h). */
#include "kernel/exec.h"

#include <stdbool.h>
#include <stddef.h>

#include "kernel/random.h"
#include "kernel/vfs.h"
#include "lib/elf.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/heap.h"
#include "mm/mmap.h"
#include "mm/uaccess.h"
#include "mm/vmm.h"
#include "uapi/linux_errno.h"
#include "uapi/linux_flags.h"

#define INITIAL_STACK_PAGES 32u
#define AUXV_MAX_PAIRS	    24u
#define PLATFORM	    "i686"
#define STACK_ALIGN	    16u
#define EXEC_BITS	    0111u /* any of user, group, other may execute */

static const char *last_reason = "";

const char *exec_last_reason(void)
{
	return last_reason;
}

/* ---- arguments ---------------------------------------------------------- */

void exec_args_free(struct exec_args *a)
{
	if (a->buf)
		kfree(a->buf);
	*a = (struct exec_args){0};
}

static int args_reserve(struct exec_args *a)
{
	if (!a->buf && !(a->buf = kmalloc(EXEC_ARGS_MAX)))
		return -LINUX_ENOMEM;
	return 0;
}

static int add_string(struct exec_args *a, const char *s, uint32_t len)
{
	if (len + 1 > EXEC_ARGS_MAX - a->used)
		return -LINUX_E2BIG;
	memcpy(a->buf + a->used, s, len);
	a->buf[a->used + len] = '\0';
	a->used += len + 1;
	return 0;
}

static int add_user_list(struct exec_args *a, uint32_t user_list, uint32_t *count)
{
	for (uint32_t i = 0; user_list; i++) {
		uint32_t ptr;
		if (copy_from_user(&ptr, (const void *)(uintptr_t)(user_list + i * 4), 4))
			return -LINUX_EFAULT;
		if (!ptr)
			return 0;
		int len = strncpy_from_user(a->buf + a->used, (const char *)(uintptr_t)ptr,
					    EXEC_ARGS_MAX - a->used);
		if (len == -LINUX_ENAMETOOLONG)
			return -LINUX_E2BIG;
		if (len < 0)
			return len;
		a->used += (uint32_t)len + 1;
		(*count)++;
	}
	return 0;
}

int exec_args_from_user(struct exec_args *a, uint32_t user_argv, uint32_t user_envp)
{
	*a = (struct exec_args){0};
	int rc = args_reserve(a);
	if (!rc)
		rc = add_user_list(a, user_argv, &a->argc);
	/* An empty argv arrives as argc 1 with argv[0] "", as on Linux since
	 * 5.18: no program has to cope with argc 0.  (The environment comes
	 * after it in the buffer, so the string goes in before it.) */
	if (!rc && a->argc == 0) {
		rc = add_string(a, "", 0);
		a->argc = 1;
	}
	if (!rc)
		rc = add_user_list(a, user_envp, &a->envc);
	return rc;
}

int exec_args_from_kernel(struct exec_args *a, const char *const *argv, uint32_t argc,
			  const char *const *envp, uint32_t envc)
{
	*a = (struct exec_args){0};
	int rc = args_reserve(a);
	for (uint32_t i = 0; !rc && i < argc; i++)
		rc = add_string(a, argv[i], (uint32_t)strlen(argv[i]));
	for (uint32_t i = 0; !rc && i < envc; i++)
		rc = add_string(a, envp[i], (uint32_t)strlen(envp[i]));
	a->argc = argc;
	a->envc = envc;
	return rc;
}

/* ---- the image ------------------------------------------------------------ */

static uint32_t page_down(uint32_t x)
{
	return x & ~PAGE_OFFSET_MASK;
}

static uint32_t page_up(uint32_t x)
{
	return (x + PAGE_OFFSET_MASK) & ~PAGE_OFFSET_MASK;
}

/* A segment the region list refused: out of memory for the record is
 * ENOMEM, as on Linux; anything else is a file whose segments overlap. */
static int segment_error(int vmm_status)
{
	return vmm_status == VMM_ERR_NO_MEMORY ? -LINUX_ENOMEM : -LINUX_ENOEXEC;
}

/* One PT_LOAD segment: its file bytes as a private file region (the rest of
 * their last page reads as zero), the rest of memsz as anonymous memory. */
static int map_segment(struct aspace *as, struct inode *file, const struct elf_segment *s)
{
	uint32_t prot = s->prot & REGION_PROT_MASK;
	vaddr_t start = page_down(s->vaddr);
	vaddr_t file_top = s->filesz ? page_up(s->vaddr + s->filesz) : start;
	vaddr_t mem_top = page_up(s->vaddr + s->memsz);
	if (file_top > start) {
		struct region r = {
			.start = start,
			.end = file_top,
			.flags = prot | REGION_BSS_TAIL,
			.file = &file->backing,
			/* p_offset and p_vaddr agree within a page (lib/elf.c):
			 * start's page is p_offset's. */
			.pgoff = s->offset >> PAGE_SHIFT,
			.file_end = s->offset + s->filesz,
		};
		int vrc = region_insert(&as->regions, &r);
		if (vrc != VMM_OK)
			return segment_error(vrc);
	}
	if (mem_top > file_top) {
		struct region r = {.start = file_top, .end = mem_top, .flags = prot};
		int vrc = region_insert(&as->regions, &r);
		if (vrc != VMM_OK)
			return segment_error(vrc);
	}
	return 0;
}

/* Writes the initial stack into the active space (the new one). */
struct stack_writer {
	vaddr_t sp;
	int rc;
};

static vaddr_t push_bytes(struct stack_writer *w, const void *src, uint32_t n)
{
	w->sp -= n;
	if (!w->rc && copy_to_user((void *)(uintptr_t)w->sp, src, n))
		w->rc = -LINUX_EFAULT;
	return w->sp;
}

static int write_stack(const struct exec_args *a, const struct elf_image *img, const char *path,
		       vaddr_t *sp_out)
{
	struct stack_writer w = {LAYOUT_STACK_TOP, 0};
	/* Strings first, at the top; remember where each landed. */
	uint32_t nstr = a->argc + a->envc;
	vaddr_t *where = kmalloc((nstr + 1) * sizeof(*where));
	if (!where)
		return -LINUX_ENOMEM;
	vaddr_t execfn = push_bytes(&w, path, (uint32_t)strlen(path) + 1);
	const char *s = a->buf;
	for (uint32_t i = 0; i < nstr; i++) {
		uint32_t len = (uint32_t)strlen(s);
		where[i] = push_bytes(&w, s, len + 1);
		s += len + 1;
	}
	vaddr_t platform = push_bytes(&w, PLATFORM, sizeof(PLATFORM));
	uint8_t random[16];
	random_bytes(random, sizeof(random));
	vaddr_t at_random = push_bytes(&w, random, sizeof(random));

	uint32_t auxv[AUXV_MAX_PAIRS * 2];
	uint32_t n = 0;
#define AUX(type, value)                                                                           \
	do {                                                                                       \
		auxv[n++] = (type);                                                                \
		auxv[n++] = (value);                                                               \
	} while (0)
	AUX(LINUX_AT_PHDR, img->phdr_vaddr);
	AUX(LINUX_AT_PHENT, img->phent);
	AUX(LINUX_AT_PHNUM, img->phnum);
	AUX(LINUX_AT_PAGESZ, PAGE_SIZE);
	AUX(LINUX_AT_BASE, 0);
	AUX(LINUX_AT_FLAGS, 0);
	AUX(LINUX_AT_ENTRY, img->entry);
	AUX(LINUX_AT_UID, 0);
	AUX(LINUX_AT_EUID, 0);
	AUX(LINUX_AT_GID, 0);
	AUX(LINUX_AT_EGID, 0);
	AUX(LINUX_AT_SECURE, 0);
	AUX(LINUX_AT_CLKTCK, 100);
	AUX(LINUX_AT_HWCAP, 0);
	AUX(LINUX_AT_PLATFORM, platform);
	AUX(LINUX_AT_RANDOM, at_random);
	AUX(LINUX_AT_EXECFN, execfn);
	AUX(LINUX_AT_NULL, 0);
#undef AUX
	/* argc, argv, NULL, envp, NULL, auxv: sp ends 16-byte aligned. */
	uint32_t words = 1 + a->argc + 1 + a->envc + 1 + n;
	w.sp = (w.sp - words * 4) & ~(STACK_ALIGN - 1);
	vaddr_t sp = w.sp;
	uint32_t *vec = kmalloc(words * 4);
	if (!vec) {
		kfree(where);
		return -LINUX_ENOMEM;
	}
	uint32_t k = 0;
	vec[k++] = a->argc;
	for (uint32_t i = 0; i < a->argc; i++)
		vec[k++] = where[i];
	vec[k++] = 0;
	for (uint32_t i = 0; i < a->envc; i++)
		vec[k++] = where[a->argc + i];
	vec[k++] = 0;
	memcpy(&vec[k], auxv, n * 4);
	if (!w.rc && copy_to_user((void *)(uintptr_t)sp, vec, words * 4))
		w.rc = -LINUX_EFAULT;
	kfree(vec);
	kfree(where);
	*sp_out = sp;
	return w.rc;
}

/* The argument strings, as /proc/PID/cmdline shows them. */
static int keep_cmdline(struct aspace *as, const struct exec_args *a)
{
	uint32_t len = 0;
	for (uint32_t i = 0; i < a->argc; i++)
		len += (uint32_t)strlen(a->buf + len) + 1;
	if (len == 0)
		return 0;
	if (!(as->cmdline = kmalloc(len)))
		return -LINUX_ENOMEM;
	memcpy(as->cmdline, a->buf, len);
	as->cmdline_len = len;
	return 0;
}

int exec_build(struct inode *cwd, const char *path, const struct exec_args *a,
	       struct exec_image *out)
{
	last_reason = "";
	struct inode *file;
	int rc = vfs_lookup(cwd, path, &file);
	if (rc)
		return rc;
	/* Not a regular file, or no one may execute it: Linux refuses both,
	 * root included, before reading a byte. */
	if ((file->mode & LINUX_S_IFMT) != LINUX_S_IFREG || !(file->mode & EXEC_BITS))
		return -LINUX_EACCES;
	/* A RAM file's bytes are in pages (kernel/file_pages.h): the headers
	 * are read from a copy, the segments through the file as always. */
	const uint8_t *bytes = file->data;
	uint8_t *copy = NULL;
	if (!bytes && file->size) {
		if (!(copy = kmalloc(file->size)))
			return -LINUX_ENOMEM;
		file->backing.ops->read(&file->backing, 0, copy, file->size);
		bytes = copy;
	}
	struct elf_image img;
	int parsed = elf_parse(bytes, file->size, LAYOUT_USER_START, LAYOUT_USER_END - 1, &img,
			       &last_reason);
	kfree(copy);
	if (parsed != ELF_OK)
		return -LINUX_ENOEXEC;
	struct aspace *as = aspace_create();
	if (!as)
		return -LINUX_ENOMEM;
	rc = keep_cmdline(as, a);
	for (uint32_t i = 0; !rc && i < img.nsegments; i++)
		rc = map_segment(as, file, &img.segments[i]);
	if (rc == -LINUX_ENOEXEC)
		last_reason = "two segments share a page";
	struct region stack = {
		.start = LAYOUT_STACK_TOP - INITIAL_STACK_PAGES * PAGE_SIZE,
		.end = LAYOUT_STACK_TOP,
		.flags = REGION_READ | REGION_WRITE | REGION_GROWSDOWN,
	};
	if (!rc && region_insert(&as->regions, &stack) != VMM_OK)
		rc = -LINUX_ENOMEM;
	mm_brk_init(as, img.end);
	struct aspace *old = aspace_current();
	vaddr_t sp = 0;
	if (!rc) {
		aspace_activate(as);
		rc = write_stack(a, &img, path, &sp);
	}
	if (rc) {
		aspace_activate(old);
		aspace_destroy(as);
		return rc == -LINUX_EFAULT ? -LINUX_ENOMEM : rc;
	}
	*out = (struct exec_image){as, img.entry, sp};
	return 0;
}
