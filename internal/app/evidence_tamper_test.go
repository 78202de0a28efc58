package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/sanctuary-platform/sanctuary/internal/bundle"
	"github.com/sanctuary-platform/sanctuary/internal/bundle/specverify"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// genuine is a bundle as Sanctuary exported it, with what a test needs
// to forge it: its log key and the names of its export events.
type genuine struct {
	dir     string
	vkey    string
	exports map[string]bool // the export events' file names
}

// genuineBundle makes a case with two items — a summons viewed and then
// described anew, and its translation — and a key export, and exports
// both items.
func genuineBundle(t *testing.T) genuine {
	t.Helper()
	e := newEvidenceApp(t, storetest.OpenSQLite(t))
	c := mustCreate(t, e.app)
	a, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("fictional summons, page 1"))
	if err != nil {
		t.Fatal(err)
	}
	m := summonsMeta()
	m.Title, m.Kind, m.Language, m.TranslationOf = "Translation of the summons (fictional)", "other", "de", a.ID
	if _, err := e.app.AddEvidence(actorCtx(), c.Reference, m, strings.NewReader("Übersetzung der Vorladung (fiktiv)")); err != nil {
		t.Fatal(err)
	}
	f, err := e.app.OpenEvidence(actorCtx(), c.Reference, a.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	m = summonsMeta()
	m.Title = "Повестка в военкомат, 7 октября (fictional)"
	if _, err := e.app.UpdateEvidence(actorCtx(), c.Reference, a.ID, m); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.ExportCaseKey(lawyerCtx(), c.Reference); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "bundle")
	w, err := bundle.NewDirWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.ExportEvidence(actorCtx(), c.Reference, nil, w); err != nil {
		t.Fatal(err)
	}
	g := genuine{dir: dir, vkey: e.ev.Custody.Key().VKey, exports: map[string]bool{}}
	listed := string(mustRead(t, filepath.Join(dir, bundle.ManifestFile)))
	for _, f := range listFiles(t, dir) {
		if strings.HasSuffix(f, ".event") && !strings.Contains(listed, "  "+f+"\n") {
			g.exports[f] = true
		}
	}
	if len(g.exports) != 2 {
		t.Fatalf("export events %v", g.exports)
	}
	return g
}

// forgery is one way to break a bundle: break changes the copy in d, and
// the refusal must contain want.
type forgery struct {
	name   string
	break_ func(t *testing.T, g genuine, d string)
	want   string
}

