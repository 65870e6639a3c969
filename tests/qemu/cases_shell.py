"""QEMU cases for the console terminal: BusyBox's interactive shell typed
into over COM1 and over the PS/2 keyboard (QMP send-key).

The shell runs as /init under test=init, so its `exit 0` at the end is the
pass code (and the kernel checks that every process and frame came back).
Each command prints something its typed echo cannot contain (an arithmetic
result, `$?`), so an expected line never matches what was typed.  Ctrl-C
goes to a `sleep 10` started by `sh -c` after it printed its marker, so
the signal finds it in the foreground group; `$?` after it is 130 (128 +
SIGINT) only when the sleep was interrupted.
"""

PASS = 33
PROMPT = "/ # "

# US layout: the QEMU key (qcode) that types each character.
_SHIFTED = {'!': '1', '@': '2', '#': '3', '$': '4', '%': '5', '^': '6', '&': '7', '*': '8',
            '(': '9', ')': '0', '_': 'minus', '+': 'equal', '|': 'backslash', '"': 'apostrophe',
            ':': 'semicolon', '<': 'comma', '>': 'dot', '?': 'slash', '~': 'grave_accent'}
_PLAIN = {' ': 'spc', '-': 'minus', '=': 'equal', '\\': 'backslash', "'": 'apostrophe',
          ';': 'semicolon', ',': 'comma', '.': 'dot', '/': 'slash', '\n': 'ret'}


def keys(text):
    """The keys that type text (letters lower case only, or as shifted)."""
    out = []
    for c in text:
        if c.isdigit() or ('a' <= c <= 'z'):
            out.append(c)
        elif 'A' <= c <= 'Z':
            out.append("shift-" + c.lower())
        elif c in _SHIFTED:
            out.append("shift-" + _SHIFTED[c])
        else:
            out.append(_PLAIN[c])
    return out


CASES = [
    {
        "name": "shell-typed",
        "append": "test=init init=/init",
        "mem": "128M",
        "initrd": "build/initrd.cpio",
        "serial_input": [
            # Serial: commands, a pipe, $?, Backspace (DEL) editing.
            {"wait": PROMPT, "send": "echo serial-$((6*7))\r"},
            {"wait": "serial-42", "send": "echo piped | tr a-z A-Z\r"},
            {"wait": "PIPED", "send": "false; echo status-$?\r"},
            {"wait": "status-1", "send": "echo edX\x7fit-$((2+3))\r"},
            # Ctrl-C during sleep 10, typed on serial.
            {"wait": "edit-5", "send": "sh -c 'echo go-$((5*5)); exec sleep 10'\r"},
            {"wait": "go-25", "send": "\x03"},
            {"wait": "^C", "send": "echo sigint-$?\r"},
            # The keyboard: a command with Backspace, then Ctrl-C.
            {"wait": "sigint-130", "keys": keys("echo kbX") + ["backspace"] + keys("-$((2*4))\n")},
            {"wait": "kb-8", "keys": keys("sh -c 'echo kgo-$((1+1)); exec sleep 10'\n")},
            {"wait": "kgo-2", "keys": ["ctrl-c"]},
            {"wait": "^C", "keys": keys("echo kbint-$?\n")},
            {"wait": "kbint-130", "send": "exit 0\r"},
        ],
        "expect_exit": PASS,
        "expect_lines": ["toyix: starting init /init", "serial-42", "PIPED", "status-1", "edit-5",
                         "go-25", "^C", "sigint-130", "kb-8", "kgo-2", "^C", "kbint-130",
                         "toyix: init exited with status 0", "vm_check OK"],
        "timeout": 60,
    },
]

CASES += [
    # A plain boot goes straight to the shell on the console; once it
    # exits, the kernel reaps it and the monitor takes the console.
    {
        "name": "shell-boot-then-monitor",
        "append": "",
        "mem": "128M",
        "initrd": "build/initrd.cpio",
        "serial_input": [
            {"wait": PROMPT, "send": "echo plain-$((3*3))\r"},
            {"wait": "plain-9", "send": "exit\r"},
            {"wait": "toyix> ", "send": "ps\r"},
            {"wait": "ps: ", "send": "halt\r"},
        ],
        "expect_exit": PASS,
        "expect_lines": ["Timer: observed 3 ticks", "toyix: starting init /init", "plain-9",
                         "toyix: init exited with status 0", "Monitor: type 'help'",
                         "ps: 0 processes;", "halt: CPU stopped"],
    },
    # Words after `--` keep their spaces inside double quotes, as on Linux:
    # sh -c gets one script, not `"echo` and friends.
    {
        "name": "shell-quoted-init-args",
        "append": 'test=init init=/bin/sh -- -c "echo quoted $((40+2)) words; exit 0"',
        "mem": "128M",
        "initrd": "build/initrd.cpio",
        "expect_exit": PASS,
        "expect_lines": ["toyix: starting init /bin/sh", "quoted 42 words",
                         "toyix: init exited with status 0"],
    },
]
