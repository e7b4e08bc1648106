#!/usr/bin/python3
"""Run a command as a GitHub job container would: under the namespace rules of Docker's default
seccomp profile, without CAP_SYS_ADMIN.

    /usr/bin/python3 tools/docker_seccomp.py COMMAND [ARG...]

moby's profiles/seccomp/default.json lets `clone` through only when none of the namespace flags
0x7E020000 (CLONE_NEWNS ... CLONE_NEWNET, CLONE_NEWUSER among them) is set, makes `clone3` fail with
ENOSYS so that glibc falls back to `clone`, and grants `unshare`, `setns` and `mount` to
CAP_SYS_ADMIN only. So `unshare -rn` fails there, as it does here under this filter. The filter is
inherited by every process the command starts, and cannot be lifted.

It runs on Debian's own Python, which has the libseccomp binding (package python3-seccomp).
"""

import errno
import os
import sys

import seccomp

NAMESPACE_FLAGS = 0x7E020000


def load_docker_namespace_rules():
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for bit in range(32):
        flag = 1 << bit
        if NAMESPACE_FLAGS & flag:  # one rule per bit: "any of them set", which one masked compare cannot say
            rules.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    for call in ("unshare", "setns", "mount"):
        rules.add_rule(seccomp.ERRNO(errno.EPERM), call)
    rules.load()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    load_docker_namespace_rules()
    os.execvp(sys.argv[1], sys.argv[1:])
