package rules

import (
	"fmt"
	"io"
	"strings"
)

// labels are the words of rendered assessments in each language.
var labels = map[string]Text{
	"title":        {"en": "Assessment", "ru": "Оценка", "de": "Bewertung"},
	"as_of":        {"en": "as of", "ru": "на дату", "de": "Stand"},
	"known_as_of":  {"en": "as known on", "ru": "по сведениям на", "de": "nach Kenntnisstand vom"},
	"pack":         {"en": "knowledge pack", "ru": "база знаний", "de": "Wissenspaket"},
	"applies":      {"en": "applies", "ru": "применимо", "de": "trifft zu"},
	"undetermined": {"en": "undetermined", "ru": "не определено", "de": "offen"},
	"deciding":     {"en": "would be decided by", "ru": "решится ответом на", "de": "hängt ab von"},
	"sources":      {"en": "Sources", "ru": "Источники", "de": "Quellen"},
	"confidence":   {"en": "confidence", "ru": "достоверность", "de": "Verlässlichkeit"},
	"low":          {"en": "LOW CONFIDENCE", "ru": "НИЗКАЯ ДОСТОВЕРНОСТЬ", "de": "GERINGE VERLÄSSLICHKEIT"},
	"facts":        {"en": "facts used", "ru": "использованные факты", "de": "verwendete Tatsachen"},
	"none":         {"en": "No finding.", "ru": "Выводов нет.", "de": "Keine Feststellung."},
	"changes":      {"en": "What changed", "ru": "Что изменилось", "de": "Was sich geändert hat"},
	"nochange":     {"en": "No finding changed.", "ru": "Ни один вывод не изменился.", "de": "Keine Feststellung hat sich geändert."},
	"disclaimer": {
		"en": "Decision support for caseworkers and lawyers, not legal advice: each finding points to its sources.",
		"ru": "Это помощь в принятии решений для консультантов и юристов, а не юридическая консультация: каждый вывод указывает на свои источники.",
		"de": "Entscheidungshilfe für Beratende und Anwält:innen, keine Rechtsberatung: Jede Feststellung verweist auf ihre Quellen."},
}

func label(key, lang string) string { return labels[key].In(lang) }

// KindLabel names a kind of finding in a language.
func KindLabel(k Kind, lang string) string {
	return Text(map[string]string{
		"ground/en": "Ground", "ground/ru": "Основание", "ground/de": "Schutzgrund",
		"risk/en": "Risk", "risk/ru": "Риск", "risk/de": "Risiko",
		"pathway-open/en": "Pathway open", "pathway-open/ru": "Путь открыт", "pathway-open/de": "Weg offen",
		"pathway-closed/en": "Pathway closed", "pathway-closed/ru": "Путь закрыт", "pathway-closed/de": "Weg verschlossen",
		"pathway-contested/en": "Pathway contested", "pathway-contested/ru": "Путь спорный", "pathway-contested/de": "Weg umstritten",
		"exclusion-check/en": "Exclusion check", "exclusion-check/ru": "Проверка исключения", "exclusion-check/de": "Ausschlussprüfung",
		"procedure/en": "Procedure", "procedure/ru": "Процедура", "procedure/de": "Verfahren",
		"evidence-gap/en": "Evidence gap", "evidence-gap/ru": "Пробел в доказательствах", "evidence-gap/de": "Beweislücke",
		"info/en": "Information", "info/ru": "Справка", "info/de": "Hinweis",
	}).In(string(k) + "/" + lang)
}

