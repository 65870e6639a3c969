; Copies between kernel and user memory that may fault.  The page-fault
; handler resolves a fault whose EIP is arch_uaccess_copy (demand paging,
; copy on write) and returns into it; a fault it cannot resolve resumes at
; arch_uaccess_fixup, which returns the bytes left, so the caller turns a bad
; user pointer into -EFAULT instead of a kernel fault.

section .text
global arch_copy_user
global arch_uaccess_copy
global arch_uaccess_fixup

; uint32_t arch_copy_user(void *dst, const void *src, uint32_t n)
; regparm(3): dst in eax, src in edx, n in ecx.  Returns the bytes not copied.
arch_copy_user:
    push edi
    push esi
    mov edi, eax
    mov esi, edx
    cld
arch_uaccess_copy:
    rep movsb
    xor eax, eax
    pop esi
    pop edi
    ret
arch_uaccess_fixup:
    mov eax, ecx
    pop esi
    pop edi
    ret
