package demo

import (
	"image/color"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

// deserter is a mobilised soldier who left his unit and waits in Armenia,
// a transit country, to reach Germany or France: status evidence, two
// assessments (before and after his proof arrived).
func deserter(today casefile.Date) (story, error) {
	docs, err := deserterDocuments(today)
	if err != nil {
		return story{}, err
	}
	birth := today.AddDays(-(32*365 + 41))
	return story{
		label: "deserter in transit",
		newCase: app.NewCase{
			Person: casefile.Person{
				Identity: casefile.Identity{
					NameLatin:    casefile.Name{Family: "Demo-Primerov", Given: "Ivan"},
					NameCyrillic: casefile.Name{Family: "Демо-Примеров", Given: "Иван", Patronymic: "Тестович"},
					BirthDate:    &birth,
					Contacts:     contact("ivan.demo-primerov"),
				},
				Citizenships: []string{"RU"},
				Languages:    []string{"ru"},
			},
			Destinations: []string{"DE", "FR"},
			Assignees:    []string{caseworker},
		},
		facts:     deserterFacts(today),
		deadlines: []deadline{{5, "Send the translated military ID to the lawyer"}, {20, "Interview at the French consulate in Yerevan"}},
		notes: []string{
			Marked + " Intake by a Signal call. Mobilised in 2022 as a reservist, a driver in a supply unit; " +
				"did not return to his unit from leave and crossed into Armenia. Stays with friends in Yerevan and " +
				"fears being handed over to Russian military police. Wants to reach Germany or France.",
			Marked + " His military ID and the notice of the desertion case arrived by Signal; the proof of " +
				"desertion is now held and the case was assessed again. Next: ask about relatives in Germany " +
				"and whether he holds a valid passport.",
		},
		docs: docs,
		path: []step{
			{casefile.StatusAssessment, "intake complete"},
			{casefile.StatusEvidence, "assessed: gather proof of service and of the criminal case"},
		},
		later:    []casefile.FactInput{shown("desertion_proof_held", true), shown("wanted_list", true)},
		reassess: true,
	}, nil
}

func deserterFacts(today casefile.Date) []casefile.FactInput {
	return []casefile.FactInput{
		said("served_before", true), said("reservist", true), said("is_mobilized", true),
		said("contract_soldier", false), said("is_deserter", true), unknown("desertion_proof_held"),
		said("deployed_ukraine", true), said("military_specialty", "driver in a supply unit (fictional)"),
		shown("criminal_case", true), shown("criminal_articles", []string{"art_338"}), unknown("wanted_list"),
		said("left_russia", true), said("departure_date", today.AddDays(-118)), said("current_country", "AM"),
		said("has_summons", false), said("refused_service", false), said("co_genuine", false),
		said("activism", false), said("naturalized", false), said("holds_schengen_visa", false),
	}
}

func deserterDocuments(today casefile.Date) ([]document, error) {
	photo, err := demoPNG(color.RGBA{236, 228, 205, 255})
	if err != nil {
		return nil, err
	}
	id := evidence.Meta{Title: Marked + " Photo of the military ID (voyenny bilet)", Kind: evidence.KindIdentity,
		DocumentDate: dayPtr(today.AddDays(-1500)), ObtainedFrom: "the person, by Signal", ObtainedAt: dayPtr(today.AddDays(-20)),
		Language: "ru", Facts: []string{"served_before"}, OriginalName: "voyenny-bilet.png"}
	reviewed := id
	reviewed.Title = Marked + " Military ID (voyenny bilet), page with the mobilisation entry"
	reviewed.Facts = []string{"served_before", "is_mobilized", "desertion_proof_held"}
	notice := evidence.Meta{Title: Marked + " Notice of the criminal case for desertion (Art. 338 CrC)", Kind: evidence.KindCourtDocument,
		DocumentDate: dayPtr(today.AddDays(-60)), ObtainedFrom: "his mother, by post to a friend (fictional)", ObtainedAt: dayPtr(today.AddDays(-19)),
		Language: "ru", Facts: []string{"criminal_case", "criminal_articles", "wanted_list"}, OriginalName: "postanovlenie-338.pdf"}
	statement := evidence.Meta{Title: Marked + " His own account, written down at intake", Kind: evidence.KindOther,
		DocumentDate: dayPtr(today.AddDays(-21)), ObtainedFrom: "the intake call", Language: "ru",
		Facts: []string{"is_deserter", "departure_date", "current_country"}, OriginalName: "rasskaz.txt"}
	return []document{
		{meta: id, body: photo, review: &reviewed, strip: true},
		{meta: notice, body: demoPDF([]string{"DEMO - FICTIONAL DOCUMENT, made by sanctuary serve --demo",
			"", "Notice of a criminal case (English summary)", "Article 338 of the Criminal Code of the RF: desertion",
			"Accused: Demo-Primerov Ivan, a person who does not exist", "Nothing in this file is real."})},
		{meta: statement, body: []byte(Marked + "\nЯ, Демо-Примеров Иван (вымышленное лицо), был мобилизован осенью 2022 года.\n" +
			"Я не вернулся в часть из отпуска и уехал в Армению.\n\n" +
			"I, Demo-Primerov Ivan (a fictional person), was mobilised in autumn 2022.\n" +
			"I did not return to my unit from leave and left for Armenia.\n")},
	}, nil
}

func dayPtr(d casefile.Date) *casefile.Date { return &d }
