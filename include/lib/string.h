/* The freestanding subset of <string.h> the kernel uses. */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int value, size_t n);
/* Fills count 32-bit words with value. */
void memset32(void *dst, uint32_t value, size_t count);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
