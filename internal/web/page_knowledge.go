package web

import (
	"log/slog"
	"net/http"
	"slices"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
)

// knowledgeView is the knowledge pack browser: the pack, and its rules
// for one jurisdiction (or all).
type knowledgeView struct {
	Pack         rules.Summary
	Jurisdiction string
	Rules        []*rules.Rule
	Sources      map[string]rules.Source
}

// pageKnowledge shows the knowledge pack in use: its sources, facts and
// rules with their dates, so that staff can see what an assessment rests on.
func pageKnowledge(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := a.ReadPack(r.Context())
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		s := p.Summary()
		v := knowledgeView{Pack: s, Jurisdiction: r.URL.Query().Get("jurisdiction"), Sources: map[string]rules.Source{}}
		for _, src := range s.Sources {
			v.Sources[src.ID] = src
		}
		if !slices.ContainsFunc(s.Jurisdictions, func(j rules.Jurisdiction) bool { return j.Code == v.Jurisdiction }) {
			v.Jurisdiction = "" // all of them
		}
		for _, rl := range s.Rules {
			if v.Jurisdiction == "" || rl.Jurisdiction == v.Jurisdiction {
				v.Rules = append(v.Rules, rl)
			}
		}
		render(w, r, log, http.StatusOK, "knowledge", v)
	})
}