// forgeries lists the forgeries of the tamper kit: each must be refused by
// Sanctuary's verifier and by the one written from the specification.
func forgeries() []forgery {
	return []forgery{
		{"TitleRewrittenManifestFixed", func(t *testing.T, g genuine, d string) {
			editItem(t, d, 1, func(it *bundle.ItemFile) { it.Title = "Приговор суда (forged)" })
			fixManifest(t, g, d)
		}, "does not match its commitment"},
		{"KindRewrittenManifestFixed", func(t *testing.T, g genuine, d string) {
			editItem(t, d, 2, func(it *bundle.ItemFile) { it.Kind = "court_document" })
			fixManifest(t, g, d)
		}, "does not match its commitment"},
		{"TitleRewrittenDescriptionRecomputed", func(t *testing.T, g genuine, d string) {
			editItem(t, d, 1, func(it *bundle.ItemFile) { it.Title = "Приговор суда (forged)"; recommit(t, it) })
			fixManifest(t, g, d)
		}, "not the one the item's latest ingest or annotate event commits to"},
		{"DatesAndSourceRewritten", func(t *testing.T, g genuine, d string) {
			editItem(t, d, 1, func(it *bundle.ItemFile) {
				it.DocumentDate, it.ObtainedFrom = "2022-09-21", "a court clerk"
				recommit(t, it)
			})
			fixManifest(t, g, d)
		}, "latest ingest or annotate"},
		{"TranslationLinkDropped", func(t *testing.T, g genuine, d string) {
			editItem(t, d, 2, func(it *bundle.ItemFile) { it.TranslationOf = ""; recommit(t, it) })
			fixManifest(t, g, d)
		}, "latest ingest or annotate"},
		{"DuplicateTitleKey", func(t *testing.T, g genuine, d string) {
			mutate(t, d, "items/0001/item.json", func(b []byte) []byte {
				return bytes.Replace(b, []byte("{\n"), []byte("{\n  \"title\": \"Приговор суда (forged)\",\n"), 1)
			})
			fixManifest(t, g, d)
		}, `has the key "title" twice`},
		{"NotTheOneEncoding", func(t *testing.T, g genuine, d string) {
			mutate(t, d, "items/0002/item.json", func(b []byte) []byte { return bytes.Replace(b, []byte(": "), []byte(":  "), 1) })
			fixManifest(t, g, d)
		}, "not in the one encoding"},
		{"OldFormat", func(t *testing.T, g genuine, d string) {
			editItem(t, d, 2, func(it *bundle.ItemFile) { it.Format = bundle.ItemFormatV1 })
			fixManifest(t, g, d)
		}, "ask the organisation for a new export"},
		{"CyrillicLookAlikeFolder", func(t *testing.T, g genuine, d string) {
			writeFile(t, d, "items/0\u043e\u043e1/document", []byte("a forged summons"))
		}, `items/0\u043e\u043e1`},
		{"LettersForDigitsFolder", func(t *testing.T, g genuine, d string) {
			writeFile(t, d, "items/OOO1/document", []byte("a forged summons"))
		}, "items/OOO1"},
		{"UpperCaseBesideLowerCase", func(t *testing.T, g genuine, d string) {
			writeFile(t, d, "items/0001/DOCUMENT", []byte("a forged summons"))
		}, "differs only in case"},
		{"EmptyLookAlikeFolder", func(t *testing.T, g genuine, d string) {
			os.MkdirAll(filepath.Join(d, "items", "0001", "events", "old"), 0o700)
		}, "items/0001/events/old/"},
		{"ExtraFileSlippedIn", func(t *testing.T, g genuine, d string) {
			writeFile(t, d, "items/0001/notes.txt", []byte("slipped in"))
		}, "items/0001/notes.txt"},
		{"UnreferencedExtraEvent", func(t *testing.T, g genuine, d string) {
			copyEvent(t, d, "items/0002/events/1", "items/0001/events/1")
		}, "exactly one event outside MANIFEST"},
		{"ExtraEventListed", func(t *testing.T, g genuine, d string) {
			copyEvent(t, d, "items/0002/events/1", "items/0001/events/1")
			editItem(t, d, 1, func(it *bundle.ItemFile) { it.Events = append([]int64{it.Events[0], 1}, it.Events[1:]...) })
			fixManifest(t, g, d)
		}, "a second ingest"},
		{"ExportEventDropped", func(t *testing.T, g genuine, d string) {
			for f := range g.exports {
				if strings.HasPrefix(f, "items/0001/") {
					os.Remove(filepath.Join(d, f))
					os.Remove(filepath.Join(d, strings.TrimSuffix(f, ".event")+".proof"))
				}
			}
		}, "it holds 0"},
		{"LaterEventsDroppedManifestFixed", func(t *testing.T, g genuine, d string) {
			// Leave out the description change and the export, as if the
			// bundle had been made before them.
			var it bundle.ItemFile
			editItem(t, d, 1, func(f *bundle.ItemFile) { it = *f; f.Events = f.Events[:len(f.Events)-1] })
			last := strconv.FormatInt(it.Events[len(it.Events)-1], 10)
			for _, f := range []string{"items/0001/events/" + last} {
				os.Remove(filepath.Join(d, f+".event"))
				os.Remove(filepath.Join(d, f+".proof"))
			}
			fixManifest(t, g, d)
		}, "names another MANIFEST"},
		{"KeyExportDroppedManifestFixed", func(t *testing.T, g genuine, d string) {
			removeGlob(t, d, "case/events/*")
			fixManifest(t, g, d)
		}, "names another MANIFEST"},
		{"KeyExportDropped", func(t *testing.T, g genuine, d string) {
			removeGlob(t, d, "case/events/*")
		}, "listed in MANIFEST but missing"},
		{"ItemDroppedManifestFixed", func(t *testing.T, g genuine, d string) {
			os.RemoveAll(filepath.Join(d, "items", "0002"))
			fixManifest(t, g, d)
		}, "names another MANIFEST"},
		{"ManifestOutOfOrder", func(t *testing.T, g genuine, d string) {
			mutate(t, d, bundle.ManifestFile, func(b []byte) []byte {
				lines := strings.SplitAfter(string(b), "\n")
				lines[0], lines[1] = lines[1], lines[0]
				return []byte(strings.Join(lines, ""))
			})
		}, "out of order"},
		{"ProofListedInManifest", func(t *testing.T, g genuine, d string) {
			fixManifest(t, g, d, "items/0002/events/1.proof")
		}, "MANIFEST may not list it"},
		{"WrongSalt", func(t *testing.T, g genuine, d string) {
			editItem(t, d, 1, func(it *bundle.ItemFile) { it.Salt = strings.Repeat("0", 64) })
			fixManifest(t, g, d)
		}, "wrong salt"},
		{"DocumentSwapped", func(t *testing.T, g genuine, d string) {
			writeFile(t, d, "items/0001/document", []byte("a forged summons"))
			fixManifest(t, g, d)
		}, "the document is not the one described"},
		{"DocumentAndItemSwapped", func(t *testing.T, g genuine, d string) {
			forged := []byte("a forged summons")
			writeFile(t, d, "items/0002/document", forged)
			editItem(t, d, 2, func(it *bundle.ItemFile) {
				sum := sha256.Sum256(forged)
				it.SHA256, it.Size = hex.EncodeToString(sum[:]), int64(len(forged))
				salt, _ := hex.DecodeString(it.Salt)
				it.Commitment = custody.Commit(salt, sum[:])
			})
			fixManifest(t, g, d)
		}, "another document"},
		{"ProofOfAnotherIndex", func(t *testing.T, g genuine, d string) {
			evs, _ := filepath.Glob(filepath.Join(d, "items/0001/events/*.proof"))
			sort.Strings(evs)
			os.WriteFile(evs[0], mustRead(t, evs[1]), 0o600)
		}, "its proof is for index"},
		{"AnotherLogKey", func(t *testing.T, g genuine, d string) {
			other, _ := custody.CreateKeyFile(filepath.Join(t.TempDir(), "k"))
			writeFile(t, d, bundle.VKeyFile, []byte(other.VKey+"\n"))
			fixManifest(t, g, d)
		}, "checkpoint: its signature does not verify"},
		{"TruncatedDocument", func(t *testing.T, g genuine, d string) {
			os.Truncate(filepath.Join(d, "items/0002/document"), 3)
		}, "its SHA-256 is not the one in MANIFEST"},
		{"TruncatedEvent", func(t *testing.T, g genuine, d string) {
			for f := range g.exports {
				os.Truncate(filepath.Join(d, f), 20)
			}
		}, "not a custody event"},
		{"EventNotCanonical", func(t *testing.T, g genuine, d string) {
			mutate(t, d, "items/0002/events/1.event", func(b []byte) []byte { return bytes.Replace(b, []byte("\n"), []byte("\r\n"), 1) })
			fixManifest(t, g, d)
		}, "not a custody event"},
		{"SecondSignatureByTheLogKey", func(t *testing.T, g genuine, d string) {
			// A second signature line by the same key, which note.Open
			// passes over unchecked; every proof carries the new text.
			old := mustRead(t, filepath.Join(d, bundle.CheckpointFile))
			lines := strings.Split(strings.TrimSuffix(string(old), "\n"), "\n")
			sig := lines[len(lines)-1]
			i := strings.LastIndex(sig, " ")
			raw, _ := base64.StdEncoding.DecodeString(sig[i+1:])
			raw[len(raw)-1] ^= 1
			forged := append(bytes.Clone(old), []byte(sig[:i+1]+base64.StdEncoding.EncodeToString(raw)+"\n")...)
			writeFile(t, d, bundle.CheckpointFile, forged)
			for _, f := range listFiles(t, d) {
				if strings.HasSuffix(f, ".proof") {
					mutate(t, d, f, func(b []byte) []byte { return bytes.Replace(b, old, forged, 1) })
				}
			}
		}, "more than one signature by log.vkey"},
		{"Symlink", func(t *testing.T, g genuine, d string) {
			os.Remove(filepath.Join(d, "items/0002/document"))
			os.Symlink("/etc/passwd", filepath.Join(d, "items/0002/document"))
		}, "is a symbolic link"},
	}
}

