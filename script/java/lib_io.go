package java

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Files: relative paths resolve against the binding "__basedir" (or
// Program.BaseDir), else the process working directory as in the JVM.
// Writers open the file for each write (append mode after creation), so an
// unclosed writer never leaks a descriptor.

type fileObj struct {
	path string // as the script gave it
	abs  string // resolved
}

func (r *runner) newFile(p string) *fileObj {
	abs := p
	if !filepath.IsAbs(p) {
		if base := r.baseDir(); base != "" {
			abs = filepath.Join(base, p)
		}
	}
	return &fileObj{path: p, abs: abs}
}

func (f *fileObj) javaClass() string { return "java.io.File" }
func (f *fileObj) String() string    { return f.path }
func (f *fileObj) Equals(o any) bool {
	x, ok := o.(*fileObj)
	return ok && x.abs == f.abs
}

func ioErr(err error, path string) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return newExc("java.io.FileNotFoundException", path+" (No such file or directory)")
	case errors.Is(err, fs.ErrPermission):
		return newExc("java.io.FileNotFoundException", path+" (Permission denied)")
	}
	return &Exception{Class: "java.io.IOException", Message: err.Error(), Cause: err, hasMsg: true}
}

func (f *fileObj) read(r *runner) ([]byte, error) {
	b, err := os.ReadFile(f.abs)
	if err != nil {
		return nil, ioErr(err, f.path)
	}
	return b, nil
}

func (f *fileObj) write(b []byte, appendTo bool) error {
	flags := os.O_CREATE | os.O_WRONLY
	if appendTo {
		flags |= os.O_APPEND
	} else {
		flags |= os.O_TRUNC
	}
	fh, err := os.OpenFile(f.abs, flags, 0o644)
	if err != nil {
		return ioErr(err, f.path)
	}
	_, err = fh.Write(b)
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return ioErr(err, f.path)
	}
	return nil
}

func splitLines(s string) []any {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	out := make([]any, len(lines))
	for i, l := range lines {
		out[i] = l
	}
	return out
}

