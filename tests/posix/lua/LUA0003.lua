-- lua: errors, pcall, os.time/os.clock, io, math; ends with an uncaught error
print(pcall(error, "boom")) print(select(2, pcall(error, {code=7})).code) print(select(2, pcall(function() local x = nil; return x.y end)))
ok, e = xpcall(function() error("deep", 0) end, function(m) return "handled: "..m end) print(ok, e)
t0=os.clock() print(type(os.time()), math.type(os.time()), os.clock() >= t0, os.time{year=2000,month=1,day=1,hour=12}, os.date("!%Y-%m-%d %H:%M:%S", 946728000))
print(math.floor(3.7), math.ceil(3.2), math.max(1,5,3), math.huge, -math.huge, math.tointeger(3.0), 10/4, 3 | 5, 6 & 3, 1 << 10, math.abs(-2), math.fmod(7, 3))
io.write("io.write: ", 42, " ", 1.5, "\n") print(io.open("/nonexistent/file")) print(os.remove("/x")) print(os.rename("/a", "/b"))
print(pcall(string.rep)) print(string.format("%s", setmetatable({}, {__tostring=function() return "custom" end})))
error("uncaught at the end")
