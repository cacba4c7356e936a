//go:build unix

package render

import (
	"os"
	"syscall"
)

// readOnly reports whether the existing file at path may not be replaced
// without --force: no write permission bit is set (this catches a 0444 file
// even for root, who may write anything), or this user cannot write it.
func readOnly(path string, fi os.FileInfo) bool {
	if fi.Mode().Perm()&0o222 == 0 {
		return true
	}
	const wOK = 2 // access(2) W_OK
	return syscall.Access(path, wOK) != nil
}

// keepOwner gives the temporary file f the owner and group of the file it
// replaces, where the process may (root, or the group for a group member);
// failures leave the process's own ids, as a new file would have.
func keepOwner(f *os.File, old os.FileInfo) {
	st, ok := old.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	if f.Chown(int(st.Uid), int(st.Gid)) != nil {
		f.Chown(-1, int(st.Gid)) //nolint:errcheck // best effort, see above
	}
}