func (f *fileObj) invoke(r *runner, name string, args []any) (any, bool, error) {
	st, statErr := os.Stat(f.abs)
	switch name {
	case "exists":
		return statErr == nil, true, nil
	case "isFile":
		return statErr == nil && st.Mode().IsRegular(), true, nil
	case "isDirectory":
		return statErr == nil && st.IsDir(), true, nil
	case "canRead":
		return statErr == nil, true, nil
	case "length":
		if statErr != nil {
			return int64(0), true, nil
		}
		return st.Size(), true, nil
	case "lastModified":
		if statErr != nil {
			return int64(0), true, nil
		}
		return st.ModTime().UnixMilli(), true, nil
	case "getName":
		return filepath.Base(f.path), true, nil
	case "getPath", "toString":
		return f.path, true, nil
	case "getAbsolutePath", "getCanonicalPath":
		a, _ := filepath.Abs(f.abs)
		return a, true, nil
	case "getAbsoluteFile", "getCanonicalFile":
		a, _ := filepath.Abs(f.abs)
		return &fileObj{path: a, abs: a}, true, nil
	case "getParent":
		d := filepath.Dir(f.path)
		if d == "." && !strings.Contains(f.path, "/") {
			return nil, true, nil
		}
		return d, true, nil
	case "getParentFile":
		return r.newFile(filepath.Dir(f.path)), true, nil
	case "delete":
		return os.Remove(f.abs) == nil, true, nil
	case "mkdir":
		return os.Mkdir(f.abs, 0o755) == nil, true, nil
	case "mkdirs":
		return os.MkdirAll(f.abs, 0o755) == nil && statErr != nil, true, nil
	case "createNewFile":
		fh, err := os.OpenFile(f.abs, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			if errors.Is(err, fs.ErrExist) {
				return false, true, nil
			}
			return nil, true, ioErr(err, f.path)
		}
		fh.Close()
		return true, true, nil
	case "renameTo":
		if o, ok := args[0].(*fileObj); ok {
			return os.Rename(f.abs, o.abs) == nil, true, nil
		}
	case "list", "listFiles":
		ents, err := os.ReadDir(f.abs)
		if err != nil {
			return nil, true, nil
		}
		out := &List{Array: true}
		for _, e := range ents {
			if name == "list" {
				out.S = append(out.S, e.Name())
			} else {
				out.S = append(out.S, r.newFile(filepath.Join(f.path, e.Name())))
			}
		}
		return out, true, nil
	case "toPath":
		return f, true, nil
	}
	if !r.groovy {
		return nil, false, nil
	}
	switch name {
	case "getText", "text":
		b, err := f.read(r)
		if err != nil {
			return nil, true, err
		}
		if len(args) == 1 {
			s, err := decodeBytes(b, charsetName(r, args[0]))
			return s, true, err
		}
		return string(b), true, nil
	case "getBytes":
		b, err := f.read(r)
		return b, true, err
	case "readLines":
		b, err := f.read(r)
		if err != nil {
			return nil, true, err
		}
		return &List{S: splitLines(string(b))}, true, nil
	case "eachLine":
		b, err := f.read(r)
		if err != nil {
			return nil, true, err
		}
		fn := args[len(args)-1]
		for i, l := range splitLines(string(b)) {
			var err error
			if closureArity(fn) == 2 {
				_, err = r.call(fn, l, int32(i+1))
			} else {
				_, err = r.call(fn, l)
			}
			if err != nil {
				return nil, true, err
			}
		}
		return nil, true, nil
	case "write", "setText", "append", "leftShift", "setBytes":
		if len(args) < 1 {
			return nil, false, nil
		}
		var b []byte
		if bb, ok := args[0].([]byte); ok {
			b = bb
		} else {
			s := r.display(args[0])
			if len(args) == 2 {
				var err error
				if b, err = encodeString(s, charsetName(r, args[1])); err != nil {
					return nil, true, err
				}
			} else {
				b = []byte(s)
			}
		}
		err := f.write(b, name == "append" || name == "leftShift")
		if name == "leftShift" {
			return f, true, err
		}
		return nil, true, err
	case "withWriter", "withPrintWriter":
		w := &writer{f: f}
		if err := f.write(nil, false); err != nil {
			return nil, true, err
		}
		v, err := r.call(args[len(args)-1], w)
		return v, true, err
	case "newWriter":
		appendTo := len(args) > 0 && truth(args[len(args)-1])
		w := &writer{f: f}
		return w, true, f.write(nil, appendTo)
	case "withReader", "newReader":
		b, err := f.read(r)
		if err != nil {
			return nil, true, err
		}
		rd := &reader{lines: splitLines(string(b)), text: string(b)}
		if name == "newReader" {
			return rd, true, nil
		}
		v, err := r.call(args[0], rd)
		return v, true, err
	case "size":
		if statErr != nil {
			return int64(0), true, nil
		}
		return st.Size(), true, nil
	case "eachFile":
		ents, err := os.ReadDir(f.abs)
		if err != nil {
			return nil, true, ioErr(err, f.path)
		}
		names := make([]string, 0, len(ents))
		for _, e := range ents {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		for _, n := range names {
			if _, err := r.call(args[0], r.newFile(filepath.Join(f.path, n))); err != nil {
				return nil, true, err
			}
		}
		return nil, true, nil
	}
	return nil, false, nil
}

// writer is FileWriter, BufferedWriter, PrintWriter, FileOutputStream and
// PrintStream on a file.
type writer struct {
	f      *fileObj
	closed bool
	class  string
}

func (w *writer) javaClass() string {
	if w.class != "" {
		return w.class
	}
	return "java.io.Writer"
}
func (w *writer) close() error { w.closed = true; return nil }

func (w *writer) invoke(r *runner, name string, args []any) (any, bool, error) {
	put := func(s string) error {
		if w.closed {
			return newExc("java.io.IOException", "Stream closed")
		}
		return w.f.write([]byte(s), true)
	}
	switch name {
	case "write", "append", "print", "leftShift":
		if len(args) == 0 {
			return nil, false, nil
		}
		var err error
		switch x := args[0].(type) {
		case []byte:
			if w.closed {
				return nil, true, newExc("java.io.IOException", "Stream closed")
			}
			err = w.f.write(x, true)
		case int32:
			if name == "write" {
				err = put(string(rune(x)))
			} else {
				err = put(r.display(x))
			}
		default:
			err = put(r.display(args[0]))
		}
		if name == "append" || name == "leftShift" {
			return w, true, err
		}
		return nil, true, err
	case "println":
		s := "\n"
		if len(args) == 1 {
			s = r.display(args[0]) + "\n"
		}
		return nil, true, put(s)
	case "newLine":
		return nil, true, put("\n")
	case "printf", "format":
		s, err := javaFormat(r, r.toStr(args[0]), args[1:])
		if err != nil {
			return nil, true, err
		}
		return w, true, put(s)
	case "flush":
		return nil, true, nil
	case "close":
		w.closed = true
		return nil, true, nil
	}
	return nil, false, nil
}

// reader is FileReader/BufferedReader/Scanner over a file read at open.
type reader struct {
	lines []any
	text  string
	pos   int
	off   int
}

func (rd *reader) javaClass() string { return "java.io.BufferedReader" }
func (rd *reader) close() error      { return nil }
func (rd *reader) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "readLine", "nextLine":
		if rd.pos >= len(rd.lines) {
			if name == "nextLine" {
				return nil, true, newExc("java.util.NoSuchElementException", "No line found")
			}
			return nil, true, nil
		}
		l := rd.lines[rd.pos]
		rd.pos++
		return l, true, nil
	case "hasNextLine", "ready":
		return rd.pos < len(rd.lines), true, nil
	case "read":
		if rd.off >= len(rd.text) {
			return int32(-1), true, nil
		}
		c := rd.text[rd.off]
		rd.off++
		return int32(c), true, nil
	case "lines", "readLines":
		out := &List{S: append([]any(nil), rd.lines[rd.pos:]...)}
		rd.pos = len(rd.lines)
		return out, true, nil
	case "getText":
		return rd.text, true, nil
	case "close":
		return nil, true, nil
	case "eachLine":
		for _, l := range rd.lines[rd.pos:] {
			if _, err := r.call(args[0], l); err != nil {
				return nil, true, err
			}
		}
		rd.pos = len(rd.lines)
		return nil, true, nil
	}
	return nil, false, nil
}

