package java

import "sort"

// Java's HashMap, HashSet and ConcurrentHashMap iterate by bucket: the
// bucket of a key is its spread hashCode masked by the table size, keys of
// one bucket in insertion order, the table doubling past three quarters
// full. A hashed Map or set List keeps its entries in that order at all
// times (so every reader sees Java's order); LinkedHashMap, Groovy's [:]
// and LinkedHashSet keep insertion order. Not modelled: tree bins (eight
// or more keys in one bucket) and ConcurrentHashMap's bucket split order.

// hashKind says how a hashed collection grows.
type hashKind uint8

const (
	hashMapKind  hashKind = iota + 1 // java.util.HashMap / HashSet
	concHashKind                     // java.util.concurrent.ConcurrentHashMap
	propsKind                        // java.util.Properties: a ConcurrentHashMap inside since Java 9
)

// hashTable is the shape of the table behind a hashed collection; the zero
// value is an insertion-ordered collection.
type hashTable struct {
	cap  int // table size, a power of two; 0: not hashed
	kind hashKind
}

func (h hashTable) hashed() bool { return h.cap > 0 }

func bucketOf(k any, n int) int {
	x := javaHashCode(k)
	x ^= int32(uint32(x) >> 16)
	return int(x) & (n - 1)
}

// tableSizeFor is the power of two at least c (1 for c <= 1).
func tableSizeFor(c int) int {
	n := 1
	for n < c && n < 1<<30 {
		n <<= 1
	}
	return n
}

// newHashTable is the table of new HashMap(initialCapacity) (-1: no
// argument) or of new ConcurrentHashMap(initialCapacity).
func newHashTable(kind hashKind, initialCapacity int) hashTable {
	switch {
	case initialCapacity < 0:
		return hashTable{cap: 16, kind: kind}
	case kind == propsKind:
		return hashTable{cap: 16, kind: kind} // new ConcurrentHashMap(8)
	case kind == concHashKind:
		return hashTable{cap: tableSizeFor(int(1 + float64(initialCapacity)/0.75)), kind: kind}
	}
	return hashTable{cap: tableSizeFor(initialCapacity), kind: kind}
}

// copyTable is the table of new HashMap(m) for a source of size n.
func copyTable(kind hashKind, n int) hashTable {
	if n == 0 || kind != hashMapKind {
		return hashTable{cap: 16, kind: kind}
	}
	return hashTable{cap: tableSizeFor(int(float32(n)/0.75 + 1)), kind: kind}
}

// grow is called after the table gained an entry and now holds size: it
// reports whether the table doubled.
func (h *hashTable) grow(size int) bool {
	limit := h.cap * 3 / 4
	if size > limit || h.kind != hashMapKind && size >= limit {
		if h.cap < 1<<30 {
			h.cap *= 2
			return true
		}
	}
	return false
}

// insertAt is where a new key of bucket b goes in a sequence already in
// bucket order: after every key of its bucket and of lower buckets.
func insertAt(keys []any, b, n int) int {
	return sort.Search(len(keys), func(i int) bool { return bucketOf(keys[i], n) > b })
}

// hashPut places a new key (its value in the same place) in m.
func (m *Map) hashPut(k, v any) {
	m.insert(insertAt(m.keys, bucketOf(k, m.h.cap), m.h.cap), k, v)
	if m.h.grow(len(m.keys)) {
		n := m.h.cap
		idx := make([]int, len(m.keys))
		for i := range idx {
			idx[i] = i
		}
		// splitting a bucket keeps the keys' relative order
		sort.SliceStable(idx, func(a, b int) bool { return bucketOf(m.keys[idx[a]], n) < bucketOf(m.keys[idx[b]], n) })
		ks, vs := make([]any, len(idx)), make([]any, len(idx))
		for j, o := range idx {
			ks[j], vs[j] = m.keys[o], m.vals[o]
		}
		m.keys, m.vals = ks, vs
	}
}

// setAdd adds e to a set unless present and reports whether it did.
func (l *List) setAdd(e any) bool {
	if listContains(l.S, e) {
		return false
	}
	if !l.h.hashed() {
		l.S = append(l.S, e)
		return true
	}
	i := insertAt(l.S, bucketOf(e, l.h.cap), l.h.cap)
	l.S = append(l.S, nil)
	copy(l.S[i+1:], l.S[i:])
	l.S[i] = e
	if l.h.grow(len(l.S)) {
		n := l.h.cap
		sort.SliceStable(l.S, func(a, b int) bool { return bucketOf(l.S[a], n) < bucketOf(l.S[b], n) })
	}
	return true
}

// newHashSet is new HashSet(c) for c's elements.
func newHashSet(elems []any) *List {
	l := &List{set: true, h: hashTable{cap: tableSizeFor(max(int(float32(len(elems))/0.75)+1, 16)), kind: hashMapKind}}
	for _, e := range elems {
		l.setAdd(e)
	}
	return l
}
