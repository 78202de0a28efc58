package demo

import (
	"image/color"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

// blogger is a woman prosecuted for "discrediting" the army, first as an
// administrative offence and then as a crime, now in Georgia and seeking
// protection in the Netherlands or Lithuania: status assessment.
func blogger(today casefile.Date) (story, error) {
	docs, err := bloggerDocuments(today)
	if err != nil {
		return story{}, err
	}
	birth := today.AddDays(-(29*365 + 200))
	return story{
		label: `blogger in a "discrediting the army" case`,
		newCase: app.NewCase{
			Person: casefile.Person{
				Identity: casefile.Identity{
					NameLatin:    casefile.Name{Family: "Demo-Vymyslova", Given: "Alisa"},
					NameCyrillic: casefile.Name{Family: "Демо-Вымыслова", Given: "Алиса"},
					BirthDate:    &birth,
					Contacts:     contact("alisa.demo-vymyslova"),
				},
				Citizenships: []string{"RU"},
				Languages:    []string{"ru", "en"},
			},
			Destinations: []string{"NL", "LT"},
			Assignees:    []string{colleague, caseworker},
		},
		facts: []casefile.FactInput{
			said("activism", true), shown("criminal_case", true),
			shown("criminal_articles", []string{"coao_20_3_3", "art_280_3"}), said("left_russia", true),
			said("departure_date", today.AddDays(-240)), said("current_country", "GE"), said("has_summons", false),
			said("served_before", false), said("is_deserter", false), said("refused_service", false),
			said("reservist", false), said("naturalized", false), said("co_genuine", false),
			said("holds_schengen_visa", false),
		},
		deadlines: []deadline{{-1, "Get a copy of the court's summons from the lawyer in Russia"}},
		notes: []string{
			Marked + ` Writes a small anti-war blog. Fined for "discrediting" the army (Art. 20.3.3 CoAO) ` +
				"for one post; a second post brought a criminal case under Art. 280.3 CrC. Left for Tbilisi " +
				"before the hearing. Wants protection in the Netherlands or Lithuania.",
			Marked + " Her lawyer in Russia says she was put on the wanted list; recorded as a fact. " +
				"Ask whether she still holds her foreign passport and discuss the risks of staying in Georgia.",
		},
		docs:  docs,
		path:  []step{{casefile.StatusAssessment, "intake complete"}},
		later: []casefile.FactInput{said("wanted_list", true)},
	}, nil
}

func bloggerDocuments(today casefile.Date) ([]document, error) {
	shot, err := demoPNG(color.RGBA{226, 240, 214, 255})
	if err != nil {
		return nil, err
	}
	ruling := evidence.Meta{Title: Marked + " Court ruling: fine for \"discrediting\" the army (Art. 20.3.3 CoAO)",
		Kind: evidence.KindCourtDocument, DocumentDate: dayPtr(today.AddDays(-400)), ObtainedFrom: "her lawyer in Russia",
		ObtainedAt: dayPtr(today.AddDays(-50)), Language: "ru", Facts: []string{"criminal_case", "criminal_articles"},
		OriginalName: "postanovlenie-20-3-3.pdf"}
	post := evidence.Meta{Title: Marked + " Screenshot of the post the criminal case is about", Kind: evidence.KindScreenshot,
		DocumentDate: dayPtr(today.AddDays(-300)), ObtainedFrom: "the person", ObtainedAt: dayPtr(today.AddDays(-50)),
		Language: "ru", Facts: []string{"activism"}, OriginalName: "post.png"}
	article := evidence.Meta{Title: Marked + " Article about her case in an independent outlet", Kind: evidence.KindArticle,
		DocumentDate: dayPtr(today.AddDays(-200)), ObtainedFrom: "a news site (fictional)", ObtainedAt: dayPtr(today.AddDays(-49)),
		Language: "en", Facts: []string{"activism", "criminal_case"}, OriginalName: "article.txt"}
	return []document{
		{meta: ruling, body: demoPDF([]string{"DEMO - FICTIONAL DOCUMENT, made by sanctuary serve --demo",
			"", "Ruling in an administrative case (English summary)", "Article 20.3.3 of the Code of Administrative Offences",
			"Person concerned: Demo-Vymyslova Alisa, a person who does not exist", "Nothing in this file is real."})},
		{meta: post, body: shot},
		{meta: article, body: []byte(Marked + "\nA blogger faces prison for a post against the war (a fictional article).\n" +
			"Alisa Demo-Vymyslova, who does not exist, was fined and then charged under Article 280.3.\n")},
	}, nil
}
