//go:build !amd64

package read

import "unsafe"

// prefetch and prefetch3 do nothing on this architecture (see
// prefetch_amd64.go).
func prefetch(unsafe.Pointer)          {}
func prefetch3(_, _, _ unsafe.Pointer) {}
