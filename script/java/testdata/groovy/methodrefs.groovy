// method pointers (.&) and method references (::)
import java.util.stream.Collectors

String shout(String s) { s.toUpperCase() + '!' }
int add(int a, int b) { a + b }

class Fmt {
    String pre
    Fmt(String pre) { this.pre = pre }
    String wrap(String s) { pre + s + pre }
    static String tag(String s) { '<' + s + '>' }
}

def p = this.&shout
println p('hi')
println(['a', 'b'].collect(this.&shout))
def plus = this.&add
println plus(2, 3)
println([[1, 2], [3, 4]].collect { plus(it[0], it[1]) })
def f = new Fmt('*')
def w = f.&wrap
println w('x')
println(['p', 'q'].collect(f::wrap))
println(['p', 'q'].collect(Fmt::tag))
println(['p', 'q'].stream().map(String::toUpperCase).collect(Collectors.toList()))
println(['3', '1', '2'].stream().map(Integer::parseInt).sorted().collect(Collectors.toList()))
println(['ab', 'c'].stream().map(String::length).collect(Collectors.toList()))
def mk = Fmt::new
println mk('#').wrap('y')
def up = 'text'.&toUpperCase
println up()
def sb = new StringBuilder()
['x', 'y'].forEach(sb::append)
println sb
println(['b', 'a'].sort(false, String::compareTo))
