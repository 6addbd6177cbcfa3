// Package javahash reproduces the iteration order of Java's HashMap and
// ConcurrentHashMap (Java 8 and later, as in the Java 17 JMeter 5.6.3 runs
// on). JMeter's backend listeners write one line per map entry in that
// order, so matching JMeter's output line for line needs the same order.
// Only keys are tracked; callers keep their values in an ordinary map.
// Tree bins (eight or more colliding keys in one bucket) are not modelled:
// such keys keep insertion order within their bucket.
package javahash

import "unicode/utf16"

// String is Java's String.hashCode (over UTF-16 code units).
func String(s string) int32 {
	var h int32
	for _, r := range s {
		if r >= 0x10000 {
			a, b := utf16.EncodeRune(r)
			h = 31*h + int32(a)
			h = 31*h + int32(b)
			continue
		}
		h = 31*h + int32(r)
	}
	return h
}

type node[K comparable] struct {
	key  K
	hash int32
}

// HashMap tracks a java.util.HashMap's keys in its iteration order.
type HashMap[K comparable] struct {
	hash      func(K) int32
	table     [][]node[K]
	threshold int
	size      int
}

// NewHashMap is new HashMap<>(initialCapacity); initialCapacity < 0 means
// the no-argument constructor.
func NewHashMap[K comparable](initialCapacity int, hash func(K) int32) *HashMap[K] {
	m := &HashMap[K]{hash: hash}
	if initialCapacity >= 0 {
		m.threshold = tableSizeFor(initialCapacity)
	}
	return m
}

func tableSizeFor(c int) int {
	n := 1
	for n < c {
		n <<= 1
	}
	return n
}

func spread(h int32) int32 { return h ^ int32(uint32(h)>>16) }

// Put adds k if absent and reports whether it was added.
func (m *HashMap[K]) Put(k K) bool {
	if m.table == nil {
		c := m.threshold
		if c == 0 {
			c = 16
		}
		m.table = make([][]node[K], c)
		m.threshold = c * 3 / 4
	}
	h := spread(m.hash(k))
	i := int(h) & (len(m.table) - 1)
	for _, n := range m.table[i] {
		if n.hash == h && n.key == k {
			return false
		}
	}
	m.table[i] = append(m.table[i], node[K]{k, h})
	m.size++
	if m.size > m.threshold {
		m.resize()
	}
	return true
}

// resize doubles the table; HashMap splits each bucket keeping order.
func (m *HashMap[K]) resize() {
	old := m.table
	n := len(old)
	t := make([][]node[K], 2*n)
	for i, bin := range old {
		for _, e := range bin {
			j := i
			if int(e.hash)&n != 0 {
				j = i + n
			}
			t[j] = append(t[j], e)
		}
	}
	m.table = t
	m.threshold = 2 * n * 3 / 4
}

// Clear removes every key; like HashMap.clear it keeps the table's size.
func (m *HashMap[K]) Clear() {
	for i := range m.table {
		m.table[i] = m.table[i][:0]
	}
	m.size = 0
}

// Len is the number of keys.
func (m *HashMap[K]) Len() int { return m.size }

// Keys appends the keys to dst in the map's iteration order.
func (m *HashMap[K]) Keys(dst []K) []K {
	for _, bin := range m.table {
		for _, e := range bin {
			dst = append(dst, e.key)
		}
	}
	return dst
}

// ConcurrentMap tracks a java.util.concurrent.ConcurrentHashMap's keys
// (created with the no-argument constructor) in its iteration order.
type ConcurrentMap[K comparable] struct {
	hash    func(K) int32
	table   [][]node[K]
	sizeCtl int
	size    int
}

// NewConcurrentMap is new ConcurrentHashMap<>().
func NewConcurrentMap[K comparable](hash func(K) int32) *ConcurrentMap[K] {
	return &ConcurrentMap[K]{hash: hash}
}

// Put adds k if absent and reports whether it was added.
func (m *ConcurrentMap[K]) Put(k K) bool {
	if m.table == nil {
		m.table = make([][]node[K], 16)
		m.sizeCtl = 12
	}
	h := m.hash(k)
	h = (h ^ int32(uint32(h)>>16)) & 0x7fffffff
	i := int(h) & (len(m.table) - 1)
	for _, n := range m.table[i] {
		if n.hash == h && n.key == k {
			return false
		}
	}
	m.table[i] = append(m.table[i], node[K]{k, h})
	m.size++
	for m.size >= m.sizeCtl {
		m.transfer()
	}
	return true
}

// transfer doubles the table as ConcurrentHashMap does: in each bin the
// trailing run of nodes bound for the same half is reused as is, and the
// nodes before it are prepended one by one (so their order reverses).
func (m *ConcurrentMap[K]) transfer() {
	old := m.table
	n := len(old)
	t := make([][]node[K], 2*n)
	for i, bin := range old {
		if len(bin) == 0 {
			continue
		}
		last := 0
		runBit := int(bin[0].hash) & n
		for j := 1; j < len(bin); j++ {
			if b := int(bin[j].hash) & n; b != runBit {
				runBit, last = b, j
			}
		}
		var lo, hi []node[K]
		for j := last - 1; j >= 0; j-- { // prepending in order = appending in reverse
			if int(bin[j].hash)&n == 0 {
				lo = append(lo, bin[j])
			} else {
				hi = append(hi, bin[j])
			}
		}
		// Prepending p0, p1, … yields …, p1, p0 ahead of the run: the
		// reverse walk above already produced that order.
		if runBit == 0 {
			lo = append(lo, bin[last:]...)
		} else {
			hi = append(hi, bin[last:]...)
		}
		t[i], t[i+n] = lo, hi
	}
	m.table = t
	m.sizeCtl = 2*n - n/2
}

// Len is the number of keys.
func (m *ConcurrentMap[K]) Len() int { return m.size }

// Keys appends the keys to dst in the map's iteration order.
func (m *ConcurrentMap[K]) Keys(dst []K) []K {
	for _, bin := range m.table {
		for _, e := range bin {
			dst = append(dst, e.key)
		}
	}
	return dst
}
