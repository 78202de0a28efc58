package demo

import (
	"image/color"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

// conscript is a man of conscription age who never received a summons and
// applied for asylum in Germany: status filed.
func conscript(today casefile.Date) (story, error) {
	docs, err := conscriptDocuments(today)
	if err != nil {
		return story{}, err
	}
	birth := today.AddDays(-(22*365 + 130))
	return story{
		label: "conscript without a summons",
		newCase: app.NewCase{
			Person: casefile.Person{
				Identity: casefile.Identity{
					NameLatin:    casefile.Name{Family: "Demo-Obraztsov", Given: "Pavel"},
					NameCyrillic: casefile.Name{Family: "Демо-Образцов", Given: "Павел"},
					BirthDate:    &birth,
					Contacts:     contact("pavel.demo-obraztsov"),
				},
				Citizenships: []string{"RU"},
				Languages:    []string{"ru", "en"},
			},
			Destinations: []string{"DE"},
		},
		facts: []casefile.FactInput{
			said("served_before", false), said("has_summons", false), said("is_deserter", false),
			said("refused_service", false), said("reservist", false), said("activism", false),
			said("co_genuine", false), said("left_russia", true), said("departure_date", today.AddDays(-420)),
			said("current_country", "DE"), said("case_stage", "not_applied"), said("naturalized", false),
		},
		deadlines: []deadline{{12, "Hearing (Anhörung) at the BAMF"}},
		notes: []string{
			Marked + " Came to the office in person. Left Russia after finishing his studies, before any " +
				"summons; fears the electronic summons register and the call-up. Registered with the military " +
				"at 17, never served. Speaks good English.",
			Marked + " The asylum application is lodged; the confirmation is in the evidence. The assessment " +
				"shows how weak the practice is for conscripts without a summons: prepare the interview around " +
				"the register and the call-up campaigns.",
		},
		docs: docs,
		path: []step{
			{casefile.StatusAssessment, "intake complete"},
			{casefile.StatusEvidence, "assessed: collect the register extract"},
			{casefile.StatusFiled, "application lodged (fictional)"},
		},
		later: []casefile.FactInput{shown("case_stage", "first_instance")},
	}, nil
}

func conscriptDocuments(today casefile.Date) ([]document, error) {
	shot, err := demoPNG(color.RGBA{214, 230, 245, 255})
	if err != nil {
		return nil, err
	}
	screen := evidence.Meta{Title: Marked + " Screenshot of his page in the military register (no summons)", Kind: evidence.KindScreenshot,
		DocumentDate: dayPtr(today.AddDays(-30)), ObtainedFrom: "the person, at the office", ObtainedAt: dayPtr(today.AddDays(-30)),
		Language: "ru", Facts: []string{"has_summons"}, OriginalName: "reestr.png"}
	reviewed := screen
	reviewed.Title = Marked + " Military register page, checked at the office: no summons posted"
	confirmation := evidence.Meta{Title: Marked + " Confirmation that the asylum application was lodged", Kind: evidence.KindOther,
		DocumentDate: dayPtr(today.AddDays(-9)), ObtainedFrom: "the person, by email", ObtainedAt: dayPtr(today.AddDays(-8)),
		Language: "de", Facts: []string{"case_stage"}, OriginalName: "antrag.pdf"}
	transcript := evidence.Meta{Title: Marked + " The register page, transcribed and translated", Kind: evidence.KindOther,
		DocumentDate: dayPtr(today.AddDays(-29)), ObtainedFrom: "made by the caseworker", Language: "en",
		Facts: []string{"has_summons"}, OriginalName: "reestr.txt"}
	return []document{
		{meta: screen, body: shot, review: &reviewed},
		{meta: confirmation, body: demoPDF([]string{"DEMO - FICTIONAL DOCUMENT, made by sanctuary serve --demo",
			"", "Confirmation: an application for asylum was lodged", "Applicant: Demo-Obraztsov Pavel, a person who does not exist",
			"Nothing in this file is real."})},
		{meta: transcript, body: []byte(Marked + "\nMilitary register (transcribed): registered, category A, " +
			"no summons posted.\nВоинский учёт: состоит на учёте, категория А, повесток нет.\n")},
	}, nil
}
