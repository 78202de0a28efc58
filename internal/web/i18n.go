package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
)

// languages of the interface, in the order a page offers them.
var languages = []string{"ru", "en", "de"}

// messages is the catalog of the browser pages: every key in every
// language (a test checks). It is kept in parts, one per area.
var messages = mergeCatalogs(baseMessages, caseMessages, interviewMessages, signInMessages)

// mergeCatalogs joins parts of the catalog; a key in two parts is a
// mistake found at start-up.
func mergeCatalogs(parts ...map[string][3]string) map[string][3]string {
	out := map[string][3]string{}
	for _, p := range parts {
		for k, v := range p {
			if _, dup := out[k]; dup {
				panic("web: message " + k + " is in two parts of the catalog")
			}
			out[k] = v
		}
	}
	return out
}

// baseMessages: sign-in, account and the client's pages.
var baseMessages = map[string][3]string{ // ru, en, de
	"title":              {"Sanctuary", "Sanctuary", "Sanctuary"},
	"tagline":            {"Защищённая платформа для дел людей, отказывающихся воевать, и для тех, кто помогает им найти защиту.", "A secure case platform for people who refuse to fight, and for those who help them find protection.", "Eine sichere Fallplattform für Menschen, die sich weigern zu kämpfen, und für alle, die ihnen helfen, Schutz zu finden."},
	"signin":             {"Войти", "Sign in", "Anmelden"},
	"signout":            {"Выйти", "Sign out", "Abmelden"},
	"signout_everywhere": {"Выйти на всех устройствах", "Sign out everywhere", "Überall abmelden"},
	"also_revoke_tokens": {"Отозвать также все API-токены этой учётной записи", "Also revoke every API token of this account", "Auch alle API-Tokens dieses Kontos widerrufen"},
	"signed_in_as":       {"Вы вошли как %s.", "Signed in as %s.", "Angemeldet als %s."},
	"email":              {"Электронная почта", "Email", "E-Mail"},
	"password":           {"Пароль", "Password", "Passwort"},
	"password_again":     {"Пароль ещё раз", "Password again", "Passwort wiederholen"},
	"password_help":      {"Не меньше 12 символов; хорошо подходят несколько несвязанных слов.", "At least 12 characters; a few unrelated words make a good one.", "Mindestens 12 Zeichen; einige unzusammenhängende Wörter sind gut."},
	"passwords_differ":   {"Пароли не совпадают.", "The passwords differ.", "Die Passwörter stimmen nicht überein."},
	"second_factor":      {"Второй фактор", "Second factor", "Zweiter Faktor"},
	"totp_code":          {"Код из приложения-аутентификатора", "Code from the authenticator app", "Code aus der Authenticator-App"},
	"verify":             {"Подтвердить", "Verify", "Bestätigen"},
	"recovery_code":      {"Код восстановления", "Recovery code", "Wiederherstellungscode"},
	"use_recovery":       {"Нет телефона? Введите один из кодов восстановления.", "No phone? Enter one of your recovery codes.", "Kein Telefon? Geben Sie einen Ihrer Wiederherstellungscodes ein."},
	"use_passkey":        {"Войти с ключом доступа", "Use a passkey", "Mit Passkey anmelden"},
	"passkey_needs_js":   {"Для ключа доступа нужен JavaScript; код из приложения работает и без него.", "A passkey needs JavaScript; the app code works without it.", "Ein Passkey braucht JavaScript; der App-Code geht auch ohne."},
	"setup_title":        {"Настройка учётной записи", "Set up your account", "Konto einrichten"},
	"setup_intro":        {"Учётная запись %s. Задайте пароль и подключите приложение-аутентификатор: без второго фактора войти нельзя.", "Account %s. Choose a password and connect an authenticator app: there is no sign-in without a second factor.", "Konto %s. Wählen Sie ein Passwort und verbinden Sie eine Authenticator-App: ohne zweiten Faktor keine Anmeldung."},
	"scan_qr":            {"Отсканируйте код приложением (например, Aegis, FreeOTP, Google Authenticator) или введите ключ вручную:", "Scan the code with an app (such as Aegis, FreeOTP, Google Authenticator) or type the key:", "Scannen Sie den Code mit einer App (etwa Aegis, FreeOTP, Google Authenticator) oder tippen Sie den Schlüssel ein:"},
	"finish_setup":       {"Завершить настройку", "Finish setup", "Einrichtung abschließen"},
	"enroll_title":       {"Подключите второй фактор", "Connect a second factor", "Zweiten Faktor verbinden"},
	"recovery_title":     {"Ваши коды восстановления", "Your recovery codes", "Ihre Wiederherstellungscodes"},
	"recovery_intro":     {"Каждый код работает один раз, если нет телефона. Запишите их на бумаге и храните отдельно; больше они не будут показаны.", "Each code works once when your phone is not at hand. Write them on paper and keep them apart; they will not be shown again.", "Jeder Code gilt einmal, wenn das Telefon fehlt. Schreiben Sie sie auf Papier und bewahren Sie sie getrennt auf; sie werden nicht wieder gezeigt."},
	"continue":           {"Продолжить", "Continue", "Weiter"},
	"account":            {"Учётная запись", "Account", "Konto"},
	"sessions":           {"Сеансы", "Sessions", "Sitzungen"},
	"this_session":       {"этот сеанс", "this session", "diese Sitzung"},
	"started":            {"начат", "started", "begonnen"},
	"last_seen":          {"последняя активность", "last active", "zuletzt aktiv"},
	"api_tokens":         {"API-токены", "API tokens", "API-Tokens"},
	"token_name":         {"Для чего токен", "What the token is for", "Wofür das Token ist"},
	"scopes":             {"Права", "Scopes", "Bereiche"},
	"expires_days":       {"Срок действия, дней", "Expires in days", "Gültig für Tage"},
	"create_token":       {"Создать токен", "Create token", "Token erstellen"},
	"scope_tokens_help":  {"(просмотр и отзыв токенов этой учётной записи; давайте это право только программе, которой оно нужно)", "(lists and revokes this account's tokens; give it only to a program meant for that)", "(listet und widerruft die Tokens dieses Kontos; nur einem Programm geben, das dafür gedacht ist)"},
	"token_once":         {"Скопируйте токен сейчас: он показывается один раз и хранится только в виде хэша.", "Copy the token now: it is shown this once and kept only as a hash.", "Kopieren Sie das Token jetzt: es wird nur dieses Mal gezeigt und nur als Hash gespeichert."},
	"revoke":             {"Отозвать", "Revoke", "Widerrufen"},
	"revoked":            {"отозван", "revoked", "widerrufen"},
	"expires":            {"действует до", "expires", "gültig bis"},
	"passkeys":           {"Ключи доступа", "Passkeys", "Passkeys"},
	"passkey_name":       {"Название ключа", "Name of the passkey", "Name des Passkeys"},
	"add_passkey":        {"Добавить ключ доступа", "Add a passkey", "Passkey hinzufügen"},
	"remove":             {"Удалить", "Remove", "Entfernen"},
	"none":               {"нет", "none", "keine"},
	"client_title":       {"Ваше дело", "Your case", "Ihr Fall"},
	"client_intro":       {"Вы вошли по приглашению вашего консультанта. Здесь можно ответить на вопросы о вашей ситуации — по одному за раз, ответы сохраняются сразу — и передать документы.", "You are signed in through your caseworker's invitation. Here you can answer questions about your situation — one at a time, each answer is saved at once — and send documents.", "Sie sind über die Einladung Ihrer Beraterin oder Ihres Beraters angemeldet. Hier können Sie Fragen zu Ihrer Lage beantworten — eine nach der anderen, jede Antwort wird sofort gespeichert — und Dokumente senden."},
	"upload":             {"Передать документ", "Send a document", "Dokument senden"},
	"doc_title":          {"Что это за документ", "What the document is", "Was das Dokument ist"},
	"file":               {"Файл", "File", "Datei"},
	"uploaded":           {"Документ получен и зашифрован. Спасибо.", "The document was received and encrypted. Thank you.", "Das Dokument wurde empfangen und verschlüsselt. Danke."},
	"invite_title":       {"Приглашение", "Invitation", "Einladung"},
	"invite_intro":       {"Нажмите «Продолжить», чтобы открыть своё дело. Ссылка действует ограниченное время.", "Press Continue to open your case. The link works for a limited time.", "Drücken Sie „Weiter“, um Ihren Fall zu öffnen. Der Link gilt nur begrenzte Zeit."},
	"error_title":        {"Не получилось", "That did not work", "Das hat nicht geklappt"},
	"form_expired_title": {"Форма устарела", "This form has expired", "Dieses Formular ist abgelaufen"},
	"form_expired":       {"Форма пришла без защитного токена этого сайта или с неверным токеном: возможно, она была открыта слишком долго, в браузере отключены cookie или форма пришла не с этого сайта. Ничего не изменилось. Вернитесь, обновите страницу и попробуйте ещё раз.", "The form came without this site's security token, or with a wrong one: it may have been open too long, cookies may be off in the browser, or it did not come from this site. Nothing was changed. Go back, reload the page and try again.", "Das Formular kam ohne das Sicherheitstoken dieser Website oder mit einem falschen: Vielleicht war es zu lange geöffnet, Cookies sind im Browser ausgeschaltet, oder es kam nicht von dieser Website. Es wurde nichts geändert. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal."},
	"back":               {"Назад", "Back", "Zurück"},
	"api_note":           {"JSON API: %s.", "JSON API: %s.", "JSON-API: %s."},
	"language":           {"Язык", "Language", "Sprache"},
	"questions_title":    {"Вопросы о вашей ситуации", "Questions about your situation", "Fragen zu Ihrer Lage"},
	"questions_intro":    {"Отвечайте на то, что знаете; пустое поле остаётся как было. «Не знаю» — тоже ответ.", "Answer what you know; a field left empty stays as it was. \"I don't know\" is an answer too.", "Beantworten Sie, was Sie wissen; ein leeres Feld bleibt, wie es war. „Weiß ich nicht“ ist auch eine Antwort."},
	"answers_saved":      {"Ответы сохранены и зашифрованы.", "Your answers were saved and encrypted.", "Ihre Antworten wurden gespeichert und verschlüsselt."},
	"save_answers":       {"Сохранить ответы", "Save answers", "Antworten speichern"},
	"dont_know":          {"Не знаю", "I don't know", "Weiß ich nicht"},
	"yes":                {"Да", "Yes", "Ja"},
	"no":                 {"Нет", "No", "Nein"},
	"choose":             {"Выберите", "Choose", "Wählen Sie"},
	"date_format":        {"Дата (ГГГГ-ММ-ДД)", "Date (YYYY-MM-DD)", "Datum (JJJJ-MM-TT)"},
	"answer_questions":   {"Ответить на вопросы", "Answer questions", "Fragen beantworten"},
}

