package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
)

// The demo's documents are made here, in code, so that nothing but this
// package's text is ever shown as evidence: a PNG reading "DEMO", a
// one-page PDF and a text file. Each says it is fictional.

// glyphs are 5×7 bitmaps of the letters of "DEMO".
var glyphs = map[rune][7]string{
	'D': {"####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."},
	'E': {"#####", "#....", "#....", "####.", "#....", "#....", "#####"},
	'M': {"#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"},
	'O': {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
}

// demoPNG draws "DEMO" in block letters on paper of the given tint, inside
// a red frame: a picture that can be previewed and is plainly not a real
// document.
func demoPNG(paper color.RGBA) ([]byte, error) {
	const scale, margin, word = 8, 28, "DEMO"
	w := 2*margin + len(word)*6*scale - scale
	h := 2*margin + 7*scale
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	ink, frame := color.RGBA{90, 20, 20, 255}, color.RGBA{200, 30, 30, 255}
	for y := range h {
		for x := range w {
			c := paper
			if x < 6 || y < 6 || x >= w-6 || y >= h-6 {
				c = frame
			}
			img.SetRGBA(x, y, c)
		}
	}
	for i, r := range word {
		for row, line := range glyphs[r] {
			for col, bit := range line {
				if bit == '#' {
					fill(img, margin+(i*6+col)*scale, margin+row*scale, scale, ink)
				}
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("demo: draw a picture: %w", err)
	}
	return b.Bytes(), nil
}

// fill paints a size×size square with its top left corner at x, y.
func fill(img *image.RGBA, x, y, size int, c color.RGBA) {
	for dy := range size {
		for dx := range size {
			img.SetRGBA(x+dx, y+dy, c)
		}
	}
}

// demoPDF writes a one-page PDF showing the lines in Helvetica, by hand:
// five objects, a cross-reference table with their byte offsets, and a
// trailer. The lines must be ASCII (Helvetica's built-in encoding has no
// Cyrillic).
func demoPDF(lines []string) []byte {
	var text strings.Builder
	text.WriteString("BT /F1 13 Tf 18 TL 64 770 Td\n")
	for _, l := range lines {
		fmt.Fprintf(&text, "(%s) Tj T*\n", pdfEscape(l))
	}
	text.WriteString("ET")
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", text.Len(), text.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// pdfEscape escapes a line for a PDF string literal.
func pdfEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(s)
}
