#!/usr/bin/env python3
"""interactive.py - drive capOS's serial console like a person would.

Usage: interactive.py KERNEL MANIFEST

Boots KERNEL with the interactive MANIFEST (system/shell.capnp) under QEMU
with the serial line on a Unix socket (Python stdlib only), types at the
shell and checks what a terminal would show: the echo is rendered by a
small VT100 model (printable text, CR, LF, BS, BEL, CSI n C/D/K), so line
editing is judged on the screen, not only on what the shell received.
Each step is one named check; the run ends with "N passed, N failed".
Every wait is bounded (STEP_TIMEOUT seconds; the whole run WALL seconds).
The serial transcript goes to build/test-logs/system/interactive.serial.log.
"""
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time

STEP_TIMEOUT = 20.0
WALL = 150.0
LOGDIR = os.path.join(os.environ.get("BUILD", "build"), "test-logs", "system")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT = "capos> "


class Screen:
    """The lines a VT100-style terminal shows (no wrapping, no scrolling)."""

    def __init__(self):
        self.lines = [""]
        self.col = 0
        self.bells = 0
        self.pending = b""

    def feed(self, data):
        data = self.pending + data
        self.pending = b""
        i = 0
        while i < len(data):
            c = data[i]
            if c == 0x1B:
                m = re.match(rb"\x1b\[(\d*)([A-Za-z])", data[i:])
                if not m:
                    if len(data) - i < 8:
                        self.pending = data[i:]
                        return
                    i += 1
                    continue
                n = int(m.group(1) or b"1")
                self.csi(n, m.group(2))
                i += m.end()
                continue
            self.byte(c)
            i += 1

    def csi(self, n, final):
        line = self.lines[-1]
        if final == b"C":
            self.col += n
        elif final == b"D":
            self.col = max(0, self.col - n)
        elif final == b"K":
            self.lines[-1] = line[: self.col]

    def byte(self, c):
        line = self.lines[-1]
        if c == 0x0D:
            self.col = 0
        elif c == 0x0A:
            self.lines.append("")
            self.col = 0
        elif c == 0x07:
            self.bells += 1
        elif c == 0x08:
            self.col = max(0, self.col - 1)
        elif 0x20 <= c < 0x7F:
            line = line.ljust(self.col)
            self.lines[-1] = line[: self.col] + chr(c) + line[self.col + 1:]
            self.col += 1

    def text(self):
        return "\n".join(self.lines)