// TestBundle_TamperKit breaks a genuine bundle in every way of the kit:
// each forgery is refused, for the reason it should be.
func TestBundle_TamperKit(t *testing.T) {
	g := genuineBundle(t)
	if rep := verifyPinned(t, g.dir, g.vkey); !rep.Verified {
		t.Fatalf("the genuine bundle does not verify:\n%s", reportText(rep))
	}
	if r := specverify.Verify(g.dir, g.vkey, ""); !r.Verified {
		t.Fatalf("the verifier written from the specification refuses the genuine bundle: %v", r.Problems)
	}
	for _, f := range forgeries() {
		t.Run(f.name, func(t *testing.T) {
			d := copyTree(t, g.dir)
			f.break_(t, g, d)
			rep := verifyPinned(t, d, g.vkey)
			if rep.OK || rep.Verified || !strings.Contains(reportText(rep), f.want) {
				t.Errorf("want a refusal containing %q, got:\n%s", f.want, reportText(rep))
			}
			agree(t, d, g.vkey, rep)
		})
	}
	t.Run("BitFlipInEachFile", func(t *testing.T) {
		for _, name := range listFiles(t, g.dir) {
			d := copyTree(t, g.dir)
			mutate(t, d, name, func(b []byte) []byte { b[len(b)/2] ^= 0x01; return b })
			rep := verifyPinned(t, d, g.vkey)
			if rep.OK {
				t.Errorf("a flipped bit in %s was not noticed", name)
			}
			agree(t, d, g.vkey, rep)
		}
	})
	t.Run("EachContentFileAlteredManifestFixed", func(t *testing.T) {
		for _, name := range listFiles(t, g.dir) {
			if !contentFile(g, name) {
				continue
			}
			d := copyTree(t, g.dir)
			mutate(t, d, name, func(b []byte) []byte { b[len(b)-2] ^= 0x01; return b })
			fixManifest(t, g, d)
			rep := verifyPinned(t, d, g.vkey)
			if rep.OK {
				t.Errorf("%s altered (MANIFEST recomputed) was not noticed", name)
			}
			agree(t, d, g.vkey, rep)
		}
	})
}