// t returns the message in the language, with the arguments filled in;
// an unknown key shows as itself, so a missing message is visible.
func t(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(m[langIndex(lang)], args...)
	}
	return m[langIndex(lang)]
}

func langIndex(lang string) int {
	switch lang {
	case "ru":
		return 0
	case "de":
		return 2
	}
	return 1
}

// tn returns the plural message for the count n, with n filled in. A
// plural message (its key starts with "n_") holds its forms separated by
// "|": Russian one|few|many, English and German one|other, as CLDR's
// plural rules for whole numbers name them.
func tn(lang, key string, n int) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	forms := strings.Split(m[langIndex(lang)], "|")
	f := forms[pluralForm(lang, n)%len(forms)]
	if strings.Contains(f, "%d") {
		return fmt.Sprintf(f, n)
	}
	return f
}

// pluralForm is the index of the plural form for n: CLDR's rules for
// integers (ru: one 1, 21, 31…; few 2–4, 22–24…; many the rest;
// en and de: one for 1, other for the rest).
func pluralForm(lang string, n int) int {
	if n < 0 {
		n = -n
	}
	if lang != "ru" {
		if n == 1 {
			return 0
		}
		return 1
	}
	switch d, h := n%10, n%100; {
	case d == 1 && h != 11:
		return 0
	case d >= 2 && d <= 4 && (h < 12 || h > 14):
		return 1
	}
	return 2
}

