package specverify

import (
	"archive/zip"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// kind is what a name of the bundle is, per "The bundle's files".
type kind int

const (
	kManifest kind = iota + 1
	kVerifyTxt
	kVKey
	kCheckpoint
	kItemsDir
	kItemDir
	kDocument
	kItemJSON
	kItemEventsDir
	kItemEvent
	kItemProof
	kCaseDir
	kCaseEventsDir
	kCaseEvent
	kCaseProof
)

func (k kind) isDir() bool {
	switch k {
	case kItemsDir, kItemDir, kItemEventsDir, kCaseDir, kCaseEventsDir:
		return true
	}
	return false
}

// inManifest: the files marked "yes" in the table (item events: all but
// the export event, decided per item).
func (k kind) inManifest() bool {
	switch k {
	case kVerifyTxt, kVKey, kDocument, kItemJSON, kItemEvent, kCaseEvent:
		return true
	}
	return false
}

type entry struct {
	name  string
	kind  kind
	item  int   // for item kinds
	index int64 // for event and proof kinds
	fi    fs.FileInfo
	zf    *zip.File
}

// classify parses a slash-separated name of the bundle. It returns the
// entry, or why the name is not one the specification allows.
func classify(name string, dir bool) (*entry, string) {
	parts := strings.Split(name, "/")
	e := &entry{name: name}
	switch len(parts) {
	case 1:
		switch name {
		case "MANIFEST":
			e.kind = kManifest
		case "VERIFY.txt":
			e.kind = kVerifyTxt
		case "log.vkey":
			e.kind = kVKey
		case "checkpoint":
			e.kind = kCheckpoint
		case "items":
			e.kind = kItemsDir
		case "case":
			e.kind = kCaseDir
		}
	case 2:
		if parts[0] == "items" {
			if n, ok := parseItemNumber(parts[1]); ok {
				e.kind, e.item = kItemDir, n
			}
		} else if name == "case/events" {
			e.kind = kCaseEventsDir
		}
	case 3:
		if parts[0] == "items" {
			n, ok := parseItemNumber(parts[1])
			if !ok {
				break
			}
			e.item = n
			switch parts[2] {
			case "document":
				e.kind = kDocument
			case "item.json":
				e.kind = kItemJSON
			case "events":
				e.kind = kItemEventsDir
			}
		} else if parts[0] == "case" && parts[1] == "events" {
			if i, ext, ok := parseEventName(parts[2]); ok {
				e.index = i
				e.kind = map[string]kind{"event": kCaseEvent, "proof": kCaseProof}[ext]
			}
		}
	case 4:
		if parts[0] == "items" && parts[2] == "events" {
			n, ok := parseItemNumber(parts[1])
			if !ok {
				break
			}
			if i, ext, ok := parseEventName(parts[3]); ok {
				e.item, e.index = n, i
				e.kind = map[string]kind{"event": kItemEvent, "proof": kItemProof}[ext]
			}
		}
	}
	if e.kind == 0 {
		return nil, "is not a name a bundle may hold"
	}
	if e.kind.isDir() != dir {
		if dir {
			return nil, "is a folder, it must be a file"
		}
		return nil, "is a file, it must be a folder"
	}
	return e, ""
}

// parseItemNumber: NNNN, four digits (0001 … 9999, then 10000), from 1.
func parseItemNumber(s string) (int, bool) {
	if len(s) < 4 || len(s) > 9 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || fmt.Sprintf("%04d", n) != s {
		return 0, false
	}
	return n, true
}

// parseEventName: I.event or I.proof, I decimal without leading zeros, a
// log index (it must fit an int64, as tree sizes do).
func parseEventName(s string) (int64, string, bool) {
	base, ext, ok := strings.Cut(s, ".")
	if !ok || (ext != "event" && ext != "proof") || !isDecimal(base) {
		return 0, "", false
	}
	i, err := strconv.ParseInt(base, 10, 64)
	if err != nil {
		return 0, "", false
	}
	return i, ext, true
}

// bundle gives access to the names and files of a directory or zip bundle.
type bundle struct {
	dir     string
	zr      *zip.ReadCloser
	entries map[string]*entry
	small   map[string][]byte
	hashes  map[string]streamHash
}

type streamHash struct {
	sum  [32]byte
	size int64
	err  error
}

func (b *bundle) close() {
	if b.zr != nil {
		b.zr.Close()
	}
}

// openBundle lists the bundle and checks every name; nil if it cannot be read at all.
func openBundle(path string, c *checker) *bundle {
	fi, err := os.Stat(path)
	if err != nil {
		c.addf("cannot read the bundle: %v", err)
		return nil
	}
	b := &bundle{entries: map[string]*entry{}, small: map[string][]byte{}, hashes: map[string]streamHash{}}
	switch {
	case fi.IsDir():
		b.dir = path
		b.walkDir(c, "", map[string]string{})
	case fi.Mode().IsRegular():
		zr, err := zip.OpenReader(path)
		if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
			c.addf("cannot read the bundle as a zip file: %v", err)
			return nil
		}
		if err != nil {
			c.addf("the zip file holds an insecure name (absolute, \"..\", or a backslash)")
		}
		b.zr = zr
		b.listZip(c)
	default:
		c.addf("the bundle is neither a directory nor a zip file")
		return nil
	}
	return b
}

