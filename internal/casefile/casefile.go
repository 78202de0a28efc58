// Package casefile is the domain of a protection case: the person seeking
// protection, the case with its status workflow, the facts of their story,
// notes and the timeline of changes.
//
// It holds types, validation and pure logic only; it imports neither
// database/sql nor net/http. The app layer (internal/app) puts these pieces
// together into use cases and the store (internal/store) keeps them.
//
// # Facts
//
// A fact is one typed piece of a person's situation ("has a summons been
// served?", "when did they leave Russia?"). Facts are three-valued: a fact
// that has not been asked is simply absent; a fact that was asked but the
// person does not know is [StateUnknown]; otherwise it is [StateKnown] with a
// [Value] of the type its [FactDef] declares. Which facts exist, and their
// types, is decided by a [Vocabulary]: the knowledge pack supplies it, and
// [BuiltinVocabulary] is the small stand-in used until one is loaded.
//
// # Client-identifying data
//
// Names, birth date and contact channels sit together in [Identity]; note
// bodies, fact values and timeline details are the other fields that can
// identify a client. The store keeps each of them as one sealed blob, so that
// encrypting them with a per-case key is a change in one place.
package casefile
