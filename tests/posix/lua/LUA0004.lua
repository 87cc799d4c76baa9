-- lua: metatables, goto, sorted pairs, a 100,000-element table, GC
V=setmetatable({}, {__index=function(t,k) return k.."!" end, __call=function(self, x) return x*3 end, __len=function() return 99 end}) print(V.hi, V(5), #V)
k={} for key in pairs({b=1,a=2,c=3}) do k[#k+1]=key end table.sort(k) print(table.concat(k, ","))
for i=1,3 do for j=1,3 do if j==2 then goto next end io.write(i,j," ") ::next:: end end print()
big={} for i=1,100000 do big[i]=i end s=0 for _,v in ipairs(big) do s=s+v end print(s, #big, collectgarbage("count") > 0)
big=nil collectgarbage() s={} for i=1,2000 do s[i]=("x"):rep(i % 50) end print(#table.concat(s))
