-- lua: io on files of the read-only /boot mount; a script file by dofile and as the main script
for l in io.lines("@BOOT@/posix.txt") do print(#l, l) end
f=assert(io.open("@BOOT@/posix.txt")) print(f:read("l")) print(f:seek("end")) f:seek("set", 6) print(f:read(5)) print((f:read("a"):upper():gsub("\n", "|"))) f:close() print(io.type(f))
print(dofile("@BOOT@/lua_lib.lua")) print(select(3, io.open("@BOOT@/missing.txt"))) print(loadfile("@BOOT@/posix.txt") == nil)
@script @BOOT@/lua_lib.lua one two
