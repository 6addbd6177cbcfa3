package sampler

// HTTPState is a virtual user's HTTP state: its connections, cookie jar,
// cache and DNS cache. The HTTP sampler fills it in.
type HTTPState struct{}
