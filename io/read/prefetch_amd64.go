package read

import "unsafe"

// prefetch asks the processor to load the cache line at p into its caches,
// without waiting for it: a hint, with no effect on what the program
// computes. prefetch3 does so for three lines.
//
//go:noescape
func prefetch(p unsafe.Pointer)

//go:noescape
func prefetch3(a, b, c unsafe.Pointer)
