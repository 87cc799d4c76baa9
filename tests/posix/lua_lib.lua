-- lua_lib.lua: a Lua script run from a file of the /boot mount
print("lua_lib.lua: running from a file, arg[0] is a string:", type(arg[0]) == "string")
print("lua_lib.lua: arguments", select("#", ...), ...)
return 42