// TestBundle_RemadeUnderAnotherKey: a forger re-makes the whole bundle in
// a log of their own, under a fresh key with the same origin name — with
// the genuine content, or with a forged title. It is consistent, so
// without the organisation's key the verifier can say only that, and it
// shows another fingerprint; with the key, it is refused.
func TestBundle_RemadeUnderAnotherKey(t *testing.T) {
	g := genuineBundle(t)
	honest := verifyPinned(t, g.dir, "")
	if file := sha256.Sum256(mustRead(t, filepath.Join(g.dir, bundle.VKeyFile))); honest.KeySHA256 != hex.EncodeToString(file[:]) {
		t.Errorf("the fingerprint %s is not what sha256sum log.vkey prints", honest.KeySHA256)
	}
	for name, edit := range map[string]func(*bundle.ItemFile){
		"SameContent": nil,
		"ForgedTitle": func(it *bundle.ItemFile) { it.Title = "Приговор суда (forged)" },
	} {
		t.Run(name, func(t *testing.T) {
			d, vkey := remake(t, g, edit)
			rep := verifyPinned(t, d, "")
			if !rep.OK || rep.Verified || rep.KeyChecked {
				t.Fatalf("remade bundle, no key given: ok %v verified %v\n%s", rep.OK, rep.Verified, reportText(rep))
			}
			if rep.KeySHA256 == honest.KeySHA256 || rep.Origin != honest.Origin {
				t.Errorf("the fingerprint does not tell the forged key (%s) from the genuine (%s)", rep.KeySHA256, honest.KeySHA256)
			}
			if rep := verifyPinned(t, d, g.vkey); rep.Verified || !strings.Contains(reportText(rep), "another log") {
				t.Errorf("remade bundle against the genuine key:\n%s", reportText(rep))
			}
			if rep, _ := bundle.VerifyPath(d, bundle.Options{KeySHA256: bundle.GroupHex(honest.KeySHA256)}); rep.Verified || rep.KeyProblem == "" {
				t.Errorf("remade bundle against the genuine fingerprint: accepted")
			}
			if rep := verifyPinned(t, d, vkey); !rep.Verified {
				t.Errorf("the forger's own key does not verify their bundle (the remake is broken):\n%s", reportText(rep))
			}
			agree(t, d, "", rep)
			agree(t, d, g.vkey, verifyPinned(t, d, g.vkey))
		})
	}
}

