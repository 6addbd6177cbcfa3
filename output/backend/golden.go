package backend

import (
	"encoding/json"
	"os"
)

// Golden is what JMeter 5.6.3's backend listeners sent during one run of a
// plan (testdata/backend): every HTTP write in arrival order and every byte
// received on the Graphite port. The regen command records it.
type Golden struct {
	Writes   []Write `json:"writes"`
	Graphite string  `json:"graphite"`
}

// Write is one HTTP request a metrics sender made.
type Write struct {
	Method        string `json:"method"`
	URL           string `json:"url"` // path and query
	ContentType   string `json:"contentType"`
	UserAgent     string `json:"userAgent"`
	Authorization string `json:"authorization,omitempty"`
	Body          string `json:"body"`
}

// ReadGolden reads a golden file.
func ReadGolden(path string) (*Golden, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var g Golden
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, err
	}
	return &g, nil
}

// WriteGolden writes a golden file.
func WriteGolden(path string, g *Golden) error {
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
