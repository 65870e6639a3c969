/* Validating an ELF32 i386 static executable before anything is mapped.
 *
 * The file is untrusted bytes from the root file system.  elf_parse()
 * checks everything a loader relies on, reading only inside
 * [file, file + len), and hands back a small description the loader can
 * follow without looking at the file's headers again.  Anything it refuses
 * is ELF_ERR_NOEXEC with a reason; execve turns that into -ENOEXEC, as
 * Linux does for a malformed or foreign executable (SPEC section 5).
 *
 * Accepted: ELFCLASS32, little-endian, EV_CURRENT, EM_386, ET_EXEC, program
 * headers of 32 bytes inside the file, no PT_INTERP (static programs only),
 * at most ELF_MAX_SEGMENTS PT_LOAD segments each with p_filesz <= p_memsz,
 * its file bytes inside the file, p_offset and p_vaddr equal modulo 4096,
 * wholly inside [user_lo, user_hi] without wrapping, and no two segments
 * sharing a byte; the entry point inside an executable segment; the program
 * headers themselves inside a segment's file bytes (glibc finds its TLS
 * through AT_PHDR).  Segments with p_memsz 0 are skipped, as Linux does.
 *
 * Two segments may share a page (not a byte) when a linker packs them: the
 * page then needs the union of their protections and the bytes of both. */
#ifndef LIB_ELF_H
#define LIB_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16u
#define ELF_PAGE_SIZE	 4096u /* the congruence unit of p_offset and p_vaddr */

enum elf_status {
	ELF_OK = 0,
	ELF_ERR_INVALID = -1, /* a NULL argument or an empty user range: a caller's bug */
	ELF_ERR_NOEXEC = -2,  /* the file is not a static i386 executable we can load */
};

struct elf_segment {
	uint32_t vaddr;	 /* first byte in memory (not rounded) */
	uint32_t memsz;	 /* bytes in memory; those past filesz are zero */
	uint32_t filesz; /* bytes copied from the file */
	uint32_t offset; /* where they are in the file */
	uint32_t prot;	 /* LINUX_PROT_READ | _WRITE | _EXEC */
};

struct elf_image {
	uint32_t entry;
	uint32_t phdr_vaddr; /* AT_PHDR: where the program headers are once loaded */
	uint32_t phent;	     /* AT_PHENT */
	uint32_t phnum;	     /* AT_PHNUM */
	uint32_t nsegments;
	struct elf_segment segments[ELF_MAX_SEGMENTS]; /* in program-header order */
	uint32_t end; /* one past the highest segment byte: where brk starts (round it up) */
	/* PT_TLS, noted for information: glibc sets its TLS up itself from it. */
	uint32_t has_tls;
	uint32_t tls_vaddr, tls_filesz, tls_memsz, tls_align;
};

/* Checks len bytes at file as above, with user space [user_lo, user_hi]
 * (inclusive; Toyix passes 0x01000000 and 0xBFFFFFFF from arch/layout.h).
 * ELF_OK fills *out; otherwise *out is untouched and *reason (when reason
 * is not NULL) says what is wrong. */
int elf_parse(const void *file, size_t len, uint32_t user_lo, uint32_t user_hi,
	      struct elf_image *out, const char **reason);

/* A constant name of a status, for messages. */
const char *elf_status_name(int status);

#endif