// TestBundle_RulesOnlyTheLogCanBreak: forgeries that keep every hash right
// because the forger logged them in a log of their own — so only the
// format's rules, checked under the forger's key, can refuse them.
func TestBundle_RulesOnlyTheLogCanBreak(t *testing.T) {
	g := genuineBundle(t)
	for _, tc := range []struct {
		name  string
		alter func(d string, g *genuine)
		want  string
	}{
		{"TheSameItemTwice", func(d string, g *genuine) {
			for _, f := range listFiles(t, d) {
				if rest, ok := strings.CutPrefix(f, "items/0001/"); ok {
					writeFile(t, d, "items/0003/"+rest, mustRead(t, filepath.Join(d, f)))
					if g.exports[f] {
						g.exports["items/0003/"+rest] = true
					}
				}
			}
			editItem(t, d, 3, func(it *bundle.ItemFile) { it.Item = 3 })
		}, "the same document as items/0001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, vkey := remakeAltered(t, g, nil, tc.alter)
			rep := verifyPinned(t, d, vkey)
			if rep.OK || !strings.Contains(reportText(rep), tc.want) {
				t.Errorf("want a refusal containing %q, got:\n%s", tc.want, reportText(rep))
			}
			agree(t, d, vkey, rep)
		})
	}
}

// agree checks that the verifier written from docs/evidence.md alone
// (internal/bundle/specverify) reaches the same verdict on the bundle as
// ours did (rep), with the same expected key.
func agree(t *testing.T, path, vkey string, rep *bundle.Report) {
	t.Helper()
	r := specverify.Verify(path, vkey, "")
	if r.Consistent != rep.OK || r.Verified != rep.Verified {
		t.Errorf("the verifiers disagree: ours ok=%v verified=%v, the specification's consistent=%v verified=%v (%v)\nours:\n%s",
			rep.OK, rep.Verified, r.Consistent, r.Verified, r.Problems, reportText(rep))
	}
	if rep.KeySHA256 != "" && r.KeySHA256 != rep.KeySHA256 {
		t.Errorf("the fingerprints differ: ours %s, the specification's %s", rep.KeySHA256, r.KeySHA256)
	}
}

func verifyPinned(t *testing.T, dir, vkey string) *bundle.Report {
	t.Helper()
	rep, err := bundle.VerifyPath(dir, bundle.Options{VKey: vkey})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// contentFile reports whether MANIFEST lists the file.
func contentFile(g genuine, name string) bool {
	return name != bundle.ManifestFile && name != bundle.CheckpointFile && !strings.HasSuffix(name, ".proof") && !g.exports[name]
}

// fixManifest recomputes MANIFEST over the content files, as a forger
// would, with extra names listed too.
func fixManifest(t *testing.T, g genuine, d string, extra ...string) {
	t.Helper()
	sums := map[string]string{}
	for _, f := range listFiles(t, d) {
		if contentFile(g, f) || slicesContains(extra, f) {
			sum := sha256.Sum256(mustRead(t, filepath.Join(d, f)))
			sums[f] = hex.EncodeToString(sum[:])
		}
	}
	writeFile(t, d, bundle.ManifestFile, bundle.Manifest(sums))
}

func slicesContains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func editItem(t *testing.T, d string, n int, edit func(*bundle.ItemFile)) {
	t.Helper()
	p := filepath.Join(d, bundle.ItemDir(n), "item.json")
	var it bundle.ItemFile
	if err := json.Unmarshal(mustRead(t, p), &it); err != nil {
		t.Fatal(err)
	}
	edit(&it)
	b, err := bundle.EncodeItem(it)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, b, 0o600)
}

// recommit recomputes the description's commitment, as a forger who read
// the specification would.
func recommit(t *testing.T, it *bundle.ItemFile) {
	salt, _ := hex.DecodeString(it.DescriptionSalt)
	c, err := custody.CommitDescription(salt, custody.Description{Title: it.Title, Kind: it.Kind, DocumentDate: it.DocumentDate,
		ObtainedFrom: it.ObtainedFrom, ObtainedAt: it.ObtainedAt, Language: it.Language, OriginalName: it.OriginalName,
		TranslationOf: it.TranslationOf, DerivedFrom: it.DerivedFrom})
	if err != nil {
		t.Fatal(err)
	}
	it.Description = c
}

