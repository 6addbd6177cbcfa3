// script classes: inheritance, interfaces, super, static methods, annotations, @Field
import groovy.transform.Field
import groovy.transform.CompileStatic

@Field int calls = 0
@Field String prefix = 'id-'

interface Named {
    String name()
    default String greet() { return 'hello ' + name() }
}

abstract class Shape implements Named {
    String label = 'shape'
    int sides
    Shape(int sides) { this.sides = sides }
    abstract double area()
    String describe() { return label + '/' + name() + ' with ' + sides + ' sides' }
    @Override
    String toString() { return 'Shape(' + name() + ')' }
}

class Square extends Shape {
    double side
    Square(double side) { super(4); this.side = side; label = 'square' }
    double area() { side * side }
    String name() { 'square' }
}

class Cube extends Square {
    Cube(double side) { super(side) }
    @Override
    double area() { 6 * super.area() }
    @Override
    String name() { 'cube' }
    String describe() { 'cube: ' + super.describe() }
}

class Counter {
    static int total = 0
    static synchronized int next(int step) { total += step; return total }
    static String twice(String s) { helper(s) + helper(s) }
    private static String helper(String s) { s.toUpperCase() }
}

@CompileStatic
String tag(String s) {
    calls++
    return prefix + s
}

def shapes = [new Square(2), new Cube(1.5)]
shapes.each { Shape s -> println s.describe() + ' area ' + s.area() }
println shapes.collect { it.greet() }
println shapes*.toString()
println(shapes[1] instanceof Square)
println(shapes[1] instanceof Named)
println(shapes[0] instanceof Cube)
println(shapes[0].sides + ' ' + shapes[1].label)
println Counter.next(2) + ' ' + Counter.next(3)
println Counter.twice('ab')
println tag('a') + ' ' + tag('b') + ' ' + calls
