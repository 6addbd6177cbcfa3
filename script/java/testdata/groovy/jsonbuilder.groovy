import groovy.json.JsonBuilder
import groovy.json.JsonOutput
def builder = new JsonBuilder()
builder { a 1; b { c "x" } }
println builder.toString()
def id = 42
def items = ['pen', 'ink']
def b2 = new JsonBuilder()
b2.order {
    orderId id
    customer name: 'ada', vip: true
    lines items.collect { [sku: it, qty: 1] }
    tags 'new', 'paid'
    empty()
    nested { deeper { value 1.5 } }
    list(items) { String s -> code s.toUpperCase() }
}
println b2.toString()
println b2.toPrettyString()
def b3 = new JsonBuilder()
def r = b3 {
    user {
        name 'bo'
        roles(['admin', 'dev'])
    }
}
println r.getClass().name
println b3
def b4 = new JsonBuilder([1, 2]) 
println b4.toString()
def b5 = new JsonBuilder()
b5(items) { s -> name s }
println b5.toString()
def b6 = new JsonBuilder()
b6.person(name: 'x') { age 3 }
println b6.toString()
println JsonOutput.toJson([a: 1, b: [c: 'x']]) == new JsonBuilder([a: 1, b: [c: 'x']]).toString()
def b7 = new JsonBuilder()
b7 {
    println 'hello'
}
println b7.toString()
def b8 = new JsonBuilder()
try { b8.data 1, 2, 3 } catch (e) { println e.getClass().name + ': ' + e.message }
def b9 = new JsonBuilder()
try { b9.status 'ok' } catch (e) { println e.getClass().name + ': ' + e.message }
def b11 = new JsonBuilder()
b11.status()
println b11.toString()
def b12 = new JsonBuilder()
b12 { meta(v: 1) { extra true }; one 'x'; n null }
println b12.toString()
def b10 = new JsonBuilder()
b10.content = [x: 1]
println b10.toString()
