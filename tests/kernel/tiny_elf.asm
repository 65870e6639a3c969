; The smallest static i386 executable exec_build accepts, for the execve
; test (tests/kernel/test_proc.c packs it into a cpio archive): one PT_LOAD
; segment, read and execute, holding the headers and the code.  It writes a
; line and exits with 40 + argc.

%define BASE 0x08048000

section .rodata
bits 32

global tiny_elf_start, tiny_elf_end
tiny_elf_start:
    db 0x7F, "ELF", 1, 1, 1, 0          ; ELFCLASS32, little-endian, version 1
    times 8 db 0
    dw 2                                ; ET_EXEC
    dw 3                                ; EM_386
    dd 1                                ; EV_CURRENT
    dd BASE + (tiny_code - tiny_elf_start)
    dd tiny_phdr - tiny_elf_start       ; e_phoff
    dd 0                                ; e_shoff
    dd 0                                ; e_flags
    dw 52                               ; e_ehsize
    dw 32                               ; e_phentsize
    dw 1                                ; e_phnum
    dw 0, 0, 0                          ; no section headers
tiny_phdr:
    dd 1                                ; PT_LOAD
    dd 0                                ; p_offset
    dd BASE                             ; p_vaddr
    dd BASE                             ; p_paddr
    dd tiny_elf_end - tiny_elf_start    ; p_filesz
    dd tiny_elf_end - tiny_elf_start    ; p_memsz
    dd 5                                ; PF_R | PF_X
    dd 0x1000                           ; p_align
tiny_code:
    call .here
.here:
    pop ecx
    add ecx, tiny_msg - .here
    mov ebx, 1
    mov edx, tiny_msg_len
    mov eax, 4                          ; write
    int 0x80
    mov ebx, [esp]                      ; argc
    add ebx, 40
    mov eax, 1                          ; exit
    int 0x80
tiny_msg: db "exec'd program running", 10
tiny_msg_len equ $ - tiny_msg
tiny_elf_end:
