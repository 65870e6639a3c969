; Tiny ring-3 programs for the process tests (tests/kernel/test_proc.c),
; assembled into the kernel's read-only data and copied into a fresh address
; space at LAYOUT_USER_START.  They are written position-independent (only
; relative jumps and calls; data found with call/pop), so the bytes work at
; any address.  Each program starts at its own label; the test passes values
; in EBX and ECX (its first registers) where a program needs one, and every
; check a program makes ends in exit(status) for the kernel to compare.

%define SYS_exit            1
%define SYS_read            3
%define SYS_write           4
%define SYS_getpid          20
%define SYS_wait4           114
%define SYS_fork            2
%define SYS_execve          11
%define SYS_clone           120
%define SYS_getppid         64
%define SYS_writev          146
%define SYS_sched_yield     158
%define SYS_nanosleep       162
%define SYS_getuid32        199
%define SYS_gettid          224
%define SYS_set_thread_area 243
%define SYS_clock_gettime   265
%define SYS_munmap          91
%define SYS_mmap2           192
%define SYS_sysinfo         116

%macro EXIT 1
    mov ebx, %1
    mov eax, SYS_exit
    int 0x80
%endmacro

section .rodata
bits 32

global uprog_start, uprog_end
uprog_start:

; exit(0) and exit(99): the ends every check jumps to.
exit_ok:
    EXIT 0
exit_bad:
    EXIT 99

; Writes one line, then exits with its privilege level (CS & 3): 3.
global uprog_hello
uprog_hello:
    call .here
.here:
    pop ecx
    add ecx, hello_msg - .here
    mov ebx, 1
    mov edx, hello_len
    mov eax, SYS_write
    int 0x80
    cmp eax, hello_len
    jne exit_bad
    mov ebx, cs
    and ebx, 3
    mov eax, SYS_exit
    int 0x80
hello_msg: db "hello from ring 3", 10
hello_len equ $ - hello_msg

; Two buffers in one writev; exits with the byte count (17).
global uprog_writev
uprog_writev:
    call .here
.here:
    pop esi
    push wv_b_len
    lea eax, [esi + wv_b - .here]
    push eax
    push wv_a_len
    lea eax, [esi + wv_a - .here]
    push eax
    mov ecx, esp
    mov ebx, 1
    mov edx, 2
    mov eax, SYS_writev
    int 0x80
    mov ebx, eax
    mov eax, SYS_exit
    int 0x80
wv_a: db "writev: one, "
wv_a_len equ $ - wv_a
wv_b: db "two", 10
wv_b_len equ $ - wv_b

; write() from a kernel address and from address 0: both -EFAULT; exits 14.
global uprog_efault
uprog_efault:
    mov ebx, 1
    mov ecx, 0xC0000000
    mov edx, 4
    mov eax, SYS_write
    int 0x80
    mov edi, eax
    mov ebx, 1
    xor ecx, ecx
    mov edx, 1
    mov eax, SYS_write
    int 0x80
    cmp eax, edi
    jne exit_bad
    neg edi
    EXIT edi

; getpid == gettid, uid 0, parent 0 (the kernel); exits with the pid.
global uprog_ids
uprog_ids:
    mov eax, SYS_getpid
    int 0x80
    mov esi, eax
    mov eax, SYS_gettid
    int 0x80
    cmp eax, esi
    jne exit_bad
    mov eax, SYS_getuid32
    int 0x80
    test eax, eax
    jnz exit_bad
    mov eax, SYS_getppid
    int 0x80
    test eax, eax
    jnz exit_bad
    EXIT esi

; System call number EBX twice: both -ENOSYS; exits 38.
global uprog_unknown
uprog_unknown:
    mov edi, ebx
    mov eax, edi
    int 0x80
    mov esi, eax
    mov eax, edi
    int 0x80
    cmp eax, esi
    jne exit_bad
    neg esi
    EXIT esi

; Ring-0 instructions: each must end the process with SIGSEGV.
global uprog_cli, uprog_hlt, uprog_in, uprog_out, uprog_lgdt, uprog_farcall
uprog_cli:
    cli
    jmp exit_ok
uprog_hlt:
    hlt
    jmp exit_ok
uprog_in:
    in al, 0x60
    jmp exit_ok
uprog_out:
    out 0x80, al
    jmp exit_ok
uprog_lgdt:
    lgdt [esp]
    jmp exit_ok
uprog_farcall:
    call 0x08:0x00100000
    jmp exit_ok

; Faults: SIGSEGV, SIGSEGV, SIGSEGV, SIGILL, SIGFPE.
global uprog_null, uprog_write_code, uprog_read_kernel, uprog_ud2, uprog_div0
uprog_null:
    mov eax, [0]
    jmp exit_ok
uprog_write_code:
    call .here
.here:
    pop eax
    mov byte [eax], 0
    jmp exit_ok
uprog_read_kernel:
    mov eax, [0x00100000]
    jmp exit_ok
uprog_ud2:
    ud2
uprog_div0:
    xor ecx, ecx
    xor edx, edx
    mov eax, 1
    div ecx
    jmp exit_ok

; Spins without ever making a system call.
global uprog_spin
uprog_spin:
    jmp uprog_spin

; Makes getpid calls forever.
global uprog_count
uprog_count:
    mov eax, SYS_getpid
    int 0x80
    jmp uprog_count

; TLS: a segment based at (a stack buffer - ECX), reached as %gs:ECX, holds
; the marker EBX across 20 yields to other processes.  Exits with the GDT
; entry set_thread_area chose (6).
global uprog_tls
uprog_tls:
    mov edi, ebx
    mov ebp, ecx
    sub esp, 64
    mov esi, esp
    mov dword [esi + 32], -1             ; entry_number: any free slot
    mov eax, esi
    sub eax, ebp
    mov [esi + 36], eax                  ; base_addr
    mov dword [esi + 40], 0xFFFFF        ; limit
    mov dword [esi + 44], 0x51           ; seg_32bit | limit_in_pages | useable
    lea ebx, [esi + 32]
    mov eax, SYS_set_thread_area
    int 0x80
    test eax, eax
    jnz exit_bad
    mov eax, [esi + 32]
    shl eax, 3
    or eax, 3
    mov gs, ax
    mov [gs:ebp], edi
    mov ecx, 20
.again:
    push ecx
    mov eax, SYS_sched_yield
    int 0x80
    pop ecx
    cmp [gs:ebp], edi
    jne exit_bad
    cmp [esi], edi
    jne exit_bad
    loop .again
    EXIT [esi + 32]

; Yields forever.
global uprog_yield
uprog_yield:
    mov eax, SYS_sched_yield
    int 0x80
    jmp uprog_yield

; x87: the marker EBX, loaded into st0, is still there after each of 20
; yields to other processes (each with a marker of its own); exits 0, or 99.
global uprog_fpu
uprog_fpu:
    push ebx
    fild dword [esp]
    mov ecx, 20
.again:
    push ecx
    mov eax, SYS_sched_yield
    int 0x80
    pop ecx
    fist dword [esp]                     ; st0 as an integer, kept on the stack
    cmp [esp], ebx
    jne exit_bad
    loop .again
    jmp exit_ok

; nanosleep with tv_nsec = 10^9 is -EINVAL; then 50 ms; exits 0.
global uprog_sleep
uprog_sleep:
    push 1000000000
    push 0
    mov ebx, esp
    xor ecx, ecx
    mov eax, SYS_nanosleep
    int 0x80
    cmp eax, -22
    jne exit_bad
    mov dword [esp + 4], 50000000
    mov ebx, esp
    xor ecx, ecx
    mov eax, SYS_nanosleep
    int 0x80
    test eax, eax
    jnz exit_bad
    jmp exit_ok

; clock_gettime(CLOCK_MONOTONIC) gives 0 and tv_nsec < 10^9; clock 99 is
; -EINVAL; exits 0.
global uprog_clock
uprog_clock:
    sub esp, 8
    mov ebx, 1
    mov ecx, esp
    mov eax, SYS_clock_gettime
    int 0x80
    test eax, eax
    jnz exit_bad
    cmp dword [esp + 4], 1000000000
    jae exit_bad
    mov ebx, 99
    mov ecx, esp
    mov eax, SYS_clock_gettime
    int 0x80
    cmp eax, -22
    jne exit_bad
    jmp exit_ok

; Prompts (unless EBX is nonzero), reads a line from fd 0, writes it back;
; exits with its length.
global uprog_read
uprog_read:
    call .here
.here:
    pop esi
    test ebx, ebx
    jnz .read
    lea ecx, [esi + rd_prompt - .here]
    mov edx, rd_prompt_len
    mov ebx, 1
    mov eax, SYS_write
    int 0x80
.read:
    sub esp, 128
    mov ecx, esp
    mov edx, 100
    xor ebx, ebx
    mov eax, SYS_read
    int 0x80
    mov edi, eax
    test eax, eax
    js exit_bad
    lea ecx, [esi + rd_got - .here]
    mov edx, rd_got_len
    mov ebx, 1
    mov eax, SYS_write
    int 0x80
    mov ecx, esp
    mov edx, edi
    mov ebx, 1
    mov eax, SYS_write
    int 0x80
    EXIT edi
rd_prompt: db "ring3 read: type a line", 10
rd_prompt_len equ $ - rd_prompt
rd_got: db "ring3 read got: "
rd_got_len equ $ - rd_got

; set_tls: set_thread_area(entry EAX, base 0, limit ECX, flags EDX); returns
; the entry number in EAX, or exits 99 when the call fails.
set_tls:
    sub esp, 16
    mov [esp], eax
    mov dword [esp + 4], 0
    mov [esp + 8], ecx
    mov [esp + 12], edx
    mov ebx, esp
    mov eax, SYS_set_thread_area
    int 0x80
    test eax, eax
    jnz exit_bad
    mov eax, [esp]
    add esp, 16
    ret

%define TLS_FLAT  0x51                  ; seg_32bit | limit_in_pages | useable
%define TLS_ABSENT 0x71                 ; the same, seg_not_present

; SS on a TLS segment, then that slot emptied: the return to ring 3 cannot
; load SS again, so the process dies of SIGSEGV (not the kernel).
global uprog_ss_bad
uprog_ss_bad:
    mov eax, -1
    mov ecx, 0xFFFFF
    mov edx, TLS_FLAT
    call set_tls
    mov edi, eax
    shl eax, 3
    or eax, 3
    mov ss, ax
    mov eax, edi
    xor ecx, ecx
    xor edx, edx
    call set_tls
    jmp exit_ok

; GS on a TLS segment, then that slot emptied: GS comes back null; exits 0.
global uprog_gs_bad
uprog_gs_bad:
    mov eax, -1
    mov ecx, 0xFFFFF
    mov edx, TLS_FLAT
    call set_tls
    mov edi, eax
    shl eax, 3
    or eax, 3
    mov gs, ax
    mov eax, edi
    xor ecx, ecx
    xor edx, edx
    call set_tls
    mov ax, gs
    test ax, ax
    jnz exit_bad
    jmp exit_ok

; Loading a TLS selector whose segment is not present: #NP, SIGBUS.
global uprog_absent_tls
uprog_absent_tls:
    mov eax, -1
    mov ecx, 0xFFFFF
    mov edx, TLS_ABSENT
    call set_tls
    shl eax, 3
    or eax, 3
    mov gs, ax
    jmp exit_ok

; int3, through its ring-3 gate as on Linux: SIGTRAP.
global uprog_int3
uprog_int3:
    int3
    jmp exit_ok

; wait4(-1) for its one child, then wait4 again (-ECHILD); exits with the
; child's exit code, or 0x80 | the signal that killed it.
global uprog_waiter
uprog_waiter:
    sub esp, 16
    mov ebx, -1
    mov ecx, esp
    xor edx, edx
    xor esi, esi
    mov eax, SYS_wait4
    int 0x80
    test eax, eax
    jle exit_bad
    mov ebx, -1
    lea ecx, [esp + 4]
    xor edx, edx
    xor esi, esi
    mov eax, SYS_wait4
    int 0x80
    cmp eax, -10
    jne exit_bad
    mov ebx, [esp]
    mov eax, ebx
    and eax, 0x7F
    jz .exited
    or eax, 0x80
    EXIT eax
.exited:
    shr ebx, 8
    and ebx, 0xFF
    mov eax, SYS_exit
    int 0x80

; fork (EBX = 0) or clone with glibc fork()'s flags (EBX = 1).  The child
; checks getppid and, after clone, that CLONE_CHILD_SETTID wrote its pid in
; its own copy of the stack; it overwrites the parent's marker in its copy
; and exits 7 (8 when a check failed).  The parent waits for it, checks
; the status, that its marker and tid word are untouched (copy on write),
; and exits 42.
global uprog_fork
uprog_fork:
    mov ebp, ebx
    mov eax, SYS_getpid
    int 0x80
    mov esi, eax                        ; the parent's pid
    sub esp, 16
    mov dword [esp], 0x600DF00D         ; marker
    mov dword [esp + 4], 0              ; tid word for CLONE_CHILD_SETTID
    test ebp, ebp
    jnz .clone
    mov eax, SYS_fork
    int 0x80
    jmp .forked
