package messages

import (
	"errors"
	"fmt"
	"strings"
	"text/template"

	"golang.org/x/text/language"
)

// ErrInvalid is matched (errors.Is) by the errors of NewCatalog for a
// template that is malformed or names an unknown key or field.
var ErrInvalid = errors.New("messages: invalid template")

// Key names one message of the catalogue.
type Key string

// The catalogue's keys. Each is a text/template over Data.
const (
	// KeyBehind: a pace alert fires: how far behind plan, and what each
	// working day left must bring to catch up.
	KeyBehind Key = "behind"
	// KeyStillBehind: a reminder of a pace alert still firing.
	KeyStillBehind Key = "still-behind"
	// KeyFiring: any other alert fires (or is reminded).
	KeyFiring Key = "firing"
	// KeyEscalated: an alert has fired long enough to be sent to the
	// unit's manager.
	KeyEscalated Key = "escalated"
	// KeyCleared: an alert stopped firing within its period.
	KeyCleared Key = "cleared"
	// KeyMet: the goal's period ended with its target met.
	KeyMet Key = "met"
	// KeyMissed: the goal's period ended with its target missed.
	KeyMissed Key = "missed"
	// KeyCovered: a recipient's own alert muted because a firing alert of
	// the unit above (his team's) covers it, said in his digest.
	KeyCovered Key = "covered"
	// KeyDigest: the first line of a digest, counting what fired, what
	// cleared, what is still firing and what is covered.
	KeyDigest Key = "digest"
	// KeyReviewRequest: a review round opened; confirm the target (Due
	// says by when) or commit to another figure.
	KeyReviewRequest Key = "review-request"
	// KeyReviewReminder: the unit's move in a review round is awaited.
	KeyReviewReminder Key = "review-reminder"
	// KeyAnswerReminder: the unit's commitment (Actual) awaits its
	// manager's answer; sent to the manager.
	KeyAnswerReminder Key = "answer-reminder"
)

// Keys lists every key, in a fixed order.
var Keys = []Key{KeyBehind, KeyStillBehind, KeyFiring, KeyEscalated, KeyCleared, KeyMet, KeyMissed, KeyCovered, KeyDigest,
	KeyReviewRequest, KeyReviewReminder, KeyAnswerReminder}

// Template is a host's wording of one key in one language: a text/template
// over Data, such as "{{.Unit}}: {{.Behind}} short".
type Template struct {
	Language language.Tag
	Key      Key
	Text     string
}

// Catalog holds the templates per language and key. Build it with
// NewCatalog; the zero Catalog is not usable.
type Catalog struct {
	langs   []language.Tag // langs[0] is the fallback: English
	matcher language.Matcher
	text    map[language.Tag]map[Key]*template.Template
	locales map[language.Tag]*Locale // one per language of langs
}

// NewCatalog returns the built-in English and Chinese catalogue with the
// host's templates laid over it. A template for a language the catalogue
// lacks adds that language; its keys without a template fall back to
// English. It fails with ErrInvalid for an unknown key or a template that
// does not parse or names a field Data lacks.
func NewCatalog(overrides ...Template) (*Catalog, error) {
	c := &Catalog{text: map[language.Tag]map[Key]*template.Template{}}
	for _, t := range builtin {
		if err := c.set(t); err != nil {
			return nil, fmt.Errorf("messages: built-in %s %s: %w", t.Language, t.Key, err)
		}
	}
	for _, t := range overrides {
		if err := c.set(t); err != nil {
			return nil, err
		}
	}
	c.matcher = language.NewMatcher(c.langs)
	c.locales = make(map[language.Tag]*Locale, len(c.langs))
	for _, l := range c.langs {
		c.locales[l] = NewLocale(l)
	}
	return c, nil
}

func (c *Catalog) set(t Template) error {
	if !known(t.Key) {
		return fmt.Errorf("messages: template %q for %s: unknown key; use one of %v: %w", t.Key, t.Language, Keys, ErrInvalid)
	}
	tmpl, err := template.New(string(t.Key)).Option("missingkey=error").Parse(t.Text)
	if err != nil {
		return fmt.Errorf("messages: template %q for %s: %v: %w", t.Key, t.Language, err, ErrInvalid)
	}
	// Run it once on sample data, so a misspelt field fails here, not when
	// a notification is delivered.
	if err := tmpl.Execute(new(strings.Builder), Data{}); err != nil {
		return fmt.Errorf("messages: template %q for %s: %v: %w", t.Key, t.Language, err, ErrInvalid)
	}
	if c.text[t.Language] == nil {
		c.text[t.Language] = map[Key]*template.Template{}
		c.langs = append(c.langs, t.Language)
	}
	c.text[t.Language][t.Key] = tmpl
	return nil
}

func known(k Key) bool {
	for _, x := range Keys {
		if x == k {
			return true
		}
	}
	return false
}

// Language returns the catalogue's language that best serves want (English
// when none does).
func (c *Catalog) Language(want language.Tag) language.Tag {
	_, i, conf := c.matcher.Match(want)
	if conf == language.No {
		return c.langs[0]
	}
	return c.langs[i]
}

// Render words facts for a reader of language want: it picks the best
// catalogue language (Language), formats the figures for it (Format) and
// runs the key's template, falling back to the English template when that
// language has none for key. It returns the text and the language used.
func (c *Catalog) Render(want language.Tag, key Key, f Facts) (string, language.Tag, error) {
	lang := c.Language(want)
	tmpl := c.text[lang][key]
	if tmpl == nil {
		tmpl = c.text[c.langs[0]][key]
	}
	if tmpl == nil {
		return "", lang, fmt.Errorf("messages: render %q: unknown key; use one of %v: %w", key, Keys, ErrInvalid)
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, format(c.locales[lang], f)); err != nil {
		return "", lang, fmt.Errorf("messages: render %q in %s: %w", key, lang, err)
	}
	return b.String(), lang, nil
}
