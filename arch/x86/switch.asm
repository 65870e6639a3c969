; context_switch(save, next): the one place a kernel stack changes hands.
;
; asmlinkage void context_switch(uint32_t *save_esp, uint32_t next_esp);
;
; Pushes the registers the C calling convention asks a callee to keep (EBP,
; EBX, ESI, EDI), stores ESP in *save_esp, loads next_esp and pops the same
; four registers from the other stack; `ret` then returns into whatever
; called context_switch on that stack, or, for a process that never ran,
; into the address its stack was built with (trap_return, which enters ring
; 3).  Everything else a switch needs (CR3, the TSS's esp0, the TLS slots,
; the FPU) is done in C around the call.

section .text
global context_switch
context_switch:
    mov eax, [esp + 4]          ; save_esp
    mov edx, [esp + 8]          ; next_esp
    push ebp
    push ebx
    push esi
    push edi
    mov [eax], esp
    mov esp, edx
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret
