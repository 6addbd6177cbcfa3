package jsonpath

import (
	"errors"
	"strings"

	"sigs.k8s.io/yaml"
)

// FromYAML is the jmeter-plugins JSON utilities' YAML input (INPUT_FORMAT
// YAML): the document read as YAML and written as JSON, for the same
// JSONPath evaluation. As in the plugin, the document must be a mapping.
func FromYAML(text string) (string, error) {
	j, err := yaml.YAMLToJSON([]byte(text))
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(strings.TrimSpace(string(j)), "{") {
		return "", errors.New("java.lang.ClassCastException: the YAML document is not a mapping")
	}
	return string(j), nil
}