class Console:
    def __init__(self, kernel, manifest):
        self.dir = tempfile.mkdtemp(prefix="capos-tty-")
        path = os.path.join(self.dir, "serial.sock")
        env = dict(os.environ, INITRD=manifest,
                   SERIAL="unix:%s,server=on,wait=on" % path)
        self.qemu = subprocess.Popen(
            [os.path.join(ROOT, "tools/run-qemu.sh"), "pvh", kernel],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + STEP_TIMEOUT
        while not os.path.exists(path) and time.time() < deadline:
            time.sleep(0.05)
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.sock.settimeout(0.1)
        self.raw = b""
        self.screen = Screen()
        self.mark = 0           # screen lines already judged
        self.start = time.time()

    def pump(self):
        try:
            d = self.sock.recv(65536)
        except socket.timeout:
            return True
        if not d:
            return False
        self.raw += d
        self.screen.feed(d)
        return True

    def expect(self, pattern, timeout=STEP_TIMEOUT):
        """Wait until the screen after the mark matches; move the mark."""
        deadline = min(time.time() + timeout, self.start + WALL)
        rx = re.compile(pattern, re.M)
        while True:
            text = "\n".join(self.screen.lines[self.mark:])
            m = rx.search(text)
            if m:
                self.mark += text[: m.end()].count("\n")
                return m
            if time.time() > deadline or not self.pump():
                return None

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("latin1")
        self.sock.sendall(data)

    def close(self):
        try:
            self.qemu.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.qemu.kill()
            self.qemu.wait()
        os.makedirs(LOGDIR, exist_ok=True)
        with open(os.path.join(LOGDIR, "interactive.serial.log"), "wb") as f:
            f.write(self.raw)
        return self.qemu.returncode


def main():
    kernel, manifest = sys.argv[1], sys.argv[2]
    c = Console(kernel, manifest)
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print("%s %s%s" % ("PASS" if ok else "FAIL", name,
                           "" if ok or not detail else ": " + detail))
        if not ok:
            print("  screen after the last check:")
            for line in c.screen.lines[max(0, c.mark - 2):]:
                print("  | " + line)

    def line_is(name, keys, want):
        """Type keys + Enter; the screen must show the prompt and `want`."""
        c.send(keys + "\r")
        m = c.expect(r"^" + re.escape(PROMPT) + r"(.*)\n")
        check(name, m is not None and m.group(1) == want,
              "got %r" % (m.group(1) if m else None))

    check("boot to the prompt", c.expect(r"^" + re.escape(PROMPT)) is not None)
    c.send("help\r")
    check("help", c.expect(r"run PROG \[ARG\.\.\.\] \[with") is not None)
    c.send("caps\r")
    m = c.expect(r"stdio +ClientEndpoint[\s\S]*spawner +ProcessSpawner"
                 r"[\s\S]*console +Console")
    check("caps lists names and interfaces", m is not None)
    c.send("echo hello \"big world\"\r")
    check("echo", c.expect(r"^hello big world$") is not None)

    # Line editing, judged on the rendered screen and on the result.
    line_is("left arrow, delete, end, backspace",
            "ecXho" + "\x1b[D" * 3 + "\x1b[3~" + "\x1b[Fs\x7f", "echo")
    c.expect(r"^echo$|^$")
    line_is("home, end, ctrl-a/e", "cho x\x1b[He\x1b[F+\x01\x05=", "echo x+=")
    c.expect(r"^x\+=$")
    line_is("ctrl-u and ctrl-w", "junk\x15echo a b c\x17\x17d", "echo a d")
    c.expect(r"^a d$")
    # History: Up brings back "echo a d", edit it.
    line_is("history up", "\x1b[A\x7fz", "echo a z")
    c.expect(r"^a z$")
    line_is("history up twice, down", "\x1b[A\x1b[A\x1b[B", "echo a z")
    c.expect(r"^a z$")
    c.send("abc\x03")
    check("ctrl-c discards the line", c.expect(r"^" + re.escape(PROMPT) +
                                              r"abc\^C\n") is not None)
    line_is("a long line is bounded", "echo " + "y" * 300, "echo " + "y" * 250)
    m = c.expect(r"^(y+)$")
    check("long line: 250 bytes echoed back",
          m is not None and len(m.group(1)) == 250)

    # Programs with exactly the named capabilities.
    c.send("run hello with { stdio: @stdio, c: @console }\r")
    check("run ... with: grants are exactly the named ones",
          c.expect(r"^hello: 2 capabilities: stdio c$") is not None)
    check("program reads a line", c.expect(r"What is your name\? ") is not None)
    c.send("Ada\r")
    check("program got the line", c.expect(r"^Hello, Ada!$") is not None)
    # Type-ahead: the name is typed before the program asks for it.
    c.send("run hello with { stdio: @stdio }\rGrace\r")
    check("type-ahead reaches the program's readLine",
          c.expect(r"^Hello, Grace!$") is not None)
    c.send("run hello with { stdio: @stdio }\r")
    c.expect(r"What is your name\? ")
    c.send("\x04")
    check("ctrl-d is end of input for the program",
          c.expect(r"^" + re.escape(PROMPT)) is not None and
          "exited with code" not in c.screen.text()[-200:])
    # A background reader and the shell: the newer readLine takes the
    # terminal over, the shell always takes it back; the job gets BUSY.
    c.send("spawn hello with { stdio: @stdio }\r")
    m = c.expect(r"^\[1\] hello$")
    took = c.expect(r"What is your name\? \n" + re.escape(PROMPT) + r"$")
    c.send("wait 1\r")
    check("a reader that is taken over gets BUSY; the shell keeps the line",
          m is not None and took is not None and
          c.expect(r"^\[1\] hello exited with code 1$") is not None)
    c.send("run hello with { io: @nosuchcap }\r")
    check("unknown capability is named",
          c.expect(r'^run: no capability named @nosuchcap \(see "caps"\)$')
          is not None)
    c.send("run nosuchprog\r")
    check("unknown program", c.expect(
        r'^run: no program "nosuchprog" in the boot package$') is not None)
    c.send("run hello with { a: }\r")
    check("syntax error with a column", c.expect(
        r"^syntax error: column 21: expected @capability after ':', "
        r"found '}'$") is not None)
    c.send("run hello wait with { stdio: @stdio }\r")
    c.expect(r"^hello: waiting for Ctrl-C$")
    c.send("\x03")
    check("ctrl-c reaches the foreground program",
          c.expect(r"^hello: got 1 interrupt\(s\)$") is not None and
          c.expect(r"^hello exited with code 130$") is not None)
    c.send("spawn hello \"x y\"\r")
    m = c.expect(r"^\[1\] hello$")
    c.send("wait 1\r")
    check("spawn and wait (no caps: the program cannot even print)",
          m is not None and c.expect(r"^\[1\] hello exited with code 2$")
          is not None)

    # Garbage on the line never hurts the shell.
    rnd = random.Random(19)
    junk = bytes(b for b in (rnd.randrange(256) for _ in range(4000))
                 if b not in (0x04, 0x0D, 0x0A, 0x03))
    c.send(junk)
    c.send("\x03")
    c.expect(r"\^C$")
    c.send("echo still here\r")
    check("binary garbage, then the shell still works",
          c.expect(r"^still here$") is not None)

    c.send("exit\r")
    check("exit ends the session",
          c.expect(r"term: session ended \(exit code 0\)") is not None and
          c.expect(r"capOS: PASS init") is not None)
    rc = c.close()
    check("QEMU stops with success", rc == 33, "status %s" % rc)
    print("%d passed, %d failed" % (results.count(True), results.count(False)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
