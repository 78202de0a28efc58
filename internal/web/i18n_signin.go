package web

// signInMessages: the sign-in rules (passkeys required of a role) and
// the pages of a passkey link.
var signInMessages = map[string][3]string{ // ru, en, de
	"admin_signin": {"Правила входа", "Sign-in rules", "Anmelderegeln"},
	"admin_signin_intro": {
		"Ключ доступа отвечает только этому сайту, поэтому поддельная страница не сможет переслать его дальше, а код из приложения или код восстановления на ней можно ввести. Для роли, которой нужен ключ доступа, коды больше не подходят для входа. Сотрудник с такой ролью, у которого ещё нет ключа доступа или который его потерял, получает от оператора сервера ссылку для его регистрации.",
		"A passkey answers only this site, so a fake page cannot pass it on; a code from the app or a recovery code can be typed into one. For a role that must use a passkey, codes no longer sign in. Someone in that role who has no passkey yet, or lost theirs, gets a link to register one from the server's operator.",
		"Ein Passkey antwortet nur dieser Website, eine gefälschte Seite kann ihn also nicht weiterreichen; einen App-Code oder Wiederherstellungscode dagegen kann man dort eingeben. Für eine Rolle, die einen Passkey braucht, gelten Codes nicht mehr zur Anmeldung. Wer in dieser Rolle noch keinen Passkey hat oder seinen verloren hat, bekommt vom Betreiber des Servers einen Link, um einen zu registrieren."},
	"role":            {"Роль", "Role", "Rolle"},
	"change":          {"Изменить", "Change", "Ändern"},
	"passkey_only":    {"только ключ доступа", "passkey only", "nur Passkey"},
	"passkey_or_code": {"ключ доступа или код", "passkey or code", "Passkey oder Code"},
	"require_passkey": {"Требовать ключ доступа", "Require a passkey", "Passkey verlangen"},
	"allow_codes":     {"Снова разрешить коды", "Allow codes again", "Codes wieder zulassen"},
	"without_passkey": {"Без ключа доступа", "Without a passkey", "Ohne Passkey"},
	"without_passkey_help": {
		"Эти учётные записи должны входить с ключом доступа, но его у них ещё нет. Оператор выдаёт каждой ссылку для регистрации ключа в консоли сервера: sanctuary user passkey-link EMAIL.",
		"These accounts must sign in with a passkey and have none yet. The operator gives each a passkey link at the server's shell: sanctuary user passkey-link EMAIL.",
		"Diese Konten müssen sich mit einem Passkey anmelden und haben noch keinen. Der Betreiber gibt jedem auf der Kommandozeile des Servers einen Passkey-Link: sanctuary user passkey-link EMAIL."},
	"role_admin":            {"администратор", "admin", "Admin"},
	"role_lawyer":           {"юрист", "lawyer", "Anwalt/Anwältin"},
	"role_caseworker":       {"консультант", "caseworker", "Berater/in"},
	"role_knowledge_editor": {"редактор базы знаний", "knowledge editor", "Redaktion der Wissensbasis"},
	"role_auditor":          {"аудитор", "auditor", "Prüfer/in"},

	"passkey_required": {
		"Для вашей роли вход возможен только с ключом доступа: коды из приложения и коды восстановления здесь больше не действуют.",
		"Your role signs in with a passkey only: codes from the app and recovery codes no longer work here.",
		"Ihre Rolle meldet sich nur mit einem Passkey an: App-Codes und Wiederherstellungscodes gelten hier nicht mehr."},
	"no_passkey_yet": {
		"У этой учётной записи ещё нет ключа доступа. Попросите у оператора ссылку для ключа доступа: с ней и с вашим паролем вы его зарегистрируете.",
		"This account has no passkey yet. Ask the operator for a passkey link: with it and your password you register one.",
		"Dieses Konto hat noch keinen Passkey. Bitten Sie den Betreiber um einen Passkey-Link: Damit und mit Ihrem Passwort registrieren Sie einen."},
	"lost_passkey": {
		"Потеряли ключ доступа? Попросите у оператора ссылку, чтобы зарегистрировать новый.",
		"Lost your passkey? Ask the operator for a passkey link to register a new one.",
		"Passkey verloren? Bitten Sie den Betreiber um einen Passkey-Link, um einen neuen zu registrieren."},
	"passkey_only_needs_js": {
		"Для ключа доступа нужен JavaScript: включите его для этого сайта.",
		"A passkey needs JavaScript: turn it on for this site.",
		"Ein Passkey braucht JavaScript: Schalten Sie es für diese Website ein."},
	"passkey_link_title": {"Регистрация ключа доступа", "Register a passkey", "Passkey registrieren"},
	"passkey_link_intro": {
		"Учётная запись %s. Введите пароль, затем зарегистрируйте ключ доступа — аппаратный ключ или тот, что предложит телефон или компьютер. После этого вы входите с ним.",
		"Account %s. Enter your password, then register a passkey — a security key, or the one your phone or computer offers. From then on you sign in with it.",
		"Konto %s. Geben Sie Ihr Passwort ein und registrieren Sie dann einen Passkey — einen Sicherheitsschlüssel oder den, den Ihr Telefon oder Computer anbietet. Danach melden Sie sich damit an."},
	"passkey_enroll_intro": {
		"Зарегистрируйте ключ доступа сейчас: в этом сеансе больше ничего сделать нельзя, и через 10 минут он закончится.",
		"Register your passkey now: this session can do nothing else, and it ends in 10 minutes.",
		"Registrieren Sie jetzt Ihren Passkey: Diese Sitzung kann nichts anderes und endet in 10 Minuten."},
	"my_passkey": {"мой ключ", "my passkey", "mein Passkey"},
	"passkey_next": {
		"Для вашей роли вход возможен только с ключом доступа: продолжите, чтобы зарегистрировать его. Эти коды пригодятся, только если это требование отменят.",
		"Your role signs in with a passkey only: continue to register one. These codes count only if that rule is lifted.",
		"Ihre Rolle meldet sich nur mit einem Passkey an: Fahren Sie fort, um einen zu registrieren. Diese Codes gelten nur, wenn diese Regel aufgehoben wird."},
}
