; Entry stubs for the 32 CPU exceptions, the 16 PIC interrupts and the system
; call (int 0x80).  Each stub makes the stack look the same (a zero stands in
; when the CPU pushes no error code), then the common path saves every
; register, loads the kernel's data segments and calls trap_dispatch.  A trap
; from ring 3 has the CPU switch to the TSS's esp0 first and push the user's
; ESP and SS above EFLAGS; the way out pops the user's segment registers
; (%gs holds its TLS selector) and irets back.

extern trap_dispatch

%macro STUB_NO_ERROR 1
isr_stub_%1:
    push dword 0
    push dword %1
    jmp trap_common
%endmacro

%macro STUB_WITH_ERROR 1
isr_stub_%1:
    push dword %1
    jmp trap_common
%endmacro

section .text
trap_common:
    pusha
    push ds
    push es
    push fs
    push gs
    mov ax, 0x10                ; kernel data selector
    mov ds, ax
    mov es, ax
    mov fs, ax                  ; the kernel never runs on a user's TLS segment
    mov gs, ax
    cld                         ; C code expects the direction flag clear
    ; Make this frame look like a call from the faulting EIP so a backtrace
    ; walks from the handler through the interrupted code.
    push dword [esp + 56]       ; eip
    push ebp
    mov ebp, esp
    lea eax, [esp + 8]
    push eax                    ; struct trap_frame *
    call trap_dispatch
    add esp, 12
; A new process starts here too (kernel/proc.c builds its first frame).
global trap_return
trap_return:
    pop gs
    pop fs
    pop es
    pop ds
    popa
    add esp, 8                  ; vector and error code
    iret

; Exceptions 8, 10-14, 17, 21, 29 and 30 push an error code.
%assign v 0
%rep 32
  %if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
    STUB_WITH_ERROR v
  %else
    STUB_NO_ERROR v
  %endif
  %assign v v + 1
%endrep

%assign v 32
%rep 16
    STUB_NO_ERROR v
  %assign v v + 1
%endrep

global isr_stub_syscall
isr_stub_syscall:
    push dword 0
    push dword 0x80
    jmp trap_common

section .rodata
global isr_stub_table
isr_stub_table:
%assign v 0
%rep 48
    dd isr_stub_ %+ v
  %assign v v + 1
%endrep

; The double-fault task starts here on its own stack, with the CPU's error
; code on top of it.
section .text
extern double_fault_task_main
global double_fault_task_entry
double_fault_task_entry:
    xor ebp, ebp                  ; ends a backtrace taken on this stack
    call double_fault_task_main   ; the error code is already its argument
.hang:
    cli
    hlt
    jmp .hang