func writeFile(t *testing.T, d, name string, b []byte) {
	t.Helper()
	p := filepath.Join(d, filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(p), 0o700)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func copyEvent(t *testing.T, d, from, to string) {
	for _, ext := range []string{".event", ".proof"} {
		writeFile(t, d, to+ext, mustRead(t, filepath.Join(d, from+ext)))
	}
}

func removeGlob(t *testing.T, d, pattern string) {
	fs, _ := filepath.Glob(filepath.Join(d, pattern))
	if len(fs) == 0 {
		t.Fatalf("nothing matches %s", pattern)
	}
	for _, f := range fs {
		os.Remove(f)
	}
}

// remake re-makes the genuine bundle as a forger with their own log would:
// a fresh key under the same origin name; every event re-written (with
// the description edited, if edit is given) and logged at its index, the
// rest of the log filled with entries of their own; MANIFEST, export
// events, proofs and checkpoint made anew. It returns the forger's key.
func remake(t *testing.T, g genuine, edit func(*bundle.ItemFile)) (string, string) {
	return remakeAltered(t, g, edit, nil)
}

// remakeAltered is remake with the copy altered first (files added or
// removed, as g's export events may be).
func remakeAltered(t *testing.T, g genuine, edit func(*bundle.ItemFile), alter func(d string, g *genuine)) (string, string) {
	t.Helper()
	d := copyTree(t, g.dir)
	g.exports = maps.Clone(g.exports)
	if alter != nil {
		alter(d, &g)
	}
	items, _ := filepath.Glob(filepath.Join(d, "items", "*"))
	origin := strings.SplitN(g.vkey, "+", 2)[0]
	skey, vkey, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		t.Fatal(err)
	}
	kf := filepath.Join(t.TempDir(), "forger.key")
	os.WriteFile(kf, []byte(skey+"\n"+vkey+"\n"), 0o600)
	key, err := custody.LoadKeyFile(kf)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, d, bundle.VKeyFile, []byte(vkey+"\n"))
	events := map[int64][]byte{}
	for n := 1; n <= len(items); n++ {
		if edit != nil && n == 1 {
			editItem(t, d, n, func(it *bundle.ItemFile) { edit(it); recommit(t, it) })
		}
		rechain(t, d, n, g, events, false, "")
	}
	for _, f := range listFiles(t, d) {
		if strings.HasPrefix(f, "case/events/") && strings.HasSuffix(f, ".event") {
			idx, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(f, "case/events/"), ".event"), 10, 64)
			events[idx] = mustRead(t, filepath.Join(d, f))
		}
	}
	fixManifest(t, g, d)
	sum := sha256.Sum256(mustRead(t, filepath.Join(d, bundle.ManifestFile)))
	for n := 1; n <= len(items); n++ {
		rechain(t, d, n, g, events, true, hex.EncodeToString(sum[:]))
	}
	relog(t, d, key, events)
	return d, vkey
}

// rechain re-writes the n-th item's events: the latest description from
// item.json, each prev from the event before; the export event (exports
// true) names manifest.
func rechain(t *testing.T, d string, n int, g genuine, events map[int64][]byte, exports bool, manifest string) {
	t.Helper()
	var it bundle.ItemFile
	json.Unmarshal(mustRead(t, filepath.Join(d, bundle.ItemDir(n), "item.json")), &it)
	var chain []int64
	for _, f := range listFiles(t, d) {
		if dir, name, ok := strings.Cut(f, "/events/"); ok && dir == bundle.ItemDir(n) && strings.HasSuffix(name, ".event") {
			idx, _ := strconv.ParseInt(strings.TrimSuffix(name, ".event"), 10, 64)
			chain = append(chain, idx)
		}
	}
	sort.Slice(chain, func(i, j int) bool { return chain[i] < chain[j] })
	prev := "-"
	for i, idx := range chain {
		p := filepath.Join(d, bundle.EventPath(n, idx))
		ev, err := custody.Parse(mustRead(t, p))
		if err != nil {
			t.Fatal(err)
		}
		ev.Prev = prev
		if ev.Type == custody.Annotate || ev.Type == custody.Ingest {
			ev.Description = it.Description // the last one wins, as the verifier reads it
		}
		if i == len(chain)-1 && exports {
			x, _ := custody.ParseExport(ev.Detail)
			x.Manifest, x.Events = manifest, len(chain)
			ev.Detail = x.Detail()
		}
		b, err := ev.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(p, b, 0o600)
		events[idx], prev = b, custody.Hash(b)
	}
}

