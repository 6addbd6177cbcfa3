// closures, GDK and Groovy truth
def nums = [5, 3, 8, 1]
println nums.sort(false)
println nums
println nums.findAll { it > 2 }.collect { it * 10 }
println nums.find { it > 5 }
println "${nums.any { it > 7 }} ${nums.every { it > 0 }}"
println nums.inject(1) { a, b -> a * b }
println nums.max() + nums.min()
println nums.sum { it * 2 }
println nums.unique()
println([1, 2, 2, 3, 3].unique())
println nums.join("|")
println nums.indexOf(8)
nums.eachWithIndex { v, i -> print "$i:$v " }
println()
def out = []
3.upto(6) { out << it }
5.downto(3) { out << -it }
println out
def m = [name: 'bob', age: 42]
m.each { println "${it.key}=${it.value}" }
println m.collect { k, v -> "$k:$v" }.join(",")
println m.findAll { k, v -> v instanceof Integer }
println m.keySet() + " " + m.values()
println(m.containsKey("age") && !m.containsKey("x"))
println m.get('missing', 'dflt') + " " + m.missing
def nested = [a: [b: [c: 'deep']]]
println nested.a.b.c + " " + nested?.x?.y
println nested.a?.b?.c?.toUpperCase()
def str = null
println str ?: "elvis"
println (str?.size() ?: 0)
if ("") println "empty is true" else println "empty is false"
if ([]) println "[] true" else println "[] false"
if (0) println "0 true" else println "0 false"
if ("0") println "'0' true"
println "spread: " + ['ab', 'cde']*.length()
println((1..4).collect { it ** 2 })
println((10..<13).toList())
println 'abc'.reverse() + 'Hello'.capitalize() + 'x'.center(5, '-')
println "a-b-c".split("-").collect { it.toUpperCase() }
def name = 'World'
println "Hello, ${name.toLowerCase()}! ${1 + 2} \$escaped"
println 'single $name'
println """triple
  quoted $name"""
def add = { a, b = 10 -> a + b }
println add(1) + add(1, 2)
def fact
fact = { n -> n <= 1 ? 1 : n * fact(n - 1) }
println fact(10)
def counter = 0
def inc = { counter++ }
3.times(inc)
println counter
def compose = { x -> x + 1 } >> { x -> x * 2 }
println "switch:"
def classify(v) {
    switch (v) {
        case null: return 'null'
        case Integer: return 'int'
        case ~/\d+/: return 'digits'
        case 'a'..'c': return 'abc'
        case [1.5, 2.5]: return 'list'
        case { it instanceof List }: return 'a list'
        default: return 'other'
    }
}
println([null, 1, '42', 'b', 2.5, [1], 'zz'].collect { classify(it) })
String greet(String who = 'you', int times = 1) { ("hi " + who + " ") * times }
println greet() + greet('me', 2)
class Point {
    int x, y
    Point(int x, int y) { this.x = x; this.y = y }
    Point plus(Point o) { new Point(x + o.x, y + o.y) }
    String toString() { "($x,$y)" }
}
def p = new Point(1, 2).plus(new Point(3, 4))
println p
println p.x
try {
    [1, 2].get(5)
} catch (IndexOutOfBoundsException e) {
    println "caught " + e.class.simpleName
} finally {
    println "finally"
}
def text = "order=123; order=456"
def found = (text =~ /order=(\d+)/).collect { it[1] }
println found
println text.replaceAll(/order=(\d+)/) { all, id -> "#" + id }
println "x=1,y=2".tokenize(',').collectEntries { it.tokenize('=') }
println 7.intdiv(2) + " " + 7 % 3 + " " + (-7).abs() + " " + 2 ** 10
println 10 / 4 + " " + 9 / 3 + " " + (int) (10 / 4)
println Integer.valueOf(5) == 5L
println 'abc' <=> 'abd'
println([3, 1, 2].sort { a, b -> b <=> a })
println(['bb', 'a', 'ccc'].sort { it.length() })
println(['x': 1].getClass().name)
println([1, [2, [3]]].flatten())
def sb = new StringBuilder()
sb << "a" << 1 << 'b'
println sb
println String.valueOf((char) 65)
println 'A' as char
println (('a' as char) + 1)
assert 1 + 1 == 2
println "done"
import java.util.stream.Collectors
def people = [[name: 'ann', age: 31], [name: 'bob', age: 17], [name: 'cy', age: 45]]
println people.stream().filter(q -> q.age > 18).map(q -> q.name).collect(Collectors.toList())
println people.stream().map { it.name.toUpperCase() }.collect(Collectors.joining(", ", "<", ">"))
println people.stream().anyMatch(q -> q.age < 18)
println people.stream().mapToInt(q -> q.age).sum()
println people.stream().map(q -> q.age).reduce(0, (a, b) -> a + b)
println people.stream().filter { it.age > 100 }.findFirst().orElse("none")
println people.stream().map { it.name }.findFirst().get()
println Optional.ofNullable(null).isPresent()
println people.stream().collect(Collectors.groupingBy { it.age > 18 })[true].size()
println people.stream().count()
