package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// setup makes the installation, one staff account per session (set up
// through its setup page), the cases with a few facts, documents and a
// kept assessment each, and signs every session in.
func (s *soak) setup(ctx context.Context) ([]*session, error) {
	var dbURL string
	var err error
	if s.cfg.postgres {
		if dbURL, err = freshDatabase(ctx, s.cfg.pgURL, "sanctuary_soak"); err != nil {
			return nil, err
		}
	}
	if s.box, err = newBox(ctx, s.cfg.dir, s.cfg.bin, dbURL); err != nil {
		return nil, err
	}
	if _, err := s.box.must(ctx, "", "fsck"); err != nil {
		return nil, err
	}
	if s.srv, err = s.box.startServe(ctx); err != nil {
		return nil, err
	}
	seeder, err := s.box.addStaff(ctx, s.srv.base, "lawyer", "soak-seeder@example.invalid")
	if err != nil {
		return nil, err
	}
	token, err := s.box.token(ctx, seeder.email, "cases:read", "cases:write", "evidence:read", "evidence:write")
	if err != nil {
		return nil, err
	}
	s.seeder = newClient(s.srv.base, token)
	accounts := make([]staff, s.cfg.sessions)
	for i := range accounts {
		role := []string{"lawyer", "caseworker"}[i%2]
		if accounts[i], err = s.box.addStaff(ctx, s.srv.base, role, fmt.Sprintf("soak-%03d@example.invalid", i)); err != nil {
			return nil, err
		}
	}
	if err := s.openCases(ctx, accounts); err != nil {
		return nil, err
	}
	return s.signIn(ctx, accounts)
}

// openCases opens the cases, team j being the accounts i with i mod cases
// = j, and seeds them.
func (s *soak) openCases(ctx context.Context, accounts []staff) error {
	s.teams = make([][]string, s.cfg.cases)
	rng := rand.New(rand.NewPCG(s.cfg.seed, 1<<40))
	for j := range s.cfg.cases {
		team := []string{"soak-seeder@example.invalid"}
		for i := j; i < len(accounts); i += s.cfg.cases {
			team = append(team, accounts[i].email)
		}
		body := map[string]any{"person": map[string]any{"name_latin": map[string]string{"family": "Testov", "given": "Soak"}},
			"destinations": []string{"DE", "NL", "FR"}, "assignees": team}
		r, err := s.seeder.call(ctx, http.MethodPost, "/api/v1/cases", body)
		var cs struct{ Reference string }
		if err != nil || r.status != http.StatusCreated || json.Unmarshal(r.body, &cs) != nil {
			return fmt.Errorf("open a case: %v %v", r, err)
		}
		if err := s.seed(ctx, rng, cs.Reference); err != nil {
			return err
		}
		s.teams[j] = []string{cs.Reference}
	}
	return nil
}

// seed gives a case facts, two documents and a kept assessment.
func (s *soak) seed(ctx context.Context, rng *rand.Rand, ref string) error {
	base := "/api/v1/cases/" + ref
	facts := map[string]any{"facts": []map[string]any{
		{"name": "has_summons", "value": true, "source": "document"},
		{"name": "is_mobilized", "value": false, "source": "statement"},
		{"name": "left_russia", "value": true, "source": "statement"},
		{"name": "departure_date", "value": "2022-09-25", "source": "statement"},
		{"name": "military_specialty", "value": "driver (fictional)", "source": "statement"}}}
	if r, err := s.seeder.call(ctx, http.MethodPost, base+"/facts", facts); err != nil || r.status != http.StatusOK {
		return fmt.Errorf("seed facts: %v %v", r, err)
	}
	for range 2 {
		if r, err := s.seeder.upload(ctx, ref, s.newUpload(rng)); err != nil || r.status != http.StatusCreated {
			return fmt.Errorf("seed a document: %v %v", r, err)
		}
	}
	if r, err := s.seeder.call(ctx, http.MethodPost, base+"/assessments", map[string]any{}); err != nil || r.status != http.StatusCreated {
		return fmt.Errorf("seed an assessment: %v %v", r, err)
	}
	return nil
}

// signIn makes the sessions: the first share with the sign-in pages
// (password, then a TOTP code of a 30-second step after the one setup
// used: codes are good once), the others with an API token each.
func (s *soak) signIn(ctx context.Context, accounts []staff) ([]*session, error) {
	web := int(float64(len(accounts))*s.cfg.webShare + 0.5)
	step := time.Now().Truncate(30 * time.Second).Add(31 * time.Second)
	if web > 0 {
		sleep(ctx, time.Until(step))
	}
	var out []*session
	for i, a := range accounts {
		ses := &session{s: s, email: a.email, cases: s.teams[i%s.cfg.cases], items: map[string][]int64{}, pages: map[string]casePage{}}
		if i < web {
			ses.web = browser()
			if err := a.signIn(ctx, ses.web, s.srv.base); err != nil {
				return nil, fmt.Errorf("%s: %w", a.email, err)
			}
		} else {
			token, err := s.box.token(ctx, a.email, "cases:read", "cases:write", "evidence:read", "evidence:write")
			if err != nil {
				return nil, err
			}
			ses.api = newClient(s.srv.base, token)
		}
		out = append(out, ses)
	}
	return out, nil
}

func countWeb(ss []*session) int {
	n := 0
	for _, s := range ss {
		if s.web != nil {
			n++
		}
	}
	return n
}

// newUpload is a document for an upload: random bytes of a random size.
func (s *soak) newUpload(rng *rand.Rand) *upload {
	size := s.cfg.minSize + rng.Int64N(s.cfg.maxSize-s.cfg.minSize+1)
	return &upload{meta: evidenceMeta{Title: "soak upload (fictional)", Kind: "other"}, doc: document{seed: rng.Uint64(), size: size}}
}