.clone:
    mov ebx, 0x01200011                 ; CHILD_SETTID | CHILD_CLEARTID | SIGCHLD
    xor ecx, ecx
    xor edx, edx
    lea edi, [esp + 4]
    push esi
    xor esi, esi
    mov eax, SYS_clone
    int 0x80
    pop esi
.forked:
    test eax, eax
    js exit_bad
    jz .child
    mov edi, eax                        ; the child's pid
    mov ebx, eax
    lea ecx, [esp + 8]
    xor edx, edx
    push esi
    xor esi, esi
    mov eax, SYS_wait4
    int 0x80
    pop esi
    cmp eax, edi
    jne exit_bad
    cmp dword [esp + 8], 7 << 8
    jne exit_bad
    cmp dword [esp], 0x600DF00D
    jne exit_bad
    cmp dword [esp + 4], 0
    jne exit_bad
    EXIT 42
.child:
    mov dword [esp], 0xDEADBEEF
    mov eax, SYS_getppid
    int 0x80
    cmp eax, esi
    jne .child_bad
    test ebp, ebp
    jz .child_ok
    mov eax, SYS_getpid
    int 0x80
    cmp [esp + 4], eax
    jne .child_bad
.child_ok:
    EXIT 7
.child_bad:
    EXIT 8

; execve of path number EBX (0: /ring3-exec, 1: /ring3-missing, 2:
; /ring3-notelf) with argv {path, "x"} and an empty environment; when
; execve fails, exits with the errno.
global uprog_exec
uprog_exec:
    call .here
.here:
    pop esi
    lea eax, [esi + ex_good - .here]
    cmp ebx, 1
    jne .not_missing
    lea eax, [esi + ex_missing - .here]
.not_missing:
    cmp ebx, 2
    jne .chosen
    lea eax, [esi + ex_notelf - .here]
.chosen:
    lea ecx, [esi + ex_arg - .here]
    push 0                              ; envp: {NULL}
    mov edx, esp
    push 0                              ; argv: {path, "x", NULL}
    push ecx
    push eax
    mov ecx, esp
    mov ebx, eax
    mov eax, SYS_execve
    int 0x80
    neg eax
    EXIT eax
ex_good: db "/ring3-exec", 0
ex_missing: db "/ring3-missing", 0
ex_notelf: db "/ring3-notelf", 0
ex_arg: db "x", 0

; mmap2 of four private anonymous pages, a write to each (four page faults,
; each taking a frame), munmap, exit 5; a failed mmap2 exits with its errno.
global uprog_mmap
uprog_mmap:
    push ebp
    mov eax, SYS_mmap2
    xor ebx, ebx
    mov ecx, 4 * 4096
    mov edx, 3                          ; PROT_READ | PROT_WRITE
    mov esi, 0x22                       ; MAP_PRIVATE | MAP_ANONYMOUS
    mov edi, -1
    xor ebp, ebp
    int 0x80
    pop ebp
    cmp eax, -4096
    ja .failed
    mov dword [eax], 1
    mov dword [eax + 4096], 2
    mov dword [eax + 8192], 3
    mov dword [eax + 12288], 4
    mov ebx, eax
    mov ecx, 4 * 4096
    mov eax, SYS_munmap
    int 0x80
    EXIT 5
.failed:
    neg eax
    EXIT eax

; sysinfo as its first call, then exits with byte EBX / 8 of freeram (EBX
; = 0, 8, 16 or 24: the shift), or 99 when sysinfo failed or mem_unit is
; not 4096.
global uprog_sysinfo
uprog_sysinfo:
    mov ecx, ebx
    sub esp, 64
    mov ebx, esp
    mov eax, SYS_sysinfo
    int 0x80
    test eax, eax
    jnz exit_bad
    cmp dword [esp + 52], 4096          ; mem_unit
    jne exit_bad
    mov eax, [esp + 20]                 ; freeram
    shr eax, cl
    and eax, 0xFF
    EXIT eax

uprog_end:
