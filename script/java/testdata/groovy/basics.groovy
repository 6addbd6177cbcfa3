def x = 7 / 2
println x
println 4/2
int i = 5
i += 2.7
println i
def l = [1, 2, 3]
l << 4
println l.collect { it * 2 }
println "sum=${l.sum()} size=${l.size()}"
def m = [a: 1, b: 'x']
m.c = [1,2]
println m
m.each { k, v -> println "$k -> $v" }
String s = "a,b,,c,,"
println s.split(",").length
println s.split(",") as List
println 'abc'.toUpperCase() + "d".length()
def f = { a, b = 2 -> a * b }
println f(3)
println f(3, 4)
for (j in 0..<3) print j
println()
println((1..5).findAll { it % 2 == 0 })
try { null.foo() } catch (NullPointerException e) { println "npe: " + e.message }
try { Integer.parseInt("x1") } catch (NumberFormatException e) { println e }
println String.format("%05.2f|%-5s|%d|%,d", 3.14159, "ab", 42, 1234567)
def sb = new StringBuilder()
sb.append("x").append(1).append(2.5)
println sb.toString()
println 10.0 / 4
println 100L * 3
println Integer.MAX_VALUE + 1
println "x" * 3
println([3,1,2].sort())
println "abc" ==~ /a.c/
def mm = "id=42&name=bob" =~ /(\w+)=(\w+)/
println mm[0][2]
println mm.size()
println 'foo'.padLeft(6, '*')
def list2 = []
3.times { list2 << it }
println list2
println list2.inject(0) { acc, v -> acc + v }
println list2.join('-')
println "a".equals("a")
println([a:1] == [a:1])
def n = null
println n?.length() ?: "dflt"
switch (5) { case 1..3: println "low"; break; case [4,5]: println "mid"; break; default: println "hi" }
println 5 <=> 3
println((int) 3.99)
println((int) "A".charAt(0))
