#!/usr/bin/env python3
"""Prints compile_commands.json for the given sources: compile_commands.py "CC FLAGS" FILE..."""
import json, os, shlex, sys

cmd, files = sys.argv[1], sys.argv[2:]
root = os.getcwd()
print(json.dumps([{"directory": root, "file": f,
                   "arguments": shlex.split(cmd) + ["-c", f]} for f in files], indent=1))
