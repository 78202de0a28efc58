package rules

import (
	"fmt"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// Warning codes.
const (
	WarnStale       = "stale_knowledge"
	WarnIgnoredFact = "ignored_fact"
	WarnRuleError   = "rule_error"
)

func staleWarning(asOf, coversUntil casefile.Date) Warning {
	return Warning{Code: WarnStale, Text: Text{
		"en": fmt.Sprintf("This assessment is as of %s, after %s, the last day the knowledge pack's sources cover. Law and practice may have changed since: check current sources before relying on it.", asOf, coversUntil),
		"ru": fmt.Sprintf("Оценка дана на %s — позже %s, последнего дня, который охватывают источники базы знаний. Право и практика могли измениться: прежде чем опираться на оценку, проверьте актуальные источники.", asOf, coversUntil),
		"de": fmt.Sprintf("Diese Bewertung bezieht sich auf den %s, also auf die Zeit nach dem %s, dem letzten Tag, den die Quellen des Wissenspakets abdecken. Recht und Praxis können sich seitdem geändert haben: Prüfen Sie aktuelle Quellen, bevor Sie sich darauf stützen.", asOf, coversUntil),
	}}
}

func ignoredFact(name, why string) Warning {
	return Warning{Code: WarnIgnoredFact, Text: Text{
		"en": fmt.Sprintf("The fact %s was left out: %s.", name, why),
		"ru": fmt.Sprintf("Факт %s не учтён: %s.", name, map[string]string{
			"it is not in the knowledge pack":            "его нет в базе знаний",
			"its type differs from the knowledge pack's": "его тип отличается от типа в базе знаний"}[why]),
		"de": fmt.Sprintf("Die Tatsache %s wurde nicht berücksichtigt: %s.", name, map[string]string{
			"it is not in the knowledge pack":            "sie ist im Wissenspaket nicht enthalten",
			"its type differs from the knowledge pack's": "ihr Typ weicht vom Wissenspaket ab"}[why]),
	}}
}

func ruleError(r *Rule, err error) Warning {
	return Warning{Code: WarnRuleError, Text: Text{
		"en": fmt.Sprintf("Rule %s could not be evaluated: %v.", r.Key(), err),
		"ru": fmt.Sprintf("Правило %s не удалось применить: %v.", r.Key(), err),
		"de": fmt.Sprintf("Regel %s konnte nicht ausgewertet werden: %v.", r.Key(), err),
	}}
}

// WarnUncovered marks a destination the pack has no rules for.
const WarnUncovered = "uncovered_jurisdiction"

// UncoveredWarning says the pack has no rules for a destination.
func UncoveredWarning(code string) Warning {
	return Warning{Code: WarnUncovered, Text: Text{
		"en": fmt.Sprintf("The knowledge pack has no rules for %s: that destination is not assessed.", code),
		"ru": fmt.Sprintf("В базе знаний нет правил для %s: эта страна назначения не оценивается.", code),
		"de": fmt.Sprintf("Das Wissenspaket enthält keine Regeln für %s: dieses Zielland wird nicht bewertet.", code),
	}}
}