// walkDir lists the folder rel (slash-separated, "" for the root), refusing
// symbolic links, non-regular files, non-ASCII names, names that differ only
// in letter case, and every name the specification does not allow. It only
// descends into allowed folders. lower maps lower-cased full names seen.
func (b *bundle) walkDir(c *checker, rel string, lower map[string]string) {
	full := b.dir
	if rel != "" {
		full = filepath.Join(b.dir, filepath.FromSlash(rel))
	}
	des, err := os.ReadDir(full)
	if err != nil {
		c.addf("%s: cannot list the folder: %v", rel, err)
		return
	}
	for _, de := range des {
		if len(b.entries) >= maxEntries {
			c.addf("the bundle holds more than %d names", maxEntries)
			return
		}
		nm := de.Name()
		p := nm
		if rel != "" {
			p = rel + "/" + nm
		}
		if !isPrintableASCII(nm) {
			c.addf("%s: the name is not printable ASCII", p)
			continue
		}
		if other, ok := lower[strings.ToLower(p)]; ok {
			c.addf("%s and %s differ only in letter case", other, p)
			continue
		}
		lower[strings.ToLower(p)] = p
		fi, err := os.Lstat(filepath.Join(full, nm))
		if err != nil {
			c.addf("%s: %v", p, err)
			continue
		}
		mode := fi.Mode()
		var dir bool
		switch {
		case mode&fs.ModeSymlink != 0:
			c.addf("%s is a symbolic link", p)
			continue
		case mode.IsDir():
			dir = true
		case mode.IsRegular():
		default:
			c.addf("%s is not a regular file or a folder (%v)", p, mode.Type())
			continue
		}
		e, why := classify(p, dir)
		if e == nil {
			c.addf("%s %s", p, why)
			continue
		}
		e.fi = fi
		b.entries[p] = e
		if dir {
			b.walkDir(c, p, lower)
		}
	}
}

