/* The ELF32 i386 static-executable validator of include/lib/elf.h. */
#include "lib/elf.h"

#include <stdbool.h>

#include "lib/string.h"
#include "uapi/linux_flags.h"

/* ELF32 as the System V ABI lays it out, little-endian.  Fields are read
 * from the file with memcpy: the file need not be aligned. */
#define EHDR_SIZE      52u
#define PHDR_SIZE      32u
#define EI_NIDENT      16u
#define ELFCLASS32     1u
#define ELFDATA2LSB    1u
#define EV_CURRENT     1u
#define ET_EXEC	       2u
#define EM_386	       3u
#define PT_LOAD	       1u
#define PT_INTERP      3u
#define PT_TLS	       7u
#define PF_X	       1u
#define PF_W	       2u
#define PF_R	       4u
#define PHDR_TABLE_MAX 65536u /* Linux refuses larger program-header tables */

struct ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

_Static_assert(sizeof(struct ehdr) == EHDR_SIZE, "Elf32_Ehdr");
_Static_assert(sizeof(struct phdr) == PHDR_SIZE, "Elf32_Phdr");

static int refuse(const char **reason, const char *why)
{
	if (reason)
		*reason = why;
	return ELF_ERR_NOEXEC;
}

static bool overlaps(const struct elf_segment *a, const struct elf_segment *b)
{
	/* Both are non-empty and end at or below user_hi, so no end wraps. */
	return a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz;
}

static int check_header(const struct ehdr *eh, size_t len, const char **reason)
{
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
	if (memcmp(eh->ident, magic, sizeof(magic)) != 0)
		return refuse(reason, "not an ELF file (bad magic)");
	if (eh->ident[4] != ELFCLASS32)
		return refuse(reason, "not ELFCLASS32");
	if (eh->ident[5] != ELFDATA2LSB)
		return refuse(reason, "not little-endian");
	if (eh->ident[6] != EV_CURRENT || eh->version != EV_CURRENT)
		return refuse(reason, "unknown ELF version");
	if (eh->machine != EM_386)
		return refuse(reason, "not an i386 (EM_386) program");
	if (eh->type != ET_EXEC)
		return refuse(reason, "not ET_EXEC (shared objects and PIE are not supported)");
	if (eh->phentsize != PHDR_SIZE)
		return refuse(reason, "program-header size is not 32");
	if (eh->phnum == 0)
		return refuse(reason, "no program headers");
	uint32_t table = (uint32_t)eh->phnum * PHDR_SIZE;
	if (table > PHDR_TABLE_MAX)
		return refuse(reason, "program-header table larger than 64 KiB");
	if (eh->phoff > len || table > len - eh->phoff)
		return refuse(reason, "program headers run past the end of the file");
	return ELF_OK;
}

/* A PT_LOAD header into seg, checked on its own. */
static int check_load(const struct phdr *ph, size_t len, uint32_t user_lo, uint32_t user_hi,
		      struct elf_segment *seg, const char **reason)
{
	if (ph->filesz > ph->memsz)
		return refuse(reason, "PT_LOAD with p_filesz above p_memsz");
	if (ph->offset > len || ph->filesz > len - ph->offset)
		return refuse(reason, "PT_LOAD file bytes run past the end of the file");
	if ((ph->offset - ph->vaddr) % ELF_PAGE_SIZE != 0)
		return refuse(reason, "PT_LOAD p_offset and p_vaddr differ modulo 4096");
	if (ph->vaddr < user_lo || ph->vaddr > user_hi || ph->memsz - 1 > user_hi - ph->vaddr)
		return refuse(reason, "PT_LOAD outside user space (or wraps around)");
	seg->vaddr = ph->vaddr;
	seg->memsz = ph->memsz;
	seg->filesz = ph->filesz;
	seg->offset = ph->offset;
	seg->prot = (ph->flags & PF_R ? LINUX_PROT_READ : 0) |
		    (ph->flags & PF_W ? LINUX_PROT_WRITE : 0) |
		    (ph->flags & PF_X ? LINUX_PROT_EXEC : 0);
	return ELF_OK;
}

