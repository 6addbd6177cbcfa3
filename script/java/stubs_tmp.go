package java

import (
	"time"
)

type instant struct{ t time.Time }

func (i *instant) javaClass() string { return "java.time.Instant" }
func (i *instant) invoke(r *runner, name string, args []any) (any, bool, error) {
	return nil, false, nil
}

type timeZone struct{ loc *time.Location }

type dateFmt struct{}

func (dateFmt) format(t time.Time) string { return "" }
func compileDatePattern(p string) (dateFmt, error) {
	return dateFmt{}, newExc("java.lang.UnsupportedOperationException", "date patterns are not supported yet")
}
