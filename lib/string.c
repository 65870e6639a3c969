/* Freestanding memory and string routines.  memset/memcpy use `rep stos` and
 * `rep movs` in 32-bit units: page tables and frame records are cleared a
 * word at a time, never a byte at a time. */
#include "lib/string.h"

#include <stdint.h>

void *memset(void *dst, int value, size_t n)
{
	unsigned char *d = dst;
	if (((uintptr_t)d & 3u) == 0 && (n & 3u) == 0) {
		uint32_t word = (unsigned char)value * 0x01010101u;
		size_t words = n / 4;
		__asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(word) : "memory");
		return dst;
	}
	while (n--)
		*d++ = (unsigned char)value;
	return dst;
}

void memset32(void *dst, uint32_t value, size_t count)
{
	__asm__ volatile("rep stosl" : "+D"(dst), "+c"(count) : "a"(value) : "memory");
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t words = n / 4, bytes = n & 3u;
	__asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(bytes) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}