/* Where the program headers are in memory: inside the file bytes of some
 * segment, as Linux computes AT_PHDR.  0 when no segment holds them. */
static uint32_t phdr_address(const struct elf_image *img, uint32_t phoff, uint32_t table)
{
	for (uint32_t i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->segments[i];
		if (s->offset <= phoff && phoff - s->offset <= s->filesz &&
		    table <= s->filesz - (phoff - s->offset))
			return s->vaddr + (phoff - s->offset);
	}
	return 0;
}

int elf_parse(const void *file, size_t len, uint32_t user_lo, uint32_t user_hi,
	      struct elf_image *out, const char **reason)
{
	if (reason)
		*reason = "";
	if (!file || !out || user_lo == 0 || user_lo > user_hi) {
		if (reason)
			*reason = "invalid argument";
		return ELF_ERR_INVALID;
	}
	if (len < EHDR_SIZE)
		return refuse(reason, "shorter than an ELF header");
	const uint8_t *bytes = file;
	struct ehdr eh;
	memcpy(&eh, bytes, sizeof(eh));
	int rc = check_header(&eh, len, reason);
	if (rc != ELF_OK)
		return rc;

	/* Filled in a local copy so a refusal leaves *out as it was. */
	struct elf_image img;
	memset(&img, 0, sizeof(img));
	for (uint32_t i = 0; i < eh.phnum; i++) {
		struct phdr ph;
		memcpy(&ph, bytes + eh.phoff + i * PHDR_SIZE, sizeof(ph));
		if (ph.type == PT_INTERP)
			return refuse(reason,
				      "PT_INTERP: dynamically linked programs are not supported");
		if (ph.type == PT_TLS) {
			if (img.has_tls)
				return refuse(reason, "more than one PT_TLS");
			if (ph.filesz > ph.memsz)
				return refuse(reason, "PT_TLS with p_filesz above p_memsz");
			img.has_tls = 1;
			img.tls_vaddr = ph.vaddr;
			img.tls_filesz = ph.filesz;
			img.tls_memsz = ph.memsz;
			img.tls_align = ph.align;
			continue;
		}
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (img.nsegments == ELF_MAX_SEGMENTS)
			return refuse(reason, "more PT_LOAD segments than Toyix loads (16)");
		struct elf_segment *seg = &img.segments[img.nsegments];
		rc = check_load(&ph, len, user_lo, user_hi, seg, reason);
		if (rc != ELF_OK)
			return rc;
		for (uint32_t j = 0; j < img.nsegments; j++)
			if (overlaps(seg, &img.segments[j]))
				return refuse(reason, "two PT_LOAD segments overlap");
		if (seg->vaddr + seg->memsz > img.end)
			img.end = seg->vaddr + seg->memsz;
		img.nsegments++;
	}
	if (img.nsegments == 0)
		return refuse(reason, "no PT_LOAD segment");

	bool entry_ok = false;
	for (uint32_t i = 0; i < img.nsegments; i++) {
		const struct elf_segment *s = &img.segments[i];
		if ((s->prot & LINUX_PROT_EXEC) && eh.entry >= s->vaddr &&
		    eh.entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	if (!entry_ok)
		return refuse(reason, "entry point outside every executable PT_LOAD");
	img.phdr_vaddr = phdr_address(&img, eh.phoff, (uint32_t)eh.phnum * PHDR_SIZE);
	if (img.phdr_vaddr == 0)
		return refuse(reason, "program headers are not inside a PT_LOAD (no AT_PHDR)");
	img.entry = eh.entry;
	img.phent = PHDR_SIZE;
	img.phnum = eh.phnum;
	*out = img;
	return ELF_OK;
}

const char *elf_status_name(int status)
{
	switch (status) {
	case ELF_OK: return "ok";
	case ELF_ERR_INVALID: return "invalid argument";
	case ELF_ERR_NOEXEC: return "not a loadable static i386 executable";
	default: return "unknown status";
	}
}
