// iteration order of hashed collections (HashMap, HashSet, ConcurrentHashMap)
def words = ['zeta', 'alpha', 'mid', 'user', 'id', 'token', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'sessionId', 'Aa', 'BB']
def m = new HashMap()
words.eachWithIndex { w, i -> m.put(w, i) }
println m
println m.keySet()
println m.values()
m.each { k, v -> print "$k=$v;" }
println ''
for (e in m.entrySet()) { print e.key + ',' }
println ''
m.remove('alpha'); m.put('alpha', 99)
println m
def small = new HashMap(4)
['c', 'b', 'a', 'dd', 'ee'].each { small[it] = 1 }
println small
println new HashMap([name: 'ada', age: 36, city: 'London', id: 7])
def s = new HashSet()
words.each { s.add(it) }
println s
println new HashSet(['pear', 'apple', 'fig', 'kiwi'])
println(['pear', 'apple', 'fig', 'kiwi'].toSet())
println((['pear', 'apple', 'fig', 'kiwi'] as Set))
println([pear: 1, apple: 2, fig: 3])
def c = new java.util.concurrent.ConcurrentHashMap()
words.each { c.put(it, it.length()) }
println c
def nums = new HashMap()
[100, 17, -3, 42, 1000, 65536, 7].each { nums.put(it, it * 2) }
println nums
def longs = new HashSet([5L, 123456789012L, -1L, 0L])
println longs
println m.getClass().name + ' ' + s.getClass().name + ' ' + [a: 1].getClass().name
println groovy.json.JsonOutput.toJson(new HashMap([zulu: 1, alpha: 2, mike: 3, id: 4]))
println words.stream().collect(java.util.stream.Collectors.toSet())
def p = new Properties()
['zeta', 'alpha', 'mid', 'user'].each { p.setProperty(it, 'v') }
println p.keySet()