// pluralForms is how many forms a plural message has in each language.
var pluralForms = map[string]int{"ru": 3, "en": 2, "de": 2}

// pageLanguage picks the language of a page: ?lang=, then the lang
// cookie (a choice made on an earlier page), then the signed-in person's
// own (a staff member's account, a client's invitation), then the
// browser's first choice among ours, then English.
func pageLanguage(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); isLanguage(l) {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && isLanguage(c.Value) {
		return c.Value
	}
	if p, ok := sanctuary.PrincipalFrom(r.Context()); ok && isLanguage(p.Language) {
		return p.Language
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l := strings.ToLower(strings.SplitN(tag, "-", 2)[0]); isLanguage(l) {
			return l
		}
	}
	return "en"
}

// rememberLanguage keeps a language chosen with ?lang= in a cookie, so
// that it sticks on the next pages (the cookie holds only "ru", "en" or
// "de"). It is a session cookie, gone when the browser closes: a
// year-long one would tell whoever opens the laptop later which language
// its user reads.
func rememberLanguage(w http.ResponseWriter, r *http.Request, opt Options) {
	l := r.URL.Query().Get("lang")
	if !isLanguage(l) {
		return
	}
	if c, err := r.Cookie("lang"); err == nil && c.Value == l {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", HttpOnly: true, Secure: opt.Secure,
		SameSite: http.SameSiteLaxMode})
}

func isLanguage(l string) bool {
	for _, x := range languages {
		if l == x {
			return true
		}
	}
	return false
}
