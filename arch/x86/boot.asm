; Multiboot v1 entry point.  GRUB (or QEMU -kernel) jumps to _start in 32-bit
; protected mode with paging off, EAX = the Multiboot magic and EBX = the
; physical address of the Multiboot information structure.

MB_MAGIC      equ 0x1BADB002
MB_ALIGN      equ 1 << 0            ; load modules on page boundaries
MB_MEMINFO    equ 1 << 1            ; give us mem_* and the memory map
MB_FLAGS      equ MB_ALIGN | MB_MEMINFO
MB_CHECKSUM   equ -(MB_MAGIC + MB_FLAGS)

KERNEL_STACK_SIZE equ 16384

section .multiboot
align 4
    dd MB_MAGIC
    dd MB_FLAGS
    dd MB_CHECKSUM

; The page below the stack stays unmapped once paging is on, so running off
; the end of the stack faults at once instead of corrupting .bss.
section .bss.stack nobits alloc write align=4096
global kernel_stack_guard, kernel_stack_bottom, kernel_stack_top
kernel_stack_guard:
    resb 4096
kernel_stack_bottom:
    resb KERNEL_STACK_SIZE
kernel_stack_top:

section .bss
align 8
global boot_tsc
boot_tsc:
    resd 2                           ; TSC at kernel entry, for the boot benchmark

section .text
global _start
extern kernel_main
_start:
    cli
    cld
    mov esp, kernel_stack_top
    mov esi, eax                     ; keep the magic across rdtsc
    rdtsc
    mov [boot_tsc], eax
    mov [boot_tsc + 4], edx
    xor ebp, ebp                     ; terminates the frame-pointer backtrace
    push ebx                         ; multiboot info (physical)
    push esi                         ; multiboot magic
    call kernel_main
.hang:
    cli
    hlt
    jmp .hang
