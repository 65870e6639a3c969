; Multiboot v1 entry point.  GRUB (or QEMU -kernel) jumps to _start in 32-bit
; protected mode with paging off, EAX = the Multiboot magic and EBX = the
; physical address of the Multiboot information structure.

MB_MAGIC      equ 0x1BADB002
MB_ALIGN      equ 1 << 0            ; load modules on page boundaries
MB_MEMINFO    equ 1 << 1            ; give us mem_* and the memory map
MB_FLAGS      equ MB_ALIGN | MB_MEMINFO
MB_CHECKSUM   equ -(MB_MAGIC + MB_FLAGS)

KERNEL_STACK_SIZE equ 16384
EFLAGS_ID     equ 1 << 21           ; writable only where CPUID exists
CPUID_TSC     equ 1 << 4            ; CPUID leaf 1, EDX: rdtsc exists

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
    mov esi, eax                     ; keep the magic and the info pointer
    mov edi, ebx                     ; across cpuid and rdtsc
    call read_boot_tsc
    mov ebx, edi
    xor ebp, ebp                     ; terminates the frame-pointer backtrace
    push ebx                         ; multiboot info (physical)
    push esi                         ; multiboot magic
    call kernel_main
.hang:
    cli
    hlt
    jmp .hang

; boot_tsc = the TSC, where there is one: rdtsc is #UD on a 486, so only when
; CPUID exists (EFLAGS.ID can be flipped) and reports a TSC.  boot_tsc stays 0
; otherwise.  Clobbers eax, ebx, ecx, edx.
read_boot_tsc:
    pushfd
    pop eax
    mov ecx, eax
    xor eax, EFLAGS_ID
    push eax
    popfd
    pushfd
    pop eax
    push ecx
    popfd
    xor eax, ecx
    test eax, EFLAGS_ID
    jz .done
    xor eax, eax
    cpuid
    test eax, eax
    jz .done
    mov eax, 1
    cpuid
    test edx, CPUID_TSC
    jz .done
    rdtsc
    mov [boot_tsc], eax
    mov [boot_tsc + 4], edx
.done:
    ret
