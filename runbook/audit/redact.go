package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// redactPayload masks secrets in a JSON payload and returns the text to store.
// The redactor sees the raw text first; when the text holds escapes (a secret
// written as "p\u0026ss" would slip past a plain replace) or masking broke
// the JSON, it masks every decoded string, key and number instead.
func redactPayload(fn func(string) string, payload []byte) (string, error) {
	s := string(payload)
	if fn == nil || s == "" {
		return s, nil
	}
	out := fn(s)
	if !strings.ContainsRune(s, '\\') && (out == s || isJSONObject([]byte(out))) {
		return out, nil
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("%w: payload is not JSON: %v", ErrInvalidEvent, err)
	}
	v, changed := redactValue(fn, v)
	if !changed {
		if isJSONObject([]byte(out)) {
			return out, nil
		}
		return "", fmt.Errorf("%w: masking a secret in the payload breaks its JSON", ErrInvalidEvent)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("%w: payload: %v", ErrInvalidEvent, err)
	}
	enc2 := strings.TrimRight(b.String(), "\n")
	if again := fn(enc2); isJSONObject([]byte(again)) {
		return again, nil
	}
	return enc2, nil
}

// redactValue masks secrets in every string, key and number of a decoded
// JSON value; a number that held a secret becomes the masked string.
func redactValue(fn func(string) string, v any) (any, bool) {
	switch x := v.(type) {
	case string:
		r := fn(x)
		return r, r != x
	case json.Number:
		// A one- or two-byte number is a count or an attempt: the
		// redactor leaves such short values alone in number position.
		if len(x) < 3 {
			return x, false
		}
		if r := fn(string(x)); r != string(x) {
			return r, true
		}
	case []any:
		changed := false
		for i, e := range x {
			var c bool
			x[i], c = redactValue(fn, e)
			changed = changed || c
		}
		return x, changed
	case map[string]any:
		changed := false
		out := make(map[string]any, len(x))
		for k, e := range x {
			rk := fn(k)
			re, c := redactValue(fn, e)
			changed = changed || c || rk != k
			out[rk] = re
		}
		return out, changed
	}
	return v, false
}
