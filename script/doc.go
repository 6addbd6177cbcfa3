// Package script runs the scripts JMeter plans carry (JSR223, BeanShell and
// BSF elements, the __groovy, __BeanShell and __javaScript functions)
// without a JVM. Compile picks the engine by language: the Java family
// (groovy, java, beanshell/bsh) runs on gometer/script/java, JavaScript
// (javascript, nashorn, rhino, ecmascript) on goja. A Program is compiled
// once and run many times, concurrently, each run with its own globals.
//
// The bindings JMeter gives a script (vars, props, prev, ctx, log, sampler,
// SampleResult, AssertionResult …) are plain Go types whose methods carry
// JMeter's names capitalised: the Java interpreter calls obj.getFoo(x) as
// GetFoo by reflection, goja maps JavaScript's getFoo to GetFoo. The same
// objects serve both languages. They wrap the virtual user's state through
// small interfaces (VarStore, PropStore), so that this package does not
// depend on the functions package, which calls it for __groovy & co.
package script
