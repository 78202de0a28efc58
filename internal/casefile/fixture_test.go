package casefile

// BuiltinVocabulary returns a small vocabulary with a fact of every type,
// for the tests of this package; Sanctuary itself takes its vocabulary from
// the knowledge pack.
func BuiltinVocabulary() *Vocabulary {
	v, err := NewVocabulary(builtinDefs())
	if err != nil {
		panic(err) // a programming error in the table below, caught by tests
	}
	return v
}

func q(ru, en, de string) map[string]string {
	return map[string]string{"ru": ru, "en": en, "de": de}
}

func builtinDefs() []FactDef {
	return []FactDef{
		{Name: "military_status", Type: TypeEnum,
			Values: []string{"civilian", "conscript", "mobilised", "contract_pre_2022", "contract_post_2022", "reservist"},
			Question: q("Каков ваш статус по отношению к армии?",
				"What is your status towards the army?",
				"Wie ist Ihr Verhältnis zur Armee?")},
		{Name: "left_unit_without_leave", Type: TypeBool,
			Question: q("Вы покинули воинскую часть без разрешения?",
				"Did you leave your military unit without permission?",
				"Haben Sie Ihre Einheit ohne Erlaubnis verlassen?")},
		{Name: "summons_received", Type: TypeBool,
			Question: q("Вы получили повестку?",
				"Have you received a summons?",
				"Haben Sie eine Vorladung erhalten?")},
		{Name: "summons_kind", Type: TypeEnum, Values: []string{"paper", "electronic"},
			Question: q("Повестка была бумажной или электронной?",
				"Was the summons on paper or electronic?",
				"War die Vorladung auf Papier oder elektronisch?")},
		{Name: "summons_posted_date", Type: TypeDate,
			Question: q("Когда повестка была вручена или размещена в реестре?",
				"When was the summons handed over or posted in the register?",
				"Wann wurde die Vorladung übergeben oder im Register eingestellt?")},
		{Name: "summons_appearance_date", Type: TypeDate,
			Question: q("На какую дату вас вызывают по повестке?",
				"On which date does the summons tell you to appear?",
				"Für welches Datum werden Sie mit der Vorladung einbestellt?")},
		{Name: "in_russia", Type: TypeBool,
			Question: q("Вы сейчас находитесь в России?",
				"Are you in Russia now?",
				"Sind Sie jetzt in Russland?")},
		{Name: "departure_date", Type: TypeDate,
			Question: q("Когда вы выехали из России?",
				"When did you leave Russia?",
				"Wann haben Sie Russland verlassen?")},
		{Name: "criminal_case_opened", Type: TypeBool,
			Question: q("Против вас возбуждено уголовное дело?",
				"Has a criminal case been opened against you?",
				"Wurde gegen Sie ein Strafverfahren eröffnet?")},
		{Name: "criminal_articles", Type: TypeEnumList,
			Values: []string{"art_207_3", "art_280_3", "art_328", "art_332", "art_337", "art_338", "art_339", "art_352_1", "coao_20_3_3"},
			Question: q("По каким статьям вас преследуют?",
				"Under which articles are you being prosecuted?",
				"Nach welchen Artikeln werden Sie verfolgt?")},
		{Name: "conscientious_objector", Type: TypeBool,
			Question: q("Вы отказываетесь от военной службы по убеждениям?",
				"Do you refuse military service out of conviction?",
				"Verweigern Sie den Militärdienst aus Gewissensgründen?")},
		{Name: "applied_for_acs", Type: TypeBool,
			Question: q("Вы подавали заявление на альтернативную гражданскую службу?",
				"Have you applied for alternative civilian service?",
				"Haben Sie den zivilen Ersatzdienst beantragt?")},
		{Name: "children_count", Type: TypeInteger,
			Question: q("Сколько у вас детей?",
				"How many children do you have?",
				"Wie viele Kinder haben Sie?")},
		{Name: "statement", Type: TypeText,
			Question: q("Расскажите своими словами, что произошло.",
				"Tell us in your own words what happened.",
				"Erzählen Sie mit eigenen Worten, was geschehen ist.")},
	}
}
