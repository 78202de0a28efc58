package specverify

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reforgedForgeries are rebuilt under a forger's key: one rule broken, all
// else fixed, so that only that rule can refuse them.
var reforgedForgeries = []forgery{
	{"reforged: title changed", "description's commitment", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editItem(t, d, k.first(), setTitle(" (forged)"))
		return true
	})},
	{"reforged: description recomputed, its event not", "is not item.json's description", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editItem(t, d, k.first(), func(it *item) { it.strs["title"] = "Forged"; recomputeDescription(it) })
		return true
	})},
	{"reforged: four digits of milliseconds", "time", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte {
			return setField(b, "time", strings.TrimSuffix(getField(b, "time"), "Z")+"0Z")
		})
		return true
	})},
	{"reforged: time of a 30 February", "time", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "time", "2026-02-30T10:00:00.000Z") })
		return true
	})},
	{"reforged: upper-case hex", "case", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "case", strings.ToUpper(getField(b, "case"))) })
		return true
	})},
	{"reforged: CR before an LF", "first line", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return []byte(strings.Replace(string(b), "\n", "\r\n", 1)) })
		return true
	})},
	{"reforged: no final LF", "does not end with LF", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return b[:len(b)-1] })
		return true
	})},
	{"reforged: a second ingest", "second ingest", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		it := k.rich()
		if it == "" {
			return false
		}
		editEvent(t, d, k.ev(it, 1), func(b []byte) []byte {
			b = setField(b, "type", "ingest")
			b = setField(b, "prev", "-")
			b = setField(b, "description", strings.Repeat("ab", 32))
			return setField(b, "detail", "")
		})
		return true
	})},
	{"reforged: the first event is not an ingest", "not an ingest", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		it := k.rich()
		if it == "" {
			return false
		}
		// Drop the ingest; the chain then starts with a view or download.
		removeF(t, d, k.ev(it, 0), k.pr(it, 0))
		editItem(t, d, it, func(x *item) { x.events = x.events[1:] })
		editEvent(t, d, k.ev(it, 1), func(b []byte) []byte { return setField(b, "prev", strings.Repeat("0", 64)) })
		return true
	})},
	{"reforged: export says the wrong number of events", "says events", reforged(reforgeOpts{exportN: func(n int64) int64 { return n + 1 }}, nil)},
	{"reforged: export names another bundle", "names bundle", reforged(reforgeOpts{beforeTree: func(d string) {}}, nil)},
	{"reforged: case event after the export events", "comes after", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.caseEv) == 0 {
			return false
		}
		n := k.maxIndex() + 1
		old := k.caseEvent()
		copyFile(t, d, old, evName("case/events", n))
		removeF(t, d, old, strings.TrimSuffix(old, ".event")+".proof")
		writeF(t, d, prName("case/events", n), []byte("placeholder"))
		return true
	})},
	{"reforged: an item's events after another item's export", "comes after the bundle's export event", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.items) < 2 {
			return false
		}
		it := k.first()
		shift := k.maxIndex() + 10
		for _, i := range k.events[it] {
			if err := os.Rename(filepath.Join(d, evName(it+"/events", i)), filepath.Join(d, evName(it+"/events", i+shift))); err != nil {
				t.Fatal(err)
			}
			removeF(t, d, prName(it+"/events", i))
		}
		editItem(t, d, it, func(x *item) {
			for j := range x.events {
				x.events[j] += shift
			}
		})
		return true
	})},
	{"reforged: the last annotate is v1", "commits to no description", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		ev := lastDescEvent(t, d, k.first())
		editEvent(t, d, ev, toV1)
		return true
	})},
	{"reforged: a v1 event after v2 events", "is v1 but comes after", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		it := k.rich()
		if it == "" {
			return false
		}
		editEvent(t, d, k.ev(it, 1), toV1)
		return true
	})},
	{"reforged: item.json events list short of one", "are not the item's events", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editItem(t, d, k.first(), func(it *item) { it.events = it.events[:len(it.events)-1] })
		return true
	})},
	{"reforged: a listed event dropped, chain not mended", "prev of", reforged(reforgeOpts{noChainFix: true}, func(t *testing.T, d string, k *kitInfo) bool {
		it := k.rich()
		if it == "" {
			return false
		}
		removeF(t, d, k.ev(it, 1), k.pr(it, 1))
		editItem(t, d, it, func(x *item) { x.events = append(x.events[:1:1], x.events[2:]...) })
		return true
	})},
	{"reforged: actor with a trailing space", "trailing space", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "actor", getField(b, "actor")+" ") })
		return true
	})},
	{"reforged: actor with a no-break space", "non-printable", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "actor", "lena\u00a0x") })
		return true
	})},
	{"reforged: actor with a right-to-left override", "non-printable", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "actor", "lena\u202eelpmaxe") })
		return true
	})},
	{"reforged: actor with an escape character", "non-printable", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "actor", "lena\x1b[31m") })
		return true
	})},
	{"reforged: empty actor", "actor is 0 bytes", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "actor", "") })
		return true
	})},
	{"reforged: actor of 201 bytes", "actor is 201 bytes", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "actor", strings.Repeat("a", 201)) })
		return true
	})},
	{"reforged: detail with a tab", "non-printable", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "detail", "a\tb") })
		return true
	})},
	{"reforged: detail of 501 bytes", "detail is 501 bytes", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		editEvent(t, d, k.ev(k.first(), 0), func(b []byte) []byte { return setField(b, "detail", strings.Repeat("a", 501)) })
		return true
	})},
	{"reforged: a description on a view", "is not -", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		it := k.rich()
		if it == "" {
			return false
		}
		editEvent(t, d, k.ev(it, 1), func(b []byte) []byte {
			if getField(b, "description") != "-" {
				lacks(t, "the second event carries a description")
			}
			return setField(b, "description", strings.Repeat("ab", 32))
		})
		return true
	})},
	{"reforged: a case event that is an audit", "never appears in a bundle", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.caseEv) == 0 {
			return false
		}
		editEvent(t, d, k.caseEvent(), func(b []byte) []byte { return setField(b, "type", "audit") })
		return true
	})},
	{"reforged: a key export with a bad fingerprint", "case key FINGERPRINT", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.caseEv) == 0 {
			return false
		}
		editEvent(t, d, k.caseEvent(), func(b []byte) []byte { return setField(b, "detail", "case key XYZ") })
		return true
	})},
	{"reforged: a case event of another case", "names another case", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		name := k.export(k.first())
		if len(k.caseEv) > 0 {
			name = k.caseEvent()
		}
		editEvent(t, d, name, func(b []byte) []byte { return setField(b, "case", strings.Repeat("0", 64)) })
		return true
	})},
	{"reforged: an event naming another item's document", "is not the item's commitment", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.items) < 2 {
			return false
		}
		other := getField(readF(t, d, k.ev(k.items[1], 0)), "object")
		editEvent(t, d, k.export(k.first()), func(b []byte) []byte { return setField(b, "object", other) })
		return true
	})},
	{"reforged: a shred in an item's chain", "shred", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		it := k.rich()
		if it == "" {
			return false
		}
		editEvent(t, d, k.ev(it, 1), func(b []byte) []byte {
			return setField(setField(b, "type", "shred"), "detail", "case key "+strings.Repeat("1", 64))
		})
		return true
	})},
	{"reforged: the last event is not an export", "not an export", reforged(reforgeOpts{beforeTree: nil}, func(t *testing.T, d string, k *kitInfo) bool {
		// A view after the export, unlisted in MANIFEST.
		it := k.first()
		n := k.maxIndex() + 1
		b := readF(t, d, k.export(it))
		b = setField(b, "type", "view")
		writeF(t, d, evName(it+"/events", n), b)
		return true
	})},
	{"reforged: an earlier export says events 1", "N at least 2", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		return earlierExport(t, d, k, "bundle "+strings.Repeat("c", 64)+" events 1 case 0")
	})},
	{"reforged: an earlier export in the detail form without case K", "not `bundle M events N case K`", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		return earlierExport(t, d, k, "bundle "+strings.Repeat("c", 64)+" events 2")
	})},
	{"reforged: export detail without case K", "not `bundle M events N case K`", reforged(reforgeOpts{beforeTree: nil}, nil)},
	{"reforged: export detail with K written 01", "not `bundle M events N case K`", reforged(reforgeOpts{beforeTree: nil}, nil)},
	{"reforged: export says the wrong number of case events", "says case", reforged(reforgeOpts{exportK: func(k int64) int64 { return k + 1 }}, nil)},
	{"reforged: export says no case events", "says case 0", reforged(reforgeOpts{exportK: func(int64) int64 { return 0 }}, func(t *testing.T, d string, k *kitInfo) bool {
		return len(k.caseEv) > 0
	})},
	{"reforged: the unlisted event is not the last", "is not its last event", reforged(reforgeOpts{}, nil)},
	{"reforged: checkpoint with an extension line", "not ORIGIN, SIZE, ROOT", reforged(reforgeOpts{cpExtra: "extension\n"}, nil)},
	{"reforged: checkpoint origin is not the key's name", "origin", reforged(reforgeOpts{origin: "other.example/log"}, nil)},
	{"reforged: title with a line feed", "title holds a control character (U+000A)", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] += "\nsecond line" })
		return true
	})},
	{"reforged: unknown kind", "kind", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["kind"] = "letter" })
		return true
	})},
	{"reforged: empty title", "title is empty", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] = "" })
		return true
	})},
	{"reforged: language in upper case", "language", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["language"] = "RU" })
		return true
	})},
	{"reforged: document date of a 30 February", "document_date", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["document_date"] = "2025-02-30" })
		return true
	})},
	{"reforged: obtained_at not a date", "obtained_at", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["obtained_at"] = "the border" })
		return true
	})},
	{"reforged: translation_of not a commitment", "translation_of", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["translation_of"] = "item 1" })
		return true
	})},
	{"reforged: title with an escape character", "title holds a control character (U+001B)", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] += "\x1b[2J" })
		return true
	})},
	{"reforged: title with a DEL", "title holds a control character (U+007F)", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] += "\x7f" })
		return true
	})},
	{"reforged: title with a C1 control (NEL)", "title holds a control character (U+0085)", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] += "\u0085" })
		return true
	})},
	{"reforged: title with a tab", "title holds a control character (U+0009)", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] = "a\tb" })
		return true
	})},
	{"reforged: obtained_from with a NUL", "obtained_from holds a control character (U+0000)", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["obtained_from"] = "a\x00b" })
		return true
	})},
	{"reforged: item.json with & < > not HTML-escaped", "is not written as the specification spells it", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] = "A & B <c>" })
		itemJSONString(t, d, k.first(), func(s string) string {
			return strings.NewReplacer(`\u0026`, "&", `\u003c`, "<", `\u003e`, ">").Replace(s)
		})
		return true
	})},
	{"reforged: item.json with U+2028 not escaped", "is not written as the specification spells it", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		rewriteDescription(t, d, k.first(), func(it *item) { it.strs["title"] = "A\u2028B" })
		itemJSONString(t, d, k.first(), func(s string) string { return strings.ReplaceAll(s, `\u2028`, "\u2028") })
		return true
	})},
	{"reforged: item.json with a needless escape", "is not written as the specification spells it", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		itemJSONString(t, d, k.first(), func(s string) string {
			return strings.Replace(s, `"kind": "`, `"kind": "\u0073`, 1)
		})
		return true
	})},
	{"reforged: the same item twice", "the same document", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		// A copy of the first item as a new item, its events logged again
		// before every export, so that only the rule of the same
		// commitment can refuse it.
		src, dst := k.first(), fmt.Sprintf("items/%04d", len(k.items)+1)
		for _, f := range bundleFiles(t, d) {
			if rest, ok := strings.CutPrefix(f, src+"/"); ok {
				copyFile(t, d, f, dst+"/"+rest)
			}
		}
		idx := k.events[src]
		next := k.maxIndex() + 1
		var to []int64
		for range idx[:len(idx)-1] {
			to = append(to, next)
			next++
		}
		for _, it := range k.items {
			moveEvents(t, d, it+"/events", k.events[it][len(k.events[it])-1:], []int64{next})
			next++
		}
		moveEvents(t, d, dst+"/events", idx, append(to, next))
		editItem(t, d, dst, func(x *item) { x.nums["item"] = int64(len(k.items) + 1) })
		syncItemEvents(t, d, dst)
		return true
	})},
	{"reforged: a v1 case event after v2 events", "is v1 but comes after", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.caseEv) == 0 || k.caseEv[0] == 0 {
			return false
		}
		editEvent(t, d, k.caseEvent(), toV1)
		return true
	})},
	{"reforged: an item's ingest logged after another item's export", "listed in MANIFEST, comes after the bundle's export event", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.items) < 2 {
			return false
		}
		it := k.items[1]
		idx := k.events[it]
		next := k.maxIndex() + 1
		var to []int64
		for range idx {
			to = append(to, next)
			next++
		}
		moveEvents(t, d, it+"/events", idx, to)
		syncItemEvents(t, d, it)
		return true
	})},
	{"reforged: an empty case/events folder", "the folder case/events is there, but the bundle holds no case events", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		removeF(t, d, "case")
		return os.MkdirAll(filepath.Join(d, "case", "events"), 0o700) == nil
	})},
	{"reforged: an empty case folder", "the folder case is there, but the bundle holds no case events", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		removeF(t, d, "case")
		return os.Mkdir(filepath.Join(d, "case"), 0o700) == nil
	})},
	{"reforged: an audit event in an item's chain", "never appears in a bundle", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		it := k.rich()
		if it == "" {
			return false
		}
		editEvent(t, d, k.ev(it, 1), func(b []byte) []byte { return setField(b, "type", "audit") })
		return true
	})},
	{"reforged: an item's download with object -", "must name a document", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		it := k.rich()
		if it == "" {
			return false
		}
		editEvent(t, d, k.ev(it, 1), func(b []byte) []byte { return setField(b, "object", "-") })
		return true
	})},
	{"reforged: a key export with a prev", "has a prev", reforged(reforgeOpts{}, func(t *testing.T, d string, k *kitInfo) bool {
		if len(k.caseEv) == 0 {
			return false
		}
		editEvent(t, d, k.caseEvent(), func(b []byte) []byte { return setField(b, "prev", strings.Repeat("d", 64)) })
		return true
	})},
}

