package web

// interviewMessages: the intake interview, for a client and for staff.
var interviewMessages = map[string][3]string{ // ru, en, de
	"start_interview":    {"Ответить на вопросы", "Answer the questions", "Fragen beantworten"},
	"review_answers":     {"Проверить ответы", "Review your answers", "Antworten prüfen"},
	"review_title":       {"Ваши ответы", "Your answers", "Ihre Antworten"},
	"interview_for":      {"Интервью по делу %s", "Interview for case %s", "Interview zum Fall %s"},
	"progress":           {"отвечено %d из примерно %d", "%d of about %d answered", "%d von etwa %d beantwortet"},
	"save_continue":      {"Сохранить и дальше", "Save and continue", "Speichern und weiter"},
	"skip_for_now":       {"Пропустить пока", "Skip for now", "Vorerst überspringen"},
	"your_answer":        {"Ваш ответ", "Your answer", "Ihre Antwort"},
	"number":             {"Число", "Number", "Zahl"},
	"all_answered":       {"На все вопросы есть ответ. Проверьте их и отправьте.", "Every question has an answer. Check them and send them.", "Jede Frage ist beantwortet. Prüfen und senden Sie die Antworten."},
	"n_questions_left":   {"Остался %d вопрос — продолжить|Осталось %d вопроса — продолжить|Осталось %d вопросов — продолжить", "%d question left — continue|%d questions left — continue", "%d Frage offen — weiter|%d Fragen offen — weiter"},
	"send_answers_title": {"Отправить ответы", "Send your answers", "Antworten senden"},
	"send_answers_intro": {"Когда всё проверено, сообщите консультанту, что ответы готовы. Исправить их можно и потом.", "When you have checked everything, tell your caseworker the answers are ready. You can still correct them later.", "Wenn alles geprüft ist, teilen Sie Ihrer Beratung mit, dass die Antworten fertig sind. Korrigieren können Sie sie auch danach."},
	"send_answers":       {"Ответы готовы — отправить", "The answers are ready — send", "Antworten fertig — senden"},
	"answers_sent":       {"Консультант увидит, что ваши ответы готовы. Спасибо.", "Your caseworker will see that your answers are ready. Thank you.", "Ihre Beratung sieht, dass Ihre Antworten fertig sind. Danke."},
}
