// Package rules is Sanctuary's assessment engine: it reads a knowledge pack
// — dated, cited rules over a vocabulary of facts — and assesses a person's
// facts against it as of a date, ex nunc.
//
// # The pack
//
// A pack (see docs/knowledge-pack.md) is YAML: sources, jurisdictions,
// facts, rules and tests. [Load] reads it from any fs.FS, checks every part
// of it (the lint) and refuses a pack with errors, each reported with its
// file and line. The default pack is embedded in the binary (package
// knowledge at the root of the repository).
//
// # Assessing
//
// [Pack.Assess] runs every rule of the chosen jurisdictions. It is
// bitemporal: a rule applies only if it is in force on the as-of date
// (valid_from ≤ as_of < valid_to) and was known by the known-as-of date
// (known_from ≤ known_as_of). It is three-valued: a fact that was not asked,
// or whose answer is unknown, is unknown to the rule's condition (CEL,
// evaluated partially); when the outcome depends on it, the finding is
// undetermined and names the facts that would decide it. Every finding
// carries its rule and version, its sources with pinpoints, its confidence
// and a trace of the facts it used; every assessment carries the pack's
// version and content hash, so it can be reproduced.
//
// [Diff] explains what changed between two assessments and why.
//
// This is decision support for caseworkers and lawyers, not legal advice.
package rules
