package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// NormalizeName is the form names are indexed and looked up in: Unicode
// NFC, lower case, ё as е, single spaces.
func NormalizeName(s string) string {
	s = strings.ToLower(norm.NFC.String(s))
	s = strings.ReplaceAll(s, "ё", "е")
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

func token(key []byte, name string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(NormalizeName(name)))
	return hex.EncodeToString(m.Sum(nil))
}

// indexedNames are the forms of a person's name that an exact lookup
// finds: in each script, "family given patronymic" and "family given".
func indexedNames(id casefile.Identity) []string {
	var out []string
	for _, n := range []casefile.Name{id.NameLatin, id.NameCyrillic} {
		for _, s := range []string{n.String(), casefile.Name{Family: n.Family, Given: n.Given}.String()} {
			if s = NormalizeName(s); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// writeNameIndex replaces the case's entries in the blind index.
func (tx *Tx) writeNameIndex(ctx context.Context, c *casefile.Case) error {
	key, err := tx.instanceSecret(ctx, secretNameIndex, true)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM case_name_index WHERE case_id = ?`, c.ID); err != nil {
		return fmt.Errorf("store: name index: %w", err)
	}
	for _, n := range indexedNames(c.Person.Identity) {
		if _, err := tx.exec(ctx, `INSERT INTO case_name_index (case_id, token) VALUES (?, ?)`, c.ID, token(key, n)); err != nil {
			return fmt.Errorf("store: name index: %w", err)
		}
	}
	return nil
}

// NameToken is the blind-index token of a name, for CaseFilter.NameToken;
// "" when no name was ever indexed.
func (tx *Tx) NameToken(ctx context.Context, name string) (string, error) {
	key, err := tx.instanceSecret(ctx, secretNameIndex, false)
	if err != nil || key == nil {
		return "", err
	}
	return token(key, name), nil
}
