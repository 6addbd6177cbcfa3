package engine

// javaRandom is java.util.Random's linear congruential generator. A Random
// Variable with a seed must give the numbers JMeter gives for that seed, so
// plans that rely on a reproducible sequence see the same values.
type javaRandom struct{ seed int64 }

const (
	javaRandMultiplier = 0x5DEECE66D
	javaRandMask       = (1 << 48) - 1
)

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ javaRandMultiplier) & javaRandMask}
}

func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*javaRandMultiplier + 0xB) & javaRandMask
	return int32(r.seed >> (48 - bits))
}

// nextInt is Random.nextInt(bound) for bound > 0.
func (r *javaRandom) nextInt(bound int32) int32 {
	x := r.next(31)
	m := bound - 1
	if bound&m == 0 { // a power of two
		return int32((int64(bound) * int64(x)) >> 31)
	}
	for u := x; ; u = r.next(31) {
		x = u % bound
		if u-x+m >= 0 { // Java's int overflow test rejects the biased tail
			return x
		}
	}
}

// nextDouble is Random.nextDouble: 53 random bits in [0, 1).
func (r *javaRandom) nextDouble() float64 {
	hi := int64(r.next(26))
	lo := int64(r.next(27))
	return float64(hi<<27+lo) * (1.0 / (1 << 53))
}
