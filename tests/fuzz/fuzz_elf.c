/* libFuzzer target: the static-executable validator (lib/elf.c) on raw
 * bytes.
 *
 * A refusal must leave the output untouched and give a reason.  An
 * acceptance must describe something a loader can follow blindly: every
 * segment inside user space and inside the file, p_filesz <= p_memsz,
 * offset and address congruent modulo 4096, no two segments sharing a
 * byte, the entry in an executable segment, the program headers inside a
 * segment's file bytes, and the header fields it reports equal to the
 * file's.  Any breach aborts, and libFuzzer keeps the input. */
// FUZZ_LINK: lib/elf.c
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/elf.h"
#include "uapi/linux_flags.h"

#define USER_LO 0x01000000u
#define USER_HI 0xBFFFFFFFu

__attribute__((noreturn, format(printf, 1, 2))) static void broken(const char *fmt, ...);

static void broken(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_elf: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static void check_image(const struct elf_image *img, const uint8_t *buf, size_t size)
{
	uint32_t entry, phoff;
	uint16_t phnum;
	memcpy(&entry, buf + 24, 4);
	memcpy(&phoff, buf + 28, 4);
	memcpy(&phnum, buf + 44, 2);
	if (img->entry != entry || img->phnum != phnum || img->phent != 32)
		broken("header fields differ from the file's");
	if (img->nsegments == 0 || img->nsegments > ELF_MAX_SEGMENTS)
		broken("%u segments", img->nsegments);
	int entry_ok = 0, phdr_ok = 0;
	uint64_t end = 0;
	for (uint32_t i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->segments[i];
		uint64_t lo = s->vaddr, hi = (uint64_t)s->vaddr + s->memsz; /* no wrap in 64 bits */
		if (s->memsz == 0 || s->filesz > s->memsz)
			broken("segment %u sizes %u/%u", i, s->filesz, s->memsz);
		if (lo < USER_LO || hi - 1 > USER_HI)
			broken("segment %u [0x%llx, 0x%llx) outside user space", i,
			       (unsigned long long)lo, (unsigned long long)hi);
		if ((uint64_t)s->offset + s->filesz > size)
			broken("segment %u file bytes past the end", i);
		if ((s->vaddr - s->offset) % 4096)
			broken("segment %u not congruent", i);
		if (s->prot & ~(uint32_t)(LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC))
			broken("segment %u prot 0x%x", i, s->prot);
		for (uint32_t j = 0; j < i; j++) {
			const struct elf_segment *t = &img->segments[j];
			if (lo < (uint64_t)t->vaddr + t->memsz && t->vaddr < hi)
				broken("segments %u and %u overlap", j, i);
		}
		if ((s->prot & LINUX_PROT_EXEC) && entry >= lo && entry < hi)
			entry_ok = 1;
		if (img->phdr_vaddr >= lo && (uint64_t)img->phdr_vaddr + 32u * phnum <= hi &&
		    phoff - s->offset == img->phdr_vaddr - s->vaddr &&
		    (uint64_t)phoff + 32u * phnum <= (uint64_t)s->offset + s->filesz)
			phdr_ok = 1;
		end = hi > end ? hi : end;
	}
	if (!entry_ok)
		broken("entry 0x%x outside every executable segment", entry);
	if (!phdr_ok)
		broken("AT_PHDR 0x%x is not where a segment loads the headers", img->phdr_vaddr);
	if (img->end != end)
		broken("end 0x%x, segments end at 0x%llx", img->end, (unsigned long long)end);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	static struct elf_image img, before;
	memset(&img, 0x5A, sizeof(img));
	before = img;
	const char *why = NULL;
	int rc = elf_parse(buf, size, USER_LO, USER_HI, &img, &why);
	if (rc == ELF_OK) {
		check_image(&img, buf, size);
	} else {
		if (rc != ELF_ERR_NOEXEC)
			broken("status %d for valid arguments", rc);
		if (!why || !why[0])
			broken("refused without a reason");
		if (memcmp(&img, &before, sizeof(img)) != 0)
			broken("refusal wrote the output");
	}
	free(buf);
	return 0;
}
