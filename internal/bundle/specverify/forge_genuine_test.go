package specverify

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// witnessLine is a signature line by a witness's key (another name) of the
// checkpoint's text.
func witnessLine(t *testing.T, cp string) string {
	t.Helper()
	skey, _, err := note.GenerateKey(rand.Reader, "witness.example/w1")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	text := cp[:strings.LastIndex(cp, "\n\n")+1]
	signed, err := note.Sign(&note.Note{Text: text}, signer)
	if err != nil {
		t.Fatal(err)
	}
	return string(signed[len(text)+1:])
}

// genuineForgeries keep the organisation's key: the forger cannot sign.
var genuineForgeries = []forgery{
	{"title changed, MANIFEST recomputed", "description's commitment", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		editItem(t, d, k.first(), setTitle(" (forged)"))
		fixManifest(t, d)
		return true
	})},
	{"title and description commitment changed, MANIFEST recomputed", "is not item.json's description", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		editItem(t, d, k.first(), func(it *item) { it.strs["title"] = "Forged"; recomputeDescription(it) })
		fixManifest(t, d)
		return true
	})},
	{"duplicate key in item.json (the forged title last)", "twice", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		itemJSONString(t, d, k.first(), func(s string) string {
			i := strings.Index(s, "  \"kind\"")
			return s[:i] + "  \"title\": \"Forged\",\n" + s[i:]
		})
		fixManifest(t, d)
		return true
	})},
	{"duplicate identical key in item.json", "twice", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		itemJSONString(t, d, k.first(), func(s string) string {
			i := strings.Index(s, "  \"kind\"")
			j := i + strings.Index(s[i:], "\n") + 1
			return s[:j] + s[i:j] + s[j:]
		})
		fixManifest(t, d)
		return true
	})},
	{"look-alike file items/0\u043e\u043e1 (Cyrillic o)", "not printable ASCII", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		copyFile(t, d, k.first()+"/document", "items/0\u043e\u043e1")
		return true
	})},
	{"look-alike folder items/OOO1", "not a name a bundle may hold", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		copyFile(t, d, k.first()+"/document", "items/OOO1/document")
		return true
	})},
	{"DOCUMENT beside document", "letter case", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		copyFile(t, d, k.first()+"/document", k.first()+"/DOCUMENT")
		return true
	})},
	{"hidden file in an item folder", "not a name a bundle may hold", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		writeF(t, d, k.first()+"/.DS_Store", []byte("x"))
		return true
	})},
	{"extra file at the root", "not a name a bundle may hold", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		writeF(t, d, "README", []byte("trust me\n"))
		return true
	})},
	{"item number with a leading zero too many", "not a name a bundle may hold", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		copyFile(t, d, k.first()+"/document", "items/00001/document")
		return true
	})},
	{"event name with a leading zero", "not a name a bundle may hold", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		copyFile(t, d, k.export(k.first()), k.first()+"/events/0"+filepath.Base(k.export(k.first())))
		return true
	})},
	{"extra .event with its .proof", "not exactly one", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		n := k.maxIndex() + 1
		copyFile(t, d, k.export(k.first()), evName(k.first()+"/events", n))
		copyFile(t, d, k.pr(k.first(), -1), prName(k.first()+"/events", n))
		return true
	})},
	{".event without its .proof", "has no .proof", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		removeF(t, d, k.pr(k.first(), 0))
		return true
	})},
	{"the export event dropped", "0 of its events", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		removeF(t, d, k.export(k.first()), k.pr(k.first(), -1))
		return true
	})},
	{"a case event dropped, MANIFEST recomputed", "not this bundle's hash", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.caseEv) == 0 {
			return false
		}
		removeF(t, d, k.caseEvent(), strings.TrimSuffix(k.caseEvent(), ".event")+".proof")
		fixManifest(t, d)
		return true
	})},
	{"a listed event dropped, MANIFEST and item.json recomputed", "prev of", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		it := k.rich()
		if it == "" {
			return false
		}
		removeF(t, d, k.ev(it, 1), k.pr(it, 1))
		editItem(t, d, it, func(x *item) { x.events = append(x.events[:1:1], x.events[2:]...) })
		fixManifest(t, d)
		return true
	})},
	{"a whole item dropped, MANIFEST recomputed", "not this bundle's hash", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.items) < 2 {
			return false
		}
		removeF(t, d, k.items[len(k.items)-1])
		fixManifest(t, d)
		return true
	})},
	{"items renumbered with a gap", "without a gap", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		last := k.items[len(k.items)-1]
		if err := os.Rename(filepath.Join(d, last), filepath.Join(d, fmt.Sprintf("items/%04d", len(k.items)+1))); err != nil {
			t.Fatal(err)
		}
		return true
	})},
	{"non-canonical event: four digits of milliseconds", "time", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte {
			return setField(b, "time", strings.TrimSuffix(getField(b, "time"), "Z")+"0Z")
		})
		fixManifest(t, d)
		return true
	})},
	{"non-canonical event: CR before LF", "first line", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return []byte(strings.ReplaceAll(string(b), "\n", "\r\n")) })
		fixManifest(t, d)
		return true
	})},
	{"non-canonical event: no final LF", "does not end with LF", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return b[:len(b)-1] })
		fixManifest(t, d)
		return true
	})},
	{"non-canonical event: upper-case hex", "case", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "case", strings.ToUpper(getField(b, "case"))) })
		fixManifest(t, d)
		return true
	})},
	{"wrong proof index", "is not the event's log index", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		p := k.pr(k.first(), 0)
		i := k.events[k.first()][0]
		writeF(t, d, p, []byte(strings.Replace(string(readF(t, d, p)), fmt.Sprintf("index %d\n", i), fmt.Sprintf("index %d\n", i+1), 1)))
		return true
	})},
	{"two proofs swapped", "is not the event's log index", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		a, b := k.pr(k.first(), 0), k.pr(k.first(), -1)
		pa, pb := readF(t, d, a), readF(t, d, b)
		writeF(t, d, a, pb)
		writeF(t, d, b, pa)
		return true
	})},
	{"proof with an extra line", "extra line", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		p := k.pr(k.first(), 0)
		writeF(t, d, p, []byte(strings.Replace(string(readF(t, d, p)), "@v1\n", "@v1\nextra AAAA\n", 1)))
		return true
	})},
	{"proof hash in non-canonical base64 (padding bits)", "base64", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		p := k.pr(k.first(), -1)
		lines := strings.Split(string(readF(t, d, p)), "\n")
		h := lines[2]
		if len(h) != 44 {
			return false
		}
		const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		c := strings.IndexByte(alpha, h[42])
		lines[2] = h[:42] + string(alpha[c^1]) + h[43:]
		writeF(t, d, p, []byte(strings.Join(lines, "\n")))
		return true
	})},
	{"proof with one hash too many", "path does not lead", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		p := k.pr(k.first(), 0)
		s := string(readF(t, d, p))
		i := strings.Index(s, "\n\n")
		writeF(t, d, p, []byte(s[:i+1]+base64.StdEncoding.EncodeToString(make([]byte, 32))+s[i:]))
		return true
	})},
	{"proof ending with another checkpoint", "checkpoint byte for byte", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		p := k.pr(k.first(), 0)
		writeF(t, d, p, append(readF(t, d, p), '\n'))
		return true
	})},
	{"checkpoint re-signed by another key of the same name", "not signed by log.vkey", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		name, _, _ := strings.Cut(k.vkey, "+")
		skey, _, _ := note.GenerateKey(rand.Reader, name)
		signer, _ := note.NewSigner(skey)
		old := readF(t, d, "checkpoint")
		text := string(old[:strings.LastIndex(string(old), "\n\n")+1])
		cp, err := note.Sign(&note.Note{Text: text}, signer)
		if err != nil {
			t.Fatal(err)
		}
		replaceCheckpoint(t, d, cp)
		return true
	})},
	{"checkpoint with a second signature line by the log key, unverifiable", "does not verify", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		old := string(readF(t, d, "checkpoint"))
		lines := strings.Split(strings.TrimSuffix(old, "\n"), "\n")
		last := lines[len(lines)-1]
		// Same key name and key hash, another signature.
		i := strings.LastIndexByte(last, ' ')
		sig, _ := base64.StdEncoding.DecodeString(last[i+1:])
		sig[10] ^= 1
		replaceCheckpoint(t, d, []byte(old+last[:i+1]+base64.StdEncoding.EncodeToString(sig)+"\n"))
		return true
	})},
	{"checkpoint with its log-key signature line twice (both valid)", "has 2 signatures by log.vkey", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		old := string(readF(t, d, "checkpoint"))
		lines := strings.Split(strings.TrimSuffix(old, "\n"), "\n")
		replaceCheckpoint(t, d, []byte(old+lines[len(lines)-1]+"\n"))
		return true
	})},
	{"checkpoint with a second log-key signature line before a witness's", "has 2 signatures by log.vkey", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		old := string(readF(t, d, "checkpoint"))
		lines := strings.Split(strings.TrimSuffix(old, "\n"), "\n")
		replaceCheckpoint(t, d, []byte(old+lines[len(lines)-1]+"\n"+witnessLine(t, old)))
		return true
	})},
	{"checkpoint with a log-key signature line of another key hash only", "not signed by log.vkey", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		// The log key's name with another key hash is another key: the
		// checkpoint then has no signature by log.vkey.
		old := string(readF(t, d, "checkpoint"))
		lines := strings.Split(strings.TrimSuffix(old, "\n"), "\n")
		last := lines[len(lines)-1]
		i := strings.LastIndexByte(last, ' ')
		sig, _ := base64.StdEncoding.DecodeString(last[i+1:])
		sig[0] ^= 1
		replaceCheckpoint(t, d, []byte(old[:strings.LastIndex(old, last)]+last[:i+1]+base64.StdEncoding.EncodeToString(sig)+"\n"))
		return true
	})},
	{"log.vkey replaced, MANIFEST recomputed", "not signed by log.vkey", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		name, _, _ := strings.Cut(k.vkey, "+")
		_, vk, _ := note.GenerateKey(rand.Reader, name)
		writeF(t, d, "log.vkey", []byte(vk+"\n"))
		fixManifest(t, d)
		return true
	})},
	{"log.vkey without its LF", "one line and an LF", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		writeF(t, d, "log.vkey", []byte(k.vkey))
		fixManifest(t, d)
		return true
	})},
	{"documents of two items swapped, MANIFEST recomputed", "SHA-256 is not sha256", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.items) < 2 {
			return false
		}
		a, b := k.items[0]+"/document", k.items[1]+"/document"
		da, db := readF(t, d, a), readF(t, d, b)
		writeF(t, d, a, db)
		writeF(t, d, b, da)
		fixManifest(t, d)
		return true
	})},
	{"document changed with sha256 and size, MANIFEST recomputed", "commitment from salt", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		doc := append(readF(t, d, k.first()+"/document"), '!')
		writeF(t, d, k.first()+"/document", doc)
		editItem(t, d, k.first(), func(it *item) { it.strs["sha256"] = hexSHA(doc); it.nums["size"] = int64(len(doc)) })
		fixManifest(t, d)
		return true
	})},
	{"item.json indented with tabs", "written as the specification spells it", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		itemJSONString(t, d, k.first(), func(s string) string { return strings.ReplaceAll(s, "\n  ", "\n\t") })
		fixManifest(t, d)
		return true
	})},
	{"item.json keys reordered", "order", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		itemJSONString(t, d, k.first(), func(s string) string {
			lines := strings.Split(s, "\n")
			lines[3], lines[4] = lines[4], lines[3] // title, kind
			return strings.Join(lines, "\n")
		})
		fixManifest(t, d)
		return true
	})},
	{"item.json with an unknown key", "unknown key", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		itemJSONString(t, d, k.first(), func(s string) string {
			return strings.Replace(s, "\n  \"item\"", "\n  \"note\": \"x\",\n  \"item\"", 1)
		})
		fixManifest(t, d)
		return true
	})},
	{"item.json without a key", "lacks", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		itemJSONString(t, d, k.first(), func(s string) string {
			i := strings.Index(s, "  \"obtained_at\"")
			j := i + strings.Index(s[i:], "\n") + 1
			return s[:i] + s[j:]
		})
		fixManifest(t, d)
		return true
	})},
	{"item.json number as 1.0", "not a non-negative integer", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		itemJSONString(t, d, k.first(), func(s string) string {
			return strings.Replace(s, "\"item\": 1,", "\"item\": 1.0,", 1)
		})
		fixManifest(t, d)
		return true
	})},
	{"item.json item number of another folder", "folder's number", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		editItem(t, d, k.first(), func(it *item) { it.nums["item"] += 7 })
		fixManifest(t, d)
		return true
	})},
	{"item.json of format sanctuary-evidence-item/1", "evidence-item/1", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		editItem(t, d, k.first(), func(it *item) { it.strs["format"] = "sanctuary-evidence-item/1" })
		fixManifest(t, d)
		return true
	})},
	{"item.json events list short of one", "are not the item's events in MANIFEST", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		editItem(t, d, k.first(), func(it *item) { it.events = it.events[:len(it.events)-1] })
		fixManifest(t, d)
		return true
	})},
	{"the export event listed in MANIFEST", "0 of its events", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		fixManifest(t, d)
		exp := k.export(k.first())
		mf := string(readF(t, d, "MANIFEST")) + fmt.Sprintf("%s  %s\n", hexSHA(readF(t, d, exp)), exp)
		writeF(t, d, "MANIFEST", []byte(sortLines(mf)))
		return true
	})},
	{"MANIFEST lists the checkpoint", "must not list", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		mf := string(readF(t, d, "MANIFEST")) + fmt.Sprintf("%s  checkpoint\n", hexSHA(readF(t, d, "checkpoint")))
		writeF(t, d, "MANIFEST", []byte(sortLines(mf)))
		return true
	})},
	{"MANIFEST lines out of order", "sorted", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		lines := strings.SplitAfter(string(readF(t, d, "MANIFEST")), "\n")
		lines[0], lines[1] = lines[1], lines[0]
		writeF(t, d, "MANIFEST", []byte(strings.Join(lines, "")))
		return true
	})},
	{"MANIFEST with CRLF", "MANIFEST", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		writeF(t, d, "MANIFEST", []byte(strings.ReplaceAll(string(readF(t, d, "MANIFEST")), "\n", "\r\n")))
		return true
	})},
	{"MANIFEST in sha256sum binary mode", "MANIFEST line 1", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		writeF(t, d, "MANIFEST", []byte(strings.ReplaceAll(string(readF(t, d, "MANIFEST")), "  ", " *")))
		return true
	})},
	{"document replaced by a symbolic link to a copy", "symbolic link", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		doc := filepath.Join(d, k.first(), "document")
		cp := filepath.Join(filepath.Dir(d), "copy")
		if err := os.Rename(doc, cp); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(cp, doc); err != nil {
			return false
		}
		return true
	})},
	{"events folder replaced by a symbolic link", "symbolic link", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		ev := filepath.Join(d, k.first(), "events")
		cp := filepath.Join(filepath.Dir(d), "events-copy")
		if err := os.Rename(ev, cp); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(cp, ev); err != nil {
			return false
		}
		return true
	})},
	{"document is a folder", "must be a file", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		removeF(t, d, k.first()+"/document")
		writeF(t, d, k.first()+"/document/x", []byte("x"))
		return true
	})},
	{"no items at all", "holds no item", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		removeF(t, d, "items")
		if err := os.Mkdir(filepath.Join(d, "items"), 0o700); err != nil {
			t.Fatal(err)
		}
		fixManifest(t, d)
		return true
	})},
	{"a case event turned into an audit", "never appears in a bundle", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.caseEv) == 0 {
			return false
		}
		editEvent(t, d, k.caseEvent(), func(b []byte) []byte { return setField(b, "type", "audit") })
		fixManifest(t, d)
		return true
	})},
	{"the export's case count changed", "says case 2", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.caseEv) != 1 {
			return false
		}
		editEvent(t, d, k.export(k.first()), func(b []byte) []byte {
			return setField(b, "detail", strings.TrimSuffix(getField(b, "detail"), fmt.Sprint(len(k.caseEv)))+fmt.Sprint(len(k.caseEv)+1))
		})
		return true
	})},
	{"a case event turned into a view", "must name a document", genuine(func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.caseEv) == 0 {
			return false
		}
		editEvent(t, d, k.caseEvent(), func(b []byte) []byte { return setField(b, "type", "view") })
		fixManifest(t, d)
		return true
	})},
}
