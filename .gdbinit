# capOS: `make gdb` in one terminal, `gdb` in the project root in another.
# (Allow it once with: echo "add-auto-load-safe-path $PWD/.gdbinit" >> ~/.gdbinit)
set architecture i386:x86-64
file build/capos.elf
target remote localhost:1234
hbreak kmain
continue