func (r *runner) fileArg(v any) (*fileObj, error) {
	switch x := v.(type) {
	case *fileObj:
		return x, nil
	case string:
		return r.newFile(x), nil
	case *writer:
		return x.f, nil
	case nil:
		return nil, newExc("java.lang.NullPointerException", "file is null")
	}
	return nil, newExc("java.lang.IllegalArgumentException", "not a file: "+javaClassName(v))
}

func init() {
	register(&class{name: "java.io.File", is: isAny[*fileObj],
		fields: map[string]any{"separator": "/", "pathSeparator": ":"},
		ctor: func(r *runner, args []any) (any, error) {
			switch len(args) {
			case 1:
				return r.fileArg(args[0])
			case 2:
				parent := ""
				if pf, ok := args[0].(*fileObj); ok {
					parent = pf.path
				} else if args[0] != nil {
					parent = r.toStr(args[0])
				}
				return r.newFile(filepath.Join(parent, r.toStr(args[1]))), nil
			}
			return nil, argN(args, 1, "new File")
		}})
	openReader := func(r *runner, args []any) (any, error) {
		if len(args) < 1 {
			return nil, argN(args, 1, "new FileReader")
		}
		if rd, ok := args[0].(*reader); ok {
			return rd, nil
		}
		f, err := r.fileArg(args[0])
		if err != nil {
			return nil, err
		}
		b, err := f.read(r)
		if err != nil {
			return nil, err
		}
		return &reader{lines: splitLines(string(b)), text: string(b)}, nil
	}
	for _, n := range []string{"java.io.FileReader", "java.io.BufferedReader", "java.io.InputStreamReader", "java.io.FileInputStream", "java.util.Scanner"} {
		register(&class{name: n, ctor: openReader, is: isAny[*reader]})
	}
	openWriter := func(class string) staticFn {
		return func(r *runner, args []any) (any, error) {
			if len(args) < 1 {
				return nil, argN(args, 1, "new "+class)
			}
			if w, ok := args[0].(*writer); ok {
				return &writer{f: w.f, class: class}, nil
			}
			f, err := r.fileArg(args[0])
			if err != nil {
				return nil, err
			}
			appendTo := len(args) == 2 && isAny[bool](args[1]) && args[1].(bool)
			if err := f.write(nil, appendTo); err != nil {
				return nil, err
			}
			return &writer{f: f, class: class}, nil
		}
	}
	for _, n := range []string{"java.io.FileWriter", "java.io.BufferedWriter", "java.io.PrintWriter", "java.io.FileOutputStream",
		"java.io.PrintStream", "java.io.OutputStreamWriter", "java.io.BufferedOutputStream"} {
		register(&class{name: n, ctor: openWriter(n), is: isAny[*writer]})
	}
	pathOf := func(r *runner, args []any) (any, error) {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = r.toStr(a)
		}
		return r.newFile(filepath.Join(parts...)), nil
	}
	register(&class{name: "java.nio.file.Paths", statics: map[string]staticFn{"get": pathOf}})
	register(&class{name: "java.nio.file.Path", is: isAny[*fileObj], statics: map[string]staticFn{"of": pathOf}})
	register(&class{name: "java.nio.file.StandardOpenOption", fields: map[string]any{"APPEND": "APPEND", "CREATE": "CREATE", "TRUNCATE_EXISTING": "TRUNCATE_EXISTING", "WRITE": "WRITE"}})
	register(&class{name: "java.nio.file.Files", statics: map[string]staticFn{
		"readAllLines": func(r *runner, args []any) (any, error) {
			f, err := r.fileArg(args[0])
			if err != nil {
				return nil, err
			}
			b, err := f.read(r)
			if err != nil {
				return nil, newExc("java.nio.file.NoSuchFileException", f.path)
			}
			return &List{S: splitLines(string(b))}, nil
		},
		"readString": func(r *runner, args []any) (any, error) {
			f, err := r.fileArg(args[0])
			if err != nil {
				return nil, err
			}
			b, err := f.read(r)
			if err != nil {
				return nil, newExc("java.nio.file.NoSuchFileException", f.path)
			}
			return string(b), nil
		},
		"readAllBytes": func(r *runner, args []any) (any, error) {
			f, err := r.fileArg(args[0])
			if err != nil {
				return nil, err
			}
			b, err := f.read(r)
			if err != nil {
				return nil, newExc("java.nio.file.NoSuchFileException", f.path)
			}
			return b, nil
		},
		"exists": func(r *runner, args []any) (any, error) {
			f, err := r.fileArg(args[0])
			if err != nil {
				return nil, err
			}
			_, serr := os.Stat(f.abs)
			return serr == nil, nil
		},
		"write": func(r *runner, args []any) (any, error) {
			if len(args) < 2 {
				return nil, argN(args, 2, "Files.write")
			}
			f, err := r.fileArg(args[0])
			if err != nil {
				return nil, err
			}
			var b []byte
			switch x := args[1].(type) {
			case []byte:
				b = x
			case *List:
				var sb strings.Builder
				for _, l := range x.S {
					sb.WriteString(r.toStr(l) + "\n")
				}
				b = []byte(sb.String())
			default:
				b = []byte(r.toStr(x))
			}
			appendTo := false
			for _, o := range args[2:] {
				if o == "APPEND" {
					appendTo = true
				}
			}
			return f, f.write(b, appendTo)
		},
		"delete": func(r *runner, args []any) (any, error) {
			f, err := r.fileArg(args[0])
			if err != nil {
				return nil, err
			}
			if err := os.Remove(f.abs); err != nil {
				return nil, ioErr(err, f.path)
			}
			return nil, nil
		},
		"createDirectories": func(r *runner, args []any) (any, error) {
			f, err := r.fileArg(args[0])
			if err != nil {
				return nil, err
			}
			return f, os.MkdirAll(f.abs, 0o755)
		},
	}})
	registry["java.nio.file.Files"].statics["writeString"] = registry["java.nio.file.Files"].statics["write"]
}
