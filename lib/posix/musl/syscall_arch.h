/* SPDX-License-Identifier: MIT */
/*
 * syscall_arch.h - capOS's replacement for musl's arch/x86_64/syscall_arch.h
 * (the only musl header the port replaces; docs/posix.md).
 *
 * Theory of operation: musl reaches the system through __syscall0..6 and
 * nothing else (its few x86_64 assembly files that contain a `syscall`
 * instruction are left out of the build by lib/posix/musl/mkshadow.sh).
 * Here each __syscallN is an ordinary call of capos_posix_syscall() in
 * lib/posix, which serves the Linux system-call number from capabilities
 * and returns a value or -errno exactly as Linux would.  capOS's own two
 * system calls are made only by lib/capos underneath.
 */
#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

/* lib/posix/syscall.c: Linux number n with up to six arguments. */
long capos_posix_syscall(long n, long a1, long a2, long a3, long a4, long a5,
                         long a6);

static __inline long __syscall0(long n)
{
	return capos_posix_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a1)
{
	return capos_posix_syscall(n, a1, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a1, long a2)
{
	return capos_posix_syscall(n, a1, a2, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a1, long a2, long a3)
{
	return capos_posix_syscall(n, a1, a2, a3, 0, 0, 0);
}

static __inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	return capos_posix_syscall(n, a1, a2, a3, a4, 0, 0);
}

static __inline long __syscall5(long n, long a1, long a2, long a3, long a4,
                                long a5)
{
	return capos_posix_syscall(n, a1, a2, a3, a4, a5, 0);
}

static __inline long __syscall6(long n, long a1, long a2, long a3, long a4,
                                long a5, long a6)
{
	return capos_posix_syscall(n, a1, a2, a3, a4, a5, a6);
}

/* No vDSO: clock_gettime goes through capos_posix_syscall too. */

#define IPC_64 0
