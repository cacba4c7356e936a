package btyd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// Params is an ordered parameter name → value map; it marshals to a JSON
// object in model order ({"r": …, "alpha": …, "a": …, "b": …}).
type Params struct {
	Names  []string
	Values []float64
}

// MarshalJSON writes the parameters in order.
func (p Params) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, n := range p.Names {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(n)
		v, err := json.Marshal(p.Values[i])
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", n, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads a JSON object of numbers (in any order).
func (p *Params) UnmarshalJSON(b []byte) error {
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	p.Names, p.Values = nil, nil
	for k, v := range m {
		p.Names = append(p.Names, k)
		p.Values = append(p.Values, v)
	}
	return nil
}

// Get returns the value named name.
func (p Params) Get(name string) (float64, bool) {
	for i, n := range p.Names {
		if n == name {
			return p.Values[i], true
		}
	}
	return 0, false
}

// Saved is a fitted model as clv fit --save writes it and clv predict --model
// reads it: the JSON form of a Result with its time unit and as-of day.
type Saved struct {
	Model         string  `json:"model"`
	Params        Params  `json:"params"`
	SE            *Params `json:"se"`
	LogLikelihood float64 `json:"log_likelihood"`
	Customers     int64   `json:"customers"`
	UniqueRows    int     `json:"unique_rows"`
	Excluded      int     `json:"excluded,omitempty"`
	Iterations    int     `json:"iterations"`
	Starts        int     `json:"starts"`
	Converged     bool    `json:"converged"`
	Status        string  `json:"status"`
	Unit          string  `json:"unit"`
	AsOf          string  `json:"as_of,omitempty"`
	Penalizer     float64 `json:"penalizer"`
}

// NewSaved describes res, fitted with time in unit ("week", ...) at asOf.
func NewSaved(res *Result, unit, asOf string) *Saved {
	s := &Saved{
		Model: res.Model, Params: Params{res.Names, res.Params},
		LogLikelihood: res.LogLikelihood, Customers: int64(res.Customers), UniqueRows: res.Unique,
		Excluded: res.Excluded, Iterations: res.Iterations, Starts: res.Starts, Converged: res.Converged,
		Status: res.Status, Unit: unit, AsOf: asOf, Penalizer: res.Penalizer,
	}
	if res.HasSE {
		s.SE = &Params{res.Names, res.SE}
	}
	return s
}

// ReadSaved decodes a saved model and checks that it names a known model
// with every parameter finite.
func ReadSaved(r io.Reader) (*Saved, error) {
	var s Saved
	dec := json.NewDecoder(r)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("not a model file: %w", err)
	}
	if ParamNames(s.Model) == nil {
		return nil, fmt.Errorf("unknown model %q", s.Model)
	}
	if _, err := s.Values(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Values returns the parameters in the model's canonical order.
func (s *Saved) Values() ([]float64, error) {
	names := ParamNames(s.Model)
	if names == nil {
		return nil, fmt.Errorf("unknown model %q", s.Model)
	}
	out := make([]float64, len(names))
	for i, n := range names {
		v, ok := s.Params.Get(n)
		if !ok {
			return nil, fmt.Errorf("%s model has no parameter %q", s.Model, n)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			return nil, fmt.Errorf("%s model: parameter %s = %v (want a finite positive number)", s.Model, n, v)
		}
		out[i] = v
	}
	return out, nil
}

// Counter returns the count model of a saved BG/NBD-family model.
func (s *Saved) Counter() (Counter, error) {
	v, err := s.Values()
	if err != nil {
		return nil, err
	}
	return NewCounter(s.Model, v)
}