// relog logs the events at their indexes in a new log under key, filling
// the gaps, and writes every proof and the checkpoint.
func relog(t *testing.T, d string, key *custody.Key, events map[int64][]byte) {
	t.Helper()
	lg, err := ledger.Open(filepath.Join(t.TempDir(), "log"), key)
	if err != nil {
		t.Fatal(err)
	}
	defer lg.Close()
	var top int64
	for idx := range events {
		top = max(top, idx)
	}
	ctx := context.Background()
	for i := int64(0); i <= top; i++ {
		e := custody.Event{Type: custody.View, Time: time.Now().UTC().Truncate(time.Millisecond), Case: fmt.Sprintf("%064x", i),
			Object: fmt.Sprintf("%064x", i), Description: "-", Actor: "forger", Prev: "-"}
		if b, ok := events[i]; ok {
			var err error
			if e, err = custody.Parse(b); err != nil {
				t.Fatal(err)
			}
		}
		got, b, err := lg.Append(ctx, e)
		if err != nil || int64(got) != i || (events[i] != nil && !bytes.Equal(b, events[i])) {
			t.Fatalf("relog %d: %d, %v", i, got, err)
		}
	}
	cp, err := lg.WaitCheckpoint(ctx, uint64(top+1))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, d, bundle.CheckpointFile, cp.Signed)
	filepath.WalkDir(d, func(p string, de fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".proof") {
			return err
		}
		idx, _ := strconv.ParseInt(strings.TrimSuffix(filepath.Base(p), ".proof"), 10, 64)
		proof, err := lg.Proof(ctx, uint64(idx), cp)
		if err != nil {
			t.Fatal(err)
		}
		return os.WriteFile(p, proof, 0o600)
	})
}

// TestBundle_ZipForgeries: the same refusals hold inside a zip, with its
// own tricks — paths that leave the bundle, links, names with escapes.
func TestBundle_ZipForgeries(t *testing.T) {
	g := genuineBundle(t)
	var buf bytes.Buffer
	zipDir(t, g.dir, &buf, nil)
	if rep, err := bundle.VerifyZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), bundle.Options{VKey: g.vkey}); err != nil || !rep.Verified {
		t.Fatalf("the genuine zip: %v\n%s", err, reportText(rep))
	}
	for name, evil := range map[string]string{
		"ZipSlip":        "../../evil.txt",
		"AbsolutePath":   "/etc/cron.d/evil",
		"WindowsPath":    `C:\evil`,
		"TerminalEscape": "items/0001/\x1b[2J\x1b[31mPWNED",
		"CyrillicName":   "items/0001/d\u043ecument",
		"LookAlikeDir":   "items/OOO1/",
		"CaseOnly":       "items/0001/Document",
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			zipDir(t, g.dir, &buf, func(zw *zip.Writer) {
				w, _ := zw.Create(evil)
				w.Write([]byte("evil"))
			})
			rep, err := bundle.VerifyZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), bundle.Options{VKey: g.vkey})
			if err != nil {
				t.Fatal(err)
			}
			zf := filepath.Join(t.TempDir(), "bundle.zip")
			os.WriteFile(zf, buf.Bytes(), 0o600)
			agree(t, zf, g.vkey, rep)
			text := reportText(rep)
			if rep.OK || strings.Contains(text, "\x1b") || strings.Contains(text, "\u043e") {
				t.Errorf("%q: ok=%v, report:\n%s", evil, rep.OK, text)
			}
		})
	}
	t.Run("ZipSymlinkEntry", func(t *testing.T) {
		var buf bytes.Buffer
		zipDir(t, g.dir, &buf, func(zw *zip.Writer) {
			h := &zip.FileHeader{Name: "items/0001/link"}
			h.SetMode(fs.ModeSymlink | 0o777)
			w, _ := zw.CreateHeader(h)
			w.Write([]byte("/etc/passwd"))
		})
		rep, _ := bundle.VerifyZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), bundle.Options{})
		if rep.OK || !strings.Contains(reportText(rep), "symbolic link") {
			t.Errorf("zip symlink: %s", reportText(rep))
		}
	})
	t.Run("NotAZip", func(t *testing.T) {
		if _, err := bundle.VerifyZip(strings.NewReader("PK garbage"), 10, bundle.Options{}); err == nil {
			t.Error("garbage accepted as a zip")
		}
	})
}