func init() {
	// Forgeries whose options need the bundle: filled in here to keep the
	// table readable.
	for i := range reforgedForgeries {
		f := &reforgedForgeries[i]
		switch f.name {
		case "reforged: export detail without case K", "reforged: export detail with K written 01":
			zero := strings.HasSuffix(f.name, "01")
			f.run = func(t *testing.T, d string, k *kitInfo) (string, bool) {
				return reforge(t, d, reforgeOpts{beforeTree: func(d string) {
					editEvent(t, d, k.export(k.first()), func(b []byte) []byte {
						m, kk, _ := strings.Cut(getField(b, "detail"), " case ")
						if zero {
							return setField(b, "detail", m+" case 0"+kk)
						}
						return setField(b, "detail", m)
					})
				}}), true
			}
		case "reforged: export names another bundle":
			f.run = func(t *testing.T, d string, k *kitInfo) (string, bool) {
				return reforge(t, d, reforgeOpts{beforeTree: func(d string) {
					editEvent(t, d, k.export(k.first()), func(b []byte) []byte {
						return setField(b, "detail", fmt.Sprintf("bundle %s events %d case %d", strings.Repeat("e", 64), len(k.events[k.first()]), len(k.caseEv)))
					})
				}}), true
			}
		case "reforged: the unlisted event is not the last":
			f.run = func(t *testing.T, d string, k *kitInfo) (string, bool) {
				it := k.rich()
				if it == "" {
					return "", false
				}
				return reforge(t, d, reforgeOpts{beforeTree: func(d string) {
					// List the export event and leave out a middle one;
					// the export events then name this MANIFEST.
					mid, exp := k.ev(it, 1), k.export(it)
					var out []string
					for _, l := range strings.SplitAfter(string(readF(t, d, "MANIFEST")), "\n") {
						if !strings.HasSuffix(l, "  "+mid+"\n") {
							out = append(out, l)
						}
					}
					out = append(out, fmt.Sprintf("%s  %s\n", hexSHA(readF(t, d, exp)), exp))
					writeF(t, d, "MANIFEST", []byte(sortLines(strings.Join(out, ""))))
					editItem(t, d, it, func(x *item) {
						x.events = append(append(x.events[:1:1], x.events[2:]...), k.events[it][len(k.events[it])-1])
					})
					// item.json changed: its MANIFEST line too.
					writeF(t, d, "MANIFEST", []byte(replaceManifestHash(string(readF(t, d, "MANIFEST")), it+"/item.json", hexSHA(readF(t, d, it+"/item.json")))))
					m := hexSHA(readF(t, d, "MANIFEST"))
					for _, x := range k.items {
						editEvent(t, d, k.export(x), func(b []byte) []byte {
							_, n, _ := strings.Cut(getField(b, "detail"), " events ")
							return setField(b, "detail", "bundle "+m+" events "+n)
						})
					}
					// The listed export event changed: its hash in MANIFEST
					// is now wrong, which is a problem of its own; the
					// point here is the position rule.
				}}), true
			}
		}
	}
}

// toV1 turns a v2 event into a v1 one (the description line becomes the
// cipher line, its value kept).
func toV1(b []byte) []byte {
	s := strings.Replace(string(b), "sanctuary-custody-event/v2\n", "sanctuary-custody-event/v1\n", 1)
	return []byte(strings.Replace(s, "\ndescription ", "\ncipher ", 1))
}

// earlierExport makes the rich item's second event (a view, download or
// derive) an earlier export to another bundle with the given detail.
func earlierExport(t *testing.T, d string, k *kitInfo, detail string) bool {
	it := k.rich()
	if it == "" {
		return false
	}
	editEvent(t, d, k.ev(it, 1), func(b []byte) []byte {
		if getField(b, "type") == "annotate" {
			lacks(t, "the second event is an annotate")
		}
		return setField(setField(b, "type", "export"), "detail", detail)
	})
	return true
}
