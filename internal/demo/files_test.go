package demo

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"testing"
)

// TestDemoPDF checks the hand-made PDF's structure: every offset of the
// cross-reference table points at its object, and startxref at the table.
func TestDemoPDF(t *testing.T) {
	t.Parallel()
	b := demoPDF([]string{"DEMO (fictional) \\ test"})
	m := regexp.MustCompile(`startxref\n([0-9]+)\n%%EOF\n$`).FindSubmatch(b)
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) || m == nil {
		t.Fatalf("no header or trailer:\n%s", b)
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[xref:], []byte("xref\n0 6\n")) {
		t.Fatalf("startxref %d points at %q", xref, b[xref:min(len(b), xref+20)])
	}
	entries := regexp.MustCompile(`([0-9]{10}) 00000 n \n`).FindAllSubmatch(b[xref:], -1)
	if len(entries) != 5 {
		t.Fatalf("%d xref entries, want 5", len(entries))
	}
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if want := fmt.Sprintf("%d 0 obj\n", i+1); !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Errorf("object %d: offset %d points at %q", i+1, off, b[off:off+10])
		}
	}
	if !bytes.Contains(b, []byte(`(DEMO \(fictional\) \\ test) Tj`)) {
		t.Errorf("the line is not escaped:\n%s", b)
	}
}

func TestDemoPNG(t *testing.T) {
	t.Parallel()
	b, err := demoPNG(color.RGBA{255, 255, 255, 255})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() < 100 {
		t.Fatalf("decode: %v", err)
	}
}