// TestBundle_ItemLoggedBeforeDescriptionsWereCommitted: an item ingested
// by an earlier version (a v1 ingest event, no description salt) is
// exported with an annotate event committing to its description first,
// so the bundle verifies and shows only committed fields.
func TestBundle_ItemLoggedBeforeDescriptionsWereCommitted(t *testing.T) {
	db := storetest.OpenSQLite(t)
	e := newEvidenceApp(t, db)
	c := mustCreate(t, e.app)
	if _, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("made by this version")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var key store.CaseKeyRecord
	if err := db.View(ctx, func(tx *store.Tx) (err error) { key, err = tx.CaseKey(ctx, c.ID); return err }); err != nil {
		t.Fatal(err)
	}
	// What the earlier version wrote: object, item, v1 ingest event, record.
	doc := []byte("a summons logged by an earlier version (fictional)")
	put, err := e.ev.Store.Put(bytes.NewReader(doc), key.Recipient)
	if err != nil {
		t.Fatal(err)
	}
	salt := bytes.Repeat([]byte{9}, custody.SaltSize)
	sum := sha256.Sum256(doc)
	sec, _ := json.Marshal(evidence.Secret{Title: "Old summons (fictional)", PlainSHA256: hex.EncodeToString(sum[:]), Salt: salt})
	sealed, err := vault.SealTo(key.Recipient, sec)
	if err != nil {
		t.Fatal(err)
	}
	it := evidence.Item{Kind: evidence.KindSummons, Facts: []string{}, Size: int64(len(doc)), ObjectID: put.ObjectID,
		Commitment: custody.Commit(salt, sum[:]), CreatedBy: lena, Sealed: sealed}
	v1 := custody.Event{Version: 1, Type: custody.Ingest, Time: time.Now().UTC().Truncate(time.Millisecond), Case: key.Tag,
		Object: it.Commitment, Cipher: put.ObjectID, Actor: lena, Prev: "-"}
	encoded, err := v1.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	it.LastEvent = custody.Hash(encoded)
	idx, _, err := e.ev.Custody.Append(ctx, v1)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertEvidence(ctx, c.ID, &it, encoded); err != nil {
			return err
		}
		if err := tx.CommitEvidence(ctx, it.ID, int64(idx)); err != nil {
			return err
		}
		return tx.InsertCustodyEvent(ctx, store.CustodyEventRecord{Origin: e.ev.Custody.Key().Origin(), LogIndex: int64(idx), CaseID: c.ID, EvidenceID: it.ID,
			Type: custody.Ingest, Hash: it.LastEvent, At: v1.Time})
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second export finds the description committed
		dir := filepath.Join(t.TempDir(), "bundle")
		w, _ := bundle.NewDirWriter(dir)
		if err := e.app.ExportEvidence(actorCtx(), c.Reference, []int64{it.ID}, w); err != nil {
			t.Fatal(err)
		}
		rep := verifyPinned(t, dir, e.ev.Custody.Key().VKey)
		if !rep.Verified || rep.Items[0].Title != "Old summons (fictional)" {
			t.Fatalf("the old item's bundle:\n%s", reportText(rep))
		}
		agree(t, dir, e.ev.Custody.Key().VKey, rep)
		var types []string
		for _, ev := range rep.Items[0].Events {
			types = append(types, ev.Type+":"+ev.Detail)
		}
		if j := strings.Join(types, ","); !strings.HasPrefix(j, "ingest:,annotate:description committed,export:bundle ") || strings.Count(j, "annotate") != 1 {
			t.Errorf("events %v", types)
		}
		if v1, _ := custody.Parse(mustRead(t, filepath.Join(dir, bundle.EventPath(1, int64(idx))))); v1.Version != 1 {
			t.Errorf("the ingest event in the bundle is not the v1 one logged")
		}
	}
}

// TestExport_WhileItsItemsAreViewed: exports made while other requests
// log views of the same items each verify — no event slips in between an
// item's last event in the bundle and its export, and the log's size is
// read once the items are held (the campaign found an export on
// PostgreSQL that read it before, and failed).
func TestExport_WhileItsItemsAreViewed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		c := mustCreate(t, e.app)
		var ids []int64
		for i := range 3 {
			it, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader(fmt.Sprint("fictional page ", i)))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if f, err := e.app.OpenEvidence(actorCtx(), c.Reference, ids[w], false); err == nil {
						f.Close()
					}
				}
			}()
		}
		defer func() { close(stop); wg.Wait() }()
		for i := range 15 {
			dir := filepath.Join(t.TempDir(), fmt.Sprint("bundle", i))
			w, _ := bundle.NewDirWriter(dir)
			if err := e.app.ExportEvidence(actorCtx(), c.Reference, nil, w); err != nil {
				t.Fatalf("export %d: %v", i, err)
			}
			if rep := verifyPinned(t, dir, e.ev.Custody.Key().VKey); !rep.Verified {
				t.Fatalf("export %d:\n%s", i, reportText(rep))
			}
		}
	})
}
