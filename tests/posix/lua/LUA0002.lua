-- lua: tables, closures, coroutines
t={} for i=1,10 do t[#t+1]=i*i end print(table.concat(t, " "), #t, select("#", table.unpack(t)))
table.sort(t, function(a,b) return a>b end) print(t[1], t[10]) table.insert(t, 1, 0) print(table.remove(t), t[1], #t)
function counter() local n=0 return function() n=n+1 return n end end c1,c2=counter(),counter() c1() c1() print(c1(), c2())
co=coroutine.create(function(a,b) local c=coroutine.yield(a+b) local d,e=coroutine.yield(c*2) return d+e end)
print(coroutine.resume(co,1,2)) print(coroutine.resume(co,10)) print(coroutine.resume(co,3,4)) print(coroutine.resume(co)) print(coroutine.status(co))
gen=coroutine.wrap(function() for i=1,3 do coroutine.yield(i) end end) print(gen(), gen(), gen())
