package functions_test

import (
	"fmt"

	"github.com/gometer/gometer/functions"
)

func ExampleCompile() {
	// Compile once (at plan load) …
	t, err := functions.Compile("/users/${id}?n=${__intSum(${n},1)}&x=${missing}")
	if err != nil {
		panic(err)
	}
	// … evaluate for each virtual user, on each use.
	c := functions.NewContext(nil, nil, nil)
	c.Vars.Put("id", "42")
	c.Vars.Put("n", "9")
	fmt.Println(t.Eval(c))
	// Output: /users/42?n=10&x=${missing}
}

func ExampleCompile_error() {
	_, err := functions.Compile("${__Random(ten,1000)}")
	fmt.Println(err)
	// Output: __Random: argument 1 "ten" is not a number (at offset 11 in "${__Random(ten,1000)}")
}

func ExampleCompileJEXL() {
	e, err := functions.CompileJEXL(`vars.get("role") == "admin" && vars.get("n") > 3`)
	if err != nil {
		panic(err)
	}
	c := functions.NewContext(nil, nil, nil)
	c.Vars.Put("role", "admin")
	c.Vars.Put("n", "5")
	fmt.Println(e.EvalString(c))
	// Output: true <nil>
}
