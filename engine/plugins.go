package engine

import (
	"errors"
	"fmt"

	"gometer/extractor"
	"gometer/jmx"
	"gometer/sampler"
)

// handledElsewhere classifies classes that other packages implement.
func handledElsewhere(class string) (kind, bool) {
	if extractor.Handles(class) {
		return kPost, true
	}
	return kUnknown, false
}

// extractorPost adapts an extractor to the engine's post-processor.
type extractorPost struct{ x extractor.Extractor }

func (p extractorPost) process(u *vuser, r *sampler.Result) { p.x.Process(u.ctx, r) }

func (c *compiler) buildPost(el *jmx.Element) (postProcessor, error) {
	if extractor.Handles(el.Class()) {
		x, err := extractor.New(el)
		if err != nil {
			return nil, err
		}
		return extractorPost{x}, nil
	}
	return nil, fmt.Errorf("%w: post-processor %s", errUnsupported, el.Class())
}

func (c *compiler) buildAssertion(el *jmx.Element) (checker, error) {
	return nil, fmt.Errorf("%w: assertion %s", errUnsupported, el.Class())
}

func (c *compiler) buildOtherSampler(el *jmx.Element) (sampler.Sampler, error) {
	return nil, fmt.Errorf("%w: sampler %s", errUnsupported, el.Class())
}

var errUnsupported = errors.New("unsupported element")

// problemOrBad reports an unsupported element as a (skippable) problem and
// any other build error as a configuration error.
func (c *compiler) problemOrBad(el *jmx.Element, err error) {
	if errors.Is(err, errUnsupported) || errors.Is(err, extractor.ErrUnsupported) {
		c.problem(el, "%v", err)
		return
	}
	c.badConfig(el, err)
}