// listZip lists a zip bundle: names must be relative, '/'-separated, clean,
// printable ASCII, once each; entries stored or deflated, not encrypted,
// regular files or folders. Folders may be explicit entries or implied.
func (b *bundle) listZip(c *checker) {
	if len(b.zr.File) > maxEntries {
		c.addf("the zip file holds more than %d entries", maxEntries)
		return
	}
	lower := map[string]string{}
	explicit := map[string]bool{} // names given by an entry
	for _, zf := range b.zr.File {
		name := zf.Name
		if !isPrintableASCII(name) {
			c.addf("zip entry %s: the name is not printable ASCII", name)
			continue
		}
		if strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || filepath.IsAbs(name) || len(name) > 1 && name[1] == ':' {
			c.addf("zip entry %s: absolute name or backslash", name)
			continue
		}
		dir := strings.HasSuffix(name, "/")
		base := strings.TrimSuffix(name, "/")
		bad := base == ""
		for _, part := range strings.Split(base, "/") {
			if part == "" || part == "." || part == ".." {
				bad = true
			}
		}
		if bad {
			c.addf("zip entry %s: the name is not clean (empty, \".\" or \"..\" part)", name)
			continue
		}
		mode := zf.Mode()
		switch {
		case mode&fs.ModeSymlink != 0:
			c.addf("zip entry %s is a symbolic link", name)
			continue
		case mode.Type()&^fs.ModeDir != 0:
			c.addf("zip entry %s is not a regular file or a folder (%v)", name, mode.Type())
			continue
		case mode.IsDir() != dir:
			c.addf("zip entry %s: folder flag and name disagree", name)
			continue
		}
		if zf.Flags&0x1 != 0 {
			c.addf("zip entry %s is encrypted", name)
			continue
		}
		if zf.Method != zip.Store && zf.Method != zip.Deflate {
			c.addf("zip entry %s: compression method %d is neither stored nor deflated", name, zf.Method)
			continue
		}
		if dir && (zf.UncompressedSize64 != 0 || zf.CompressedSize64 != 0) {
			c.addf("zip entry %s is a folder with content", name)
			continue
		}
		if explicit[base] {
			c.addf("zip entry %s appears more than once", base)
			continue
		}
		explicit[base] = true
		if other, ok := lower[strings.ToLower(base)]; ok && other != base {
			c.addf("%s and %s differ only in letter case", other, base)
			continue
		}
		lower[strings.ToLower(base)] = base
		e, why := classify(base, dir)
		if e == nil {
			c.addf("%s %s", base, why)
			continue
		}
		if !dir {
			e.zf = zf
		}
		if old, ok := b.entries[base]; ok {
			// An implied folder met its explicit entry: fine if both are folders.
			if !(old.kind.isDir() && e.kind.isDir()) {
				c.addf("%s is both a file and a folder", base)
			}
			continue
		}
		b.entries[base] = e
		// Imply the parent folders.
		for p := pathDir(base); p != ""; p = pathDir(p) {
			if old, ok := b.entries[p]; ok {
				if !old.kind.isDir() {
					c.addf("%s is both a file and a folder", p)
				}
				continue
			}
			pe, why := classify(p, true)
			if pe == nil {
				// Cannot happen for a valid child, but be safe.
				c.addf("%s %s", p, why)
				break
			}
			b.entries[p] = pe
			if other, ok := lower[strings.ToLower(p)]; ok && other != p {
				c.addf("%s and %s differ only in letter case", other, p)
			}
			lower[strings.ToLower(p)] = p
		}
	}
}

func pathDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}

var errChanged = errors.New("the file changed while the bundle was read")

// open opens a file of the bundle. In a directory it checks that the file
// opened is the one listed (no symbolic link or other file swapped in).
func (b *bundle) open(e *entry) (io.ReadCloser, error) {
	if b.zr != nil {
		if e.zf == nil {
			return nil, errors.New("not a file")
		}
		return e.zf.Open()
	}
	f, err := os.Open(filepath.Join(b.dir, filepath.FromSlash(e.name)))
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() || e.fi == nil || !os.SameFile(fi, e.fi) {
		f.Close()
		return nil, errChanged
	}
	return f, nil
}

// read returns a file's bytes, read once and at most limit bytes.
func (b *bundle) read(e *entry, limit int64) ([]byte, error) {
	if data, ok := b.small[e.name]; ok {
		return data, nil
	}
	r, err := b.open(e)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	b.small[e.name] = data
	return data, nil
}

// hash returns a large file's SHA-256 and size, streaming it once.
func (b *bundle) hash(e *entry) ([32]byte, int64, error) {
	if h, ok := b.hashes[e.name]; ok {
		return h.sum, h.size, h.err
	}
	var h streamHash
	r, err := b.open(e)
	if err == nil {
		hh := sha256.New()
		h.size, err = io.Copy(hh, r)
		r.Close()
		copy(h.sum[:], hh.Sum(nil))
	}
	h.err = err
	b.hashes[e.name] = h
	return h.sum, h.size, h.err
}

// sortedNames returns the names of the entries, sorted.
func (b *bundle) sortedNames() []string {
	names := make([]string, 0, len(b.entries))
	for n := range b.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
