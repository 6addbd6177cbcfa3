package functions

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gometer/gometer/internal/fifo"
)

// Shared holds state that stateful functions keep for the whole run and all
// users (the global __counter, files read by __CSVRead and __StringFromFile,
// expressions compiled at run time …). Each entry is keyed by its call site
// or file, as JMeter keeps it per function instance or per file. Lookups on
// the per-sample path are lock-free (sync.Map); mu only serialises loading.
type Shared struct {
	mu sync.Mutex

	counters   sync.Map // __counter(FALSE): *callSite → *atomic.Int64
	csv        sync.Map // __CSVRead: file name or *alias → *csvFile
	lines      sync.Map // __StringFromFile: lineKey → *lineReader
	files      sync.Map // __FileToString: name+encoding → fileContents
	exprs      sync.Map // expressions compiled at run time: exprKey → exprEntry
	scripts    sync.Map // script function texts compiled at run time: scriptKey → scriptCall
	exprCount  atomic.Int64
	writeLocks sync.Map // __StringToFile: path → *sync.Mutex
	xpaths     sync.Map // __XPath: file+expression → *xpathFile
	tst        sync.Map // __tstFeedback: *callSite → *tstFeedbackState

	// MaxDataFile is the largest file the file functions read (bytes; 0:
	// datafile.DefaultMax). Set it before the run.
	MaxDataFile int64
	// RegexTimeout is the budget of one backtracking regex match inside
	// script functions (0: jregex's default; < 0: none). Set it before the
	// run.
	RegexTimeout time.Duration

	hostName, hostIP string // __machineName, __machineIP (under mu)

	fifoOnce sync.Once
	fifos    *fifo.Map // Inter-Thread Communication queues (Fifos)
}

// Fifos returns the run's Inter-Thread Communication queues, made on first
// use; a new queue's capacity is the property fifo.PropCapacity of props
// (nil: unbounded).
func (s *Shared) Fifos(props *Properties) *fifo.Map {
	s.fifoOnce.Do(func() {
		s.fifos = fifo.New(func() int {
			if props == nil {
				return 0
			}
			v, ok := props.Get(fifo.PropCapacity)
			if !ok {
				return 0
			}
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
			if err != nil {
				return 0
			}
			return int(n)
		})
	})
	return s.fifos
}

// NewShared returns empty run-wide function state.
func NewShared() *Shared { return &Shared{} }

// nextCounter increments and returns the global counter of one call site.
func (s *Shared) nextCounter(key any) int64 {
	v, ok := s.counters.Load(key)
	if !ok {
		v, _ = s.counters.LoadOrStore(key, new(atomic.Int64))
	}
	return v.(*atomic.Int64).Add(1)
}
