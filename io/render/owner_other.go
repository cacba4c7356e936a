//go:build !unix

package render

import "os"

// readOnly reports whether the existing file may not be replaced without
// --force: no write permission bit is set.
func readOnly(_ string, fi os.FileInfo) bool { return fi.Mode().Perm()&0o222 == 0 }

// keepOwner does nothing where files have no Unix owner.
func keepOwner(*os.File, os.FileInfo) {}