// WriteText renders an assessment for a terminal.
func WriteText(w io.Writer, a *Assessment, lang string) {
	fmt.Fprintf(w, "%s %s %s (%s %s; %s %s %s)\n", label("title", lang), label("as_of", lang), a.AsOf,
		label("known_as_of", lang), a.KnownAsOf, label("pack", lang), a.Pack.Version, a.Pack.Hash[:12])
	for _, wn := range a.Warnings {
		fmt.Fprintf(w, "! %s\n", wn.Text.In(lang))
	}
	if len(a.Findings) == 0 {
		fmt.Fprintln(w, label("none", lang))
	}
	juris := ""
	for _, f := range a.Findings {
		if f.Jurisdiction != juris {
			juris = f.Jurisdiction
			fmt.Fprintf(w, "\n== %s\n", juris)
		}
		fmt.Fprintf(w, "[%s] %s%s\n", KindLabel(f.Kind, lang), statusMark(f, lang), lowMark(f, lang))
		fmt.Fprintf(w, "    %s\n", f.Text.In(lang))
		if len(f.Deciding) > 0 {
			fmt.Fprintf(w, "    %s: %s\n", label("deciding", lang), strings.Join(f.Deciding, ", "))
		}
		for _, s := range f.Sources {
			fmt.Fprintf(w, "    - %s (%s, %s), %s\n", s.Title, s.Publisher, s.Published, s.Pinpoint)
		}
		fmt.Fprintf(w, "    %s %s\n", f.Key(), traceText2(f.Trace))
	}
	fmt.Fprintf(w, "\n%s\n", label("disclaimer", lang))
}

func statusMark(f Finding, lang string) string {
	if f.Status == StatusUndetermined {
		return label("undetermined", lang)
	}
	return label("applies", lang)
}

func lowMark(f Finding, lang string) string {
	if f.Confidence == ConfidenceLow {
		return " — " + label("low", lang)
	}
	return ""
}

func traceText2(trace []TraceFact) string {
	var parts []string
	for _, t := range trace {
		v := string(t.State)
		if t.Value != nil {
			v = t.Value.String()
		}
		parts = append(parts, t.Name+"="+v)
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// WriteMarkdown renders an assessment as Markdown, for a file note or a
// dossier draft.
func WriteMarkdown(w io.Writer, a *Assessment, lang string) {
	fmt.Fprintf(w, "# %s %s %s\n\n", label("title", lang), label("as_of", lang), a.AsOf)
	fmt.Fprintf(w, "*%s %s · %s %s (%s) · %s*\n\n", label("known_as_of", lang), a.KnownAsOf,
		label("pack", lang), a.Pack.Version, a.Pack.Hash[:12], label("disclaimer", lang))
	for _, wn := range a.Warnings {
		fmt.Fprintf(w, "> **!** %s\n\n", wn.Text.In(lang))
	}
	juris := ""
	for _, f := range a.Findings {
		if f.Jurisdiction != juris {
			juris = f.Jurisdiction
			fmt.Fprintf(w, "## %s\n\n", juris)
		}
		fmt.Fprintf(w, "### %s: %s%s\n\n%s\n\n", KindLabel(f.Kind, lang), statusMark(f, lang), lowMark(f, lang), f.Text.In(lang))
		if len(f.Deciding) > 0 {
			fmt.Fprintf(w, "*%s: %s*\n\n", label("deciding", lang), strings.Join(f.Deciding, ", "))
		}
		for _, s := range f.Sources {
			link := s.Title
			if s.URL != "" {
				link = "[" + s.Title + "](" + s.URL + ")"
			}
			fmt.Fprintf(w, "- %s, %s, %s — %s\n", link, s.Publisher, s.Published, s.Pinpoint)
		}
		fmt.Fprintf(w, "\n`%s` %s\n\n", f.Key(), traceText2(f.Trace))
	}
	if len(a.Findings) == 0 {
		fmt.Fprintln(w, label("none", lang))
	}
}

// WriteDiff renders a difference for a terminal or Markdown.
func WriteDiff(w io.Writer, d Difference, lang string) {
	fmt.Fprintf(w, "\n%s (%s %s → %s):\n", label("changes", lang), label("as_of", lang), d.From.AsOf, d.To.AsOf)
	if len(d.Changes) == 0 {
		fmt.Fprintln(w, label("nochange", lang))
	}
	for _, c := range d.Changes {
		fmt.Fprintf(w, "- %s [%s]: %s\n", c.Rule, c.Jurisdiction, c.Change)
		for _, r := range c.Reasons {
			fmt.Fprintf(w, "    %s\n", r.Text.In(lang))
		}
	}
}
